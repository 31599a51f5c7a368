"""Split a company name into place, brand, industry and legal form — in Chinese or English.

Why split: a Chinese enterprise name follows 行政区划 + 字号 + 行业 + 组织形式 (宁波 + 乐歌 +
人体工学科技 + 股份有限公司) and its English name renders each part differently (Ningbo + Loctek +
Ergonomic Technology + Co., Ltd.). Only the brand (字号) identifies the company; places and
industries agree across many unrelated firms, so they may support a match but never make one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fenghuo.disputes.entities.legal_forms import (
    EN_INDUSTRY_WORDS,
    EN_LEGAL_FORMS,
    INDUSTRY_TERMS,
    PLACES,
    ZH_LEGAL_FORMS,
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKETS = re.compile(r"[（(]([^）)]*)[）)]")
_EN_PLACE_WORDS = {w for names in PLACES.values() for name in names for w in name.split()}
_ZH_INDUSTRY = sorted(INDUSTRY_TERMS, key=len, reverse=True)
_ZH_PLACES = sorted(PLACES, key=len, reverse=True)
_ZH_PLACE_SUFFIX = ("省", "市", "自治区", "区", "县")
_OF_PLACE = re.compile(r"\b(?:of|from|in)\s+([a-z ,]+?)(?:,?\s*(?:china|p\.?r\.?c\.?))?\s*$")


def initials(name: str) -> str:
    """Initials of the words of an English name, legal form words included but 'co'/'of'/'and' left
    out: Contemporary Amperex Technology Co., Limited → CATL; Xuzhou Construction Machinery Group → XCMG."""
    skip = {"co", "of", "and", "&", "the", "inc", "ltd"}
    return "".join(t[0] for t in _en_tokens(name) if t not in skip and t[0].isalnum()).upper()


@dataclass(frozen=True)
class NameParts:
    """The parts of one company name; ``brand`` is what identifies the company."""

    original: str
    language: str  # "zh" | "en"
    brand: str
    places: tuple[str, ...] = ()  # canonical Chinese place names (深圳, 宁波 …)
    industries: tuple[str, ...] = ()  # canonical Chinese industry terms (科技, 电子 …)
    legal_form: str = ""

    @property
    def is_chinese(self) -> bool:
        return self.language == "zh"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _to_simplified(text: str) -> str:
    from fenghuo.disputes.entities._opencc import t2s

    return t2s(text)


@lru_cache(maxsize=65536)
def split_name(name: str) -> NameParts:
    """Split ``name`` (Chinese or English) into its parts."""
    text = unicodedata.normalize("NFKC", name).strip()
    if has_cjk(text):
        return _split_zh(_to_simplified(text), name)
    return _split_en(text, name)


def _split_zh(text: str, original: str) -> NameParts:
    places: list[str] = []
    # A place in brackets: 华为技术（深圳）有限公司
    for inner in _BRACKETS.findall(text):
        for place in _ZH_PLACES:
            if inner.startswith(place):
                places.append(place)
    text = _BRACKETS.sub("", text)
    text = re.sub(r"\s+", "", text)
    legal = ""
    stripped = True
    while stripped:  # 集团 + 股份有限公司: strip every trailing form
        stripped = False
        for form in ZH_LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form) + 1:
                legal = form + legal
                text = text[: -len(form)]
                stripped = True
                break
    # Leading places (possibly two: 广东省深圳市)
    changed = True
    while changed:
        changed = False
        for place in _ZH_PLACES:
            if text.startswith(place) and len(text) > len(place) + 1:
                places.append(place)
                text = text[len(place):]
                for suffix in _ZH_PLACE_SUFFIX:
                    if text.startswith(suffix):
                        text = text[len(suffix):]
                        break
                changed = True
                break
    industries: list[str] = []
    changed = True
    while changed:
        changed = False
        for term in _ZH_INDUSTRY:
            if text.endswith(term) and len(text) > len(term) + 1:
                industries.insert(0, term)
                text = text[: -len(term)]
                changed = True
                break
    return NameParts(original, "zh", text, tuple(dict.fromkeys(places)), tuple(industries), legal)


def _en_tokens(text: str) -> list[str]:
    text = text.lower().replace("&", " & ")
    text = re.sub(r"[.,;:()\"'’/\\-]+", " ", text)
    return [t for t in text.split() if t]


def _canonical_place(words: str) -> str | None:
    for zh, names in PLACES.items():
        if words in names:
            return zh
    return None


def _split_en(text: str, original: str) -> NameParts:
    lowered = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    places: list[str] = []
    match = _OF_PLACE.search(lowered.replace(".", ""))
    if match:  # "XYZ Co., Ltd. of Ningbo, China"
        for part in match.group(1).split(","):
            place = _canonical_place(part.strip())
            if place:
                places.append(place)
        if places:
            lowered = lowered[: match.start()]
    tokens = _en_tokens(lowered)
    legal_tokens: list[str] = []
    while tokens and tokens[-1] in EN_LEGAL_FORMS:
        legal_tokens.insert(0, tokens.pop())
    brand_tokens: list[str] = []
    industries: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        two = " ".join(tokens[i: i + 2])
        if two in {n for names in PLACES.values() for n in names}:
            places.append(_canonical_place(two) or two)
            i += 2
            continue
        if tok in _EN_PLACE_WORDS and _canonical_place(tok):
            place = _canonical_place(tok)
            if place and place != "中国" or brand_tokens:
                places.append(place or tok)
            i += 1
            continue
        if tok in EN_LEGAL_FORMS:
            i += 1
            continue
        if tok in EN_INDUSTRY_WORDS:
            for zh, renderings in INDUSTRY_TERMS.items():
                if any(tok == r.split()[0] for r in renderings):
                    industries.append(zh)
                    break
            i += 1
            continue
        brand_tokens.append(tok)
        i += 1
    brand = " ".join(brand_tokens)
    if not brand:  # the brand is a place name (Tsingtao Brewery) or only generic words
        place_words = [t for t in tokens if t in _EN_PLACE_WORDS]
        brand = " ".join(place_words or [t for t in tokens if t not in EN_LEGAL_FORMS])
    return NameParts(
        original, "en", brand, tuple(dict.fromkeys(places)), tuple(dict.fromkeys(industries)), " ".join(legal_tokens)
    )
