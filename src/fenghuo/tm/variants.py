"""The forms a mark may take abroad: normalized text, pinyin, Cantonese, older romanizations,
simplified/traditional characters, English translations, and the owner's own aliases.

Why so many: a Chinese brand is squatted under whatever spelling the squatter picks — 王老吉
became WONG LO KAT (Cantonese), 伊利 YILI (pinyin), 英雄 HERO (translation). Commercial watch
services compare Latin strings only; every form here is something the register may contain.

``expand`` is for portfolio marks (all forms, with notes shown to the user); ``latin_keys`` is the
cheap, cached set of comparable Latin forms of any text, used by the index on both sides.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii

from fenghuo.core.i18n import _

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
MAX_COMBINATIONS = 8
DATA = Path(__file__).parent / "data"
#: Every kind a variant may have (a user-added variant is ``user``).
VARIANT_KINDS = ("original", "normalized", "pinyin", "pinyin_spaced", "jyutping", "cantonese_hk", "wade_giles",
                 "traditional", "simplified", "translation", "alias", "user")


@dataclass(frozen=True)
class Variant:
    """One comparable form of a mark and how it was derived (shown to the user, who may edit)."""

    text: str
    kind: str  # original | normalized | pinyin | pinyin_spaced | jyutping | cantonese_hk | wade_giles |
    #            traditional | simplified | translation | alias | user
    note: str = ""
    enabled: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "note": self.note, "enabled": self.enabled}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Variant:
        return cls(str(data["text"]), str(data.get("kind", "user")), str(data.get("note", "")),
                   bool(data.get("enabled", True)))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


_MARK_SIGNS = {0x2122: " ", 0x2120: " ", 0xAE: " ", 0xA9: " ", 0x24C2: " "}


@lru_cache(maxsize=262144)
def normalize(text: str) -> str:
    """Upper-case ASCII words: accents folded, punctuation to spaces (CJK characters kept as they are)."""
    text = text.translate(_MARK_SIGNS)  # before NFKC, which would spell ™ as the letters TM
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if _CJK.match(ch):
            out.append(f" {ch} ")
        elif unicodedata.category(ch) in ("So", "Sk", "Sm", "Sc"):  # ® ™ © and other symbols
            out.append(" ")
        else:
            out.append(anyascii(ch))
    latin = "".join(out).upper()
    parts = []
    for token in latin.split():
        if _CJK.match(token):
            parts.append(token)
        else:
            cleaned = _NON_ALNUM.sub(" ", token).strip()
            if cleaned:
                parts.append(cleaned)
    return " ".join(" ".join(parts).split())


def compact(text: str) -> str:
    """Normalized text without spaces: the form edit distances are computed on."""
    return normalize(text).replace(" ", "")


def cjk_only(text: str) -> str:
    return "".join(_CJK.findall(text))


@lru_cache(maxsize=1)
def _opencc() -> tuple[Any, Any]:
    from opencc import OpenCC

    return OpenCC("t2s"), OpenCC("s2tw")  # 華為, as Taiwan and Hong Kong registers write it


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return str(_opencc()[0].convert(text))


@lru_cache(maxsize=65536)
def to_traditional(text: str) -> str:
    return str(_opencc()[1].convert(text))


@lru_cache(maxsize=1)
def _pinyin_ready() -> bool:
    # pypinyin-dict's data fixes readings pypinyin's own tables get wrong (e.g. 王 as yù).
    from pypinyin_dict.phrase_pinyin_data import cc_cedict
    from pypinyin_dict.pinyin_data import kxhc1983

    kxhc1983.load()
    cc_cedict.load()
    return True


@lru_cache(maxsize=65536)
def pinyin_syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of the CJK characters of ``text`` (phrase-aware reading)."""
    from pypinyin import Style, lazy_pinyin

    _pinyin_ready()
    chars = to_simplified(cjk_only(text))
    if not chars:
        return ()
    return tuple(s.replace("ü", "v") for s in lazy_pinyin(chars, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=65536)
def pinyin_alternatives(text: str) -> tuple[tuple[str, ...], ...]:
    """Other readings of polyphonic characters (朝 chao/zhao), at most MAX_COMBINATIONS spellings."""
    from pypinyin import Style, pinyin

    _pinyin_ready()
    chars = to_simplified(cjk_only(text))
    if not chars or len(chars) > 6:
        return ()
    options = [tuple(dict.fromkeys(r.replace("ü", "v") for r in group))[:3]
               for c in chars for group in pinyin(c, style=Style.NORMAL, heteronym=True, errors="ignore")]
    return tuple(itertools.islice(itertools.product(*options), MAX_COMBINATIONS))


@lru_cache(maxsize=1)
def _cantonese() -> Any:
    from cantoroman import Cantonese

    return Cantonese()


@lru_cache(maxsize=8192)
def _hk_char(char: str) -> tuple[str, ...]:
    try:
        readings = [r for group in _cantonese().getRoman(char) for r in group]
    except Exception:  # noqa: BLE001 - unknown characters
        return ()
    out: list[str] = []
    for reading in (r.lower() for r in readings if r):
        # Hong Kong government spellings write the unaspirated stops g/b/d as K/P/T
        # (吉 gat → KAT as in WONG LO KAT, 大 daai → TAI, 北 bak → PAK).
        hk = _HK_STOPS.get(reading[:1], reading[:1]) + reading[1:] if reading[:1] in _HK_STOPS else reading
        out.extend((hk, reading))
    return tuple(dict.fromkeys(out))[:3]


_HK_STOPS = {"g": "k", "b": "p", "d": "t"}


@lru_cache(maxsize=65536)
def cantonese_hk(text: str) -> tuple[tuple[str, ...], ...]:
    """Hong Kong government romanisation spellings (syllable tuples), e.g. 王老吉 → (wong, lo, kat) …"""
    chars = to_traditional(cjk_only(text))
    if not chars or len(chars) > 8:
        return ()
    options = [_hk_char(c) or ("?",) for c in chars]
    if any(o == ("?",) for o in options):
        return ()
    return tuple(itertools.islice(itertools.product(*options), MAX_COMBINATIONS))


@lru_cache(maxsize=65536)
def jyutping(text: str) -> tuple[str, ...]:
    """Jyutping syllables without tone numbers (王老吉 → wong lou gat)."""
    import ToJyutping

    chars = cjk_only(text)
    if not chars:
        return ()
    out = []
    for _char, reading in ToJyutping.get_jyutping_list(chars):
        if not reading:
            return ()
        out.append(re.sub(r"\d", "", reading.split()[0]))
    return tuple(out)


_WG_INITIALS = (("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("z", "ts"), ("c", "ts'"), ("j", "ch"), ("q", "ch'"),
                ("x", "hs"), ("r", "j"), ("b", "p"), ("p", "p'"), ("d", "t"), ("t", "t'"), ("g", "k"), ("k", "k'"))
_WG_FINALS = (("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("e", "o"), ("you", "yu"), ("yan", "yen"))


def wade_giles_syllable(syllable: str) -> str:
    """A Wade-Giles approximation of one pinyin syllable (apostrophes kept; tones dropped)."""
    initial, rest = "", syllable
    for py, wg in _WG_INITIALS:
        if syllable.startswith(py):
            initial, rest = wg, syllable[len(py):]
            break
    if rest == "i" and initial in ("ch", "ch'", "sh", "j"):
        rest = "ih"
    if syllable in ("zi", "ci", "si"):
        return {"zi": "tzu", "ci": "tz'u", "si": "ssu"}[syllable]  # Lao Tzu, Ssu-ma Ch'ien
    if rest == "e" and initial not in ("k", "k'", "h", ""):
        return initial + "e"  # Te (Tao Te Ching); -o only after k, k', h
    for py, wg in _WG_FINALS:
        if rest == py or (py in ("ong", "ian", "ie") and rest.endswith(py)):
            rest = rest[: len(rest) - len(py)] + wg
            break
    return initial + rest


@lru_cache(maxsize=1)
def brand_words() -> dict[str, tuple[str, ...]]:
    """The curated Chinese → English brand-word table (package data)."""
    out: dict[str, list[str]] = {}
    with (DATA / "brand_words.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            out.setdefault(row["zh"], []).extend(e.strip() for e in row["en"].split(";") if e.strip())
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=16384)
def translations(text: str) -> tuple[str, ...]:
    """English renderings of a Chinese mark: whole word first, then a word-by-word segmentation."""
    chars = to_simplified(cjk_only(text))
    if not chars:
        return ()
    table = brand_words()
    found: list[str] = list(table.get(chars, ()))
    # Longest-match segmentation: 红星二锅头 → 红星 + …; only when every segment is known.
    i, parts = 0, []
    while i < len(chars):
        for size in range(min(4, len(chars) - i), 0, -1):
            word = chars[i: i + size]
            if word in table:
                parts.append(table[word])
                i += size
                break
        else:
            parts = []
            break
    if parts and len(parts) > 1:
        for combo in itertools.islice(itertools.product(*parts), 4):
            found.append(" ".join(combo))
    return tuple(dict.fromkeys(found))


def _join(syllables: Sequence[str]) -> str:
    return "".join(syllables).upper()


def expand(mark: str, aliases: Sequence[str] = ()) -> list[Variant]:
    """Every variant of a portfolio mark, de-duplicated, with a note saying where it comes from."""
    out: list[Variant] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, kind: str, note: str) -> None:
        text = text.strip()
        # The spaced pinyin shares its compact form with the joined one but is compared syllable by syllable.
        key = (compact(text) or text, "spaced" if kind == "pinyin_spaced" else "x")
        if text and key not in seen:
            seen.add(key)
            out.append(Variant(text, kind, note))

    add(mark, "original", _("as registered"))
    norm = normalize(mark)
    if norm and not has_cjk(mark):
        add(norm, "normalized", _("upper case, accents and punctuation removed"))
    if has_cjk(mark):
        simplified, traditional = to_simplified(mark), to_traditional(mark)
        if simplified != mark:
            add(simplified, "simplified", _("simplified characters"))
        if traditional != mark:
            add(traditional, "traditional", _("traditional characters"))
        syllables = pinyin_syllables(mark)
        if syllables:
            add(_join(syllables), "pinyin", _("pinyin of %(mark)s", mark=mark))
            add(" ".join(syllables).upper(), "pinyin_spaced", _("pinyin of %(mark)s, syllables spaced", mark=mark))
            for alt in pinyin_alternatives(mark):
                if alt != syllables:
                    add(_join(alt), "pinyin", _("another reading of a polyphonic character in %(mark)s", mark=mark))
            wade = " ".join(wade_giles_syllable(s) for s in syllables).upper()
            add(wade, "wade_giles", _("Wade-Giles romanization of %(mark)s", mark=mark))
        for spelling in cantonese_hk(mark)[:4]:
            add(" ".join(spelling).upper(), "cantonese_hk",
                _("Cantonese (Hong Kong government romanisation) of %(mark)s", mark=mark))
        jp = jyutping(mark)
        if jp:
            add(" ".join(jp).upper(), "jyutping", _("Cantonese (Jyutping) of %(mark)s", mark=mark))
        for english in translations(mark):
            add(english, "translation", _("English translation of %(mark)s", mark=mark))
    for alias in aliases:
        add(alias, "alias", _("alias recorded by the owner"))
    return out


@lru_cache(maxsize=262144)
def latin_keys(text: str) -> tuple[str, ...]:
    """Comparable Latin forms (compact upper-case) of any mark text, cheap and cached.

    Latin text: itself. CJK text: pinyin (main and alternative readings), Hong Kong Cantonese and
    Jyutping spellings — so a register mark written in characters meets a portfolio mark written
    in Latin letters and vice versa.
    """
    keys: list[str] = []
    latin = compact(_CJK.sub(" ", text))
    if latin:
        keys.append(latin)
    if has_cjk(text):
        syllables = pinyin_syllables(text)
        if syllables:
            keys.append(_join(syllables))
        keys.extend(_join(alt) for alt in pinyin_alternatives(text)[:4])
        keys.extend(_join(s) for s in cantonese_hk(text)[:4])
        jp = jyutping(text)
        if jp:
            keys.append(_join(jp))
    return tuple(dict.fromkeys(k for k in keys if k))


__all__ = [
    "VARIANT_KINDS",
    "Variant",
    "brand_words",
    "cantonese_hk",
    "compact",
    "expand",
    "has_cjk",
    "jyutping",
    "latin_keys",
    "normalize",
    "pinyin_alternatives",
    "pinyin_syllables",
    "to_simplified",
    "to_traditional",
    "translations",
    "wade_giles_syllable",
]
