"""Latin spellings a Chinese brand may appear under abroad: pinyin (every reading of each
character, so polyphones like 乐 le/yue are covered) and Hong Kong Cantonese romanisation.

Why several: court dockets and customs notices spell a Chinese party's name however the
party or the filer chose — 茅台 is MOUTAI (postal), 王老吉 WONG LO KAT (Cantonese).
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

MAX_SPELLINGS = 32


@lru_cache(maxsize=1)
def _cantonese() -> Any:
    from cantoroman import Cantonese

    return Cantonese()


@lru_cache(maxsize=8192)
def _char_readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    readings: list[str] = []
    for group in pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore"):
        readings.extend(r.replace("ü", "v") for r in group)
    try:
        for group in _cantonese().getRoman(char):
            readings.extend(group)
    except Exception:  # noqa: BLE001 - cantoroman raises on characters it does not know
        pass
    return tuple(dict.fromkeys(r.lower() for r in readings if r)) or (char,)


@lru_cache(maxsize=16384)
def spellings(text: str) -> tuple[str, ...]:
    """Joined Latin spellings of ``text`` (lower case, no spaces), at most MAX_SPELLINGS."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return ()
    options = [_char_readings(c)[:4] for c in chars]
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*options), MAX_SPELLINGS):
        out.append("".join(combo))
    return tuple(dict.fromkeys(out))
