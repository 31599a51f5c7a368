"""Match a party named in a dispute event to registered enterprises, across Chinese and English.

Signals, strongest first: a registry identifier (USCC 统一社会信用代码, LEI) named in the event;
an exact recorded alias (English name, store name, d/b/a); the brand (字号) compared within a
language (rapidfuzz) or across languages (every pinyin / Cantonese spelling of the Chinese brand
against the English brand); then place and industry as support or contradiction. Every match
carries its reasons, and a borderline score goes to the human review queue instead of alerting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fenghuo.core.i18n import _
from fenghuo.disputes.entities.legal_forms import INDUSTRY_TERMS
from fenghuo.disputes.entities.names import NameParts, initials, split_name
from fenghuo.disputes.entities.romanize import spellings

MATCH_THRESHOLD = 0.88
REVIEW_THRESHOLD = 0.70

_USCC = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")
_LEI = re.compile(r"\b[0-9A-Z]{18}\d{2}\b")


@dataclass(frozen=True)
class EnterpriseIdentity:
    """What an enterprise registered about itself: names in any language and its aliases."""

    enterprise_id: int | str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # English names, brands, store names, d/b/a
    uscc: str | None = None
    lei: str | None = None


@dataclass(frozen=True)
class MatchReason:
    signal: str
    message: str


@dataclass(frozen=True)
class EntityMatch:
    enterprise_id: int | str
    score: float
    decision: str  # "match" | "review" | "none"
    reasons: tuple[MatchReason, ...] = field(default_factory=tuple)


def normalize_alias(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def identifiers_in(text: str) -> set[str]:
    """USCC and LEI codes written in a notice or docket text."""
    upper = text.upper()
    return set(_USCC.findall(upper)) | set(_LEI.findall(upper))


def _latin(brand: str) -> str:
    return re.sub(r"[^a-z0-9]", "", brand.lower())


def brand_similarity(a: NameParts, b: NameParts) -> tuple[float, str]:
    """Similarity 0..1 of two brands and how it was measured."""
    if not a.brand or not b.brand:
        return 0.0, "empty"
    if a.is_chinese and b.is_chinese:
        if a.brand == b.brand:
            return 1.0, "same_chinese_brand"
        return fuzz.ratio(a.brand, b.brand) / 100 * 0.9, "chinese_brand_fuzzy"
    if a.is_chinese != b.is_chinese:
        zh, en = (a, b) if a.is_chinese else (b, a)
        return _romanized_similarity(zh.brand, en.brand), "romanized_brand"
    return _latin_similarity(_latin(a.brand), _latin(b.brand)), "latin_brand"


def _romanized_similarity(zh_brand: str, en_brand: str) -> float:
    target = _latin(en_brand)
    best = 0.0
    for spelling in spellings(zh_brand):
        best = max(best, _latin_similarity(spelling, target))
        if best == 1.0:
            return best
    # The English name may carry only the first characters of the brand as one word:
    # 京东世纪 → "Jingdong Century", 小鹏 in 小鹏汽车 → "Xiaopeng Motors".
    first = _latin(en_brand.split()[0]) if en_brand.split() else ""
    if len(first) >= 4:
        for size in range(len(zh_brand) - 1, 1, -1):
            if first in spellings(zh_brand[:size]):
                best = max(best, 0.9)
                break
    return best


def _latin_similarity(x: str, y: str) -> float:
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    # Short brands (ZTE, BYD, DJI, GREE) are too easy to confuse by edit distance: only exact counts.
    if min(len(x), len(y)) <= 5:
        return 0.0
    return float(fuzz.ratio(x, y)) / 100


def _industry_concepts(industries: Iterable[str]) -> set[str]:
    return {INDUSTRY_TERMS[t][0] for t in industries if t in INDUSTRY_TERMS}


@dataclass(frozen=True)
class _Profile:
    """Everything an enterprise registered, split: brands per name, and places/industries overall."""

    names: tuple[NameParts, ...]
    places: frozenset[str]
    industries: frozenset[str]
    acronyms: frozenset[str]


def _profile(identity: EnterpriseIdentity) -> _Profile:
    parts = tuple(split_name(n) for n in (*identity.names, *identity.aliases) if n.strip())
    full_names = [split_name(n) for n in identity.names]
    acronyms = frozenset(
        a.upper() for a in identity.aliases if a.isascii() and a.replace(" ", "").isalpha() and 2 <= len(a) <= 6
        and a.upper() == a.replace(" ", "").upper()
    )
    return _Profile(
        parts,
        frozenset(p for n in full_names for p in n.places),
        frozenset(_industry_concepts(i for n in full_names for i in n.industries)),
        acronyms,
    )


def _context(party: NameParts, profile: _Profile) -> tuple[float, list[MatchReason]]:
    adjust = 0.0
    reasons: list[MatchReason] = []
    if party.places and profile.places:
        common = set(party.places) & profile.places
        if common:
            adjust += 0.05
            reasons.append(MatchReason("place", _("same place: %(place)s", place=", ".join(sorted(common)))))
        else:
            adjust -= 0.15
            reasons.append(MatchReason("place", _("different places: %(a)s vs %(b)s", a=", ".join(party.places),
                                                   b=", ".join(sorted(profile.places)))))
    pi = _industry_concepts(party.industries)
    if pi and profile.industries:
        if pi & profile.industries:
            adjust += 0.03
            reasons.append(MatchReason("industry", _("same industry: %(industry)s",
                                                     industry=", ".join(sorted(pi & profile.industries)))))
        else:
            adjust -= 0.05
            reasons.append(MatchReason("industry", _("different industries: %(a)s vs %(b)s",
                                                     a=", ".join(sorted(pi)),
                                                     b=", ".join(sorted(profile.industries)))))
    return adjust, reasons


def match_party(party_name: str, identity: EnterpriseIdentity, *, context: str = "") -> EntityMatch:
    """Score one party name (plus any identifiers in ``context``) against one enterprise."""
    ids = identifiers_in(party_name + " " + context)
    for code, label in ((identity.uscc, "USCC"), (identity.lei, "LEI")):
        if code and code.upper() in ids:
            reason = MatchReason("identifier", _("%(kind)s %(code)s named in the event", kind=label, code=code))
            return EntityMatch(identity.enterprise_id, 1.0, "match", (reason,))
    wanted = normalize_alias(party_name)
    for known_name in (*identity.aliases, *identity.names):
        if wanted and normalize_alias(known_name) == wanted:
            reason = MatchReason("alias", _("%(name)s is a recorded name or alias", name=known_name))
            return EntityMatch(identity.enterprise_id, 0.98, "match", (reason,))
    profile = _profile(identity)
    party = split_name(party_name)
    best, best_reason = 0.0, None
    for known in profile.names:
        sim, how = brand_similarity(party, known)
        if sim > best:
            best = sim
            if how == "romanized_brand":
                zh, en = (party, known) if party.is_chinese else (known, party)
                best_reason = MatchReason("brand", _("brand %(zh)s romanizes to %(en)s (%(pct)s%%)", zh=zh.brand,
                                                     en=en.brand.upper(), pct=round(sim * 100)))
            else:
                best_reason = MatchReason("brand", _("brand %(a)s ~ %(b)s (%(pct)s%%)", a=party.brand,
                                                     b=known.brand, pct=round(sim * 100)))
    if not party.is_chinese and profile.acronyms:
        acronym = initials(party_name)
        if acronym in profile.acronyms and best < 0.95:
            best = 0.95
            best_reason = MatchReason("acronym", _("%(acronym)s is the initials of %(name)s", acronym=acronym,
                                                   name=party_name))
    if best <= 0 or best_reason is None:
        return EntityMatch(identity.enterprise_id, 0.0, "none", ())
    adjust, reasons = _context(party, profile)
    score = max(0.0, min(best * 0.92 + adjust, 1.0))
    return EntityMatch(identity.enterprise_id, round(score, 3), decide(score), (best_reason, *reasons))


def decide(score: float) -> str:
    if score >= MATCH_THRESHOLD:
        return "match"
    if score >= REVIEW_THRESHOLD:
        return "review"
    return "none"


def best_matches(
    party_name: str, identities: Iterable[EnterpriseIdentity], *, context: str = "", limit: int = 5
) -> list[EntityMatch]:
    """The enterprises ``party_name`` may be, best first, leaving out clear non-matches."""
    found = [m for m in (match_party(party_name, i, context=context) for i in identities) if m.decision != "none"]
    return sorted(found, key=lambda m: -m.score)[:limit]


def match_many(parties: Sequence[str], identities: Sequence[EnterpriseIdentity]) -> list[list[EntityMatch]]:
    return [best_matches(p, identities) for p in parties]
