"""Traditional → simplified conversion, loaded once (OpenCC's dictionaries are slow to load)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _converter() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def t2s(text: str) -> str:
    return str(_converter().convert(text))
