"""Explainable similarity of a watched mark and a register mark, and the risk score.

Signals (each a :class:`Reason` the user reads): identity; Chinese characters (same characters,
simplified/traditional folded, containment); romanized Chinese compared syllable by syllable
with voicing pairs folded (G/K, B/P, D/T — how 王老吉 catches WONG LO KAT); orthographic distance,
containment and prefix of Latin forms; phonetic keys (Metaphone); meaning (translations: 英雄 ↔
HERO); goods and services relatedness (``fenghuo.tm.goods``). The mark score is the strongest
signal; the risk score combines it with goods relatedness and the register status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from fenghuo.core.i18n import N_, _, message_json
from fenghuo.tm import goods as goods_mod
from fenghuo.tm.records import MarkStatus, PortfolioMark, RegisterRecord
from fenghuo.tm.variants import (
    Variant,
    cjk_only,
    compact,
    expand,
    has_cjk,
    latin_keys,
    normalize,
    to_simplified,
)

#: Recommended alert threshold (calibrated on euipo-oppositions-dev.csv; see bench/README.md).
DEFAULT_MIN_SCORE = 55
HIGH, MEDIUM = 75, 60

#: How much an exact match of each kind of variant counts (a translation is weaker than a spelling).
KIND_WEIGHT = {"original": 1.0, "normalized": 1.0, "alias": 1.0, "user": 1.0, "simplified": 1.0,
               "traditional": 1.0, "pinyin": 0.95, "pinyin_spaced": 0.95, "cantonese_hk": 0.93,
               "jyutping": 0.93, "wade_giles": 0.9, "translation": 0.88}
ROMANIZED = {"pinyin", "pinyin_spaced", "cantonese_hk", "jyutping", "wade_giles"}
_FOLD = str.maketrans({"G": "K", "B": "P", "D": "T", "'": None, "-": None, "Z": "S", "V": "W"})


@dataclass(frozen=True)
class Reason:
    signal: str
    message: str
    strength: float
    data: Mapping[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"signal": self.signal, "message": str(self.message),
                                  "strength": round(self.strength, 3), "data": dict(self.data)}
        i18n = message_json(self.message)
        if i18n:
            out["i18n"] = i18n  # so the reason reads in the language of whoever opens the alert
        return out


@dataclass(frozen=True)
class Assessment:
    score: int
    level: str
    reasons: tuple[Reason, ...]
    matched_variant: Variant | None
    mark_score: float
    goods_score: float


@dataclass
class WatchProfile:
    """A portfolio mark prepared for fast comparison."""

    mark: PortfolioMark
    variants: list[Variant]
    latin: list[tuple[str, Variant]]  # (compact upper-case form, variant)
    syllables: list[tuple[tuple[str, ...], Variant]]  # spaced romanizations split into syllables
    cjk: str  # simplified characters of the mark
    meanings: list[tuple[str, Variant]]  # normalized translations
    phonetic: dict[str, Variant]  # metaphone key → variant (Latin marks)
    owner_key: str
    terms: tuple[str, ...] = ()
    #: Distinctive words of the mark as written (for the cheap pre-filter's shared-word check).
    words: frozenset[str] = frozenset()

    @property
    def mark_id(self) -> str:
        return self.mark.mark_id


def level_for(score: int) -> str:
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def _fold(text: str) -> str:
    return text.upper().translate(_FOLD)


@lru_cache(maxsize=131072)
def _metaphone(word: str) -> str:
    return str(jellyfish.metaphone(word)) if word.isalpha() else ""


@lru_cache(maxsize=65536)
def owner_key(name: str) -> str:
    words = [w for w in normalize(name).split() if w not in _LEGAL_WORDS]
    return " ".join(words)


_LEGAL_WORDS = {"CO", "LTD", "LIMITED", "INC", "CORP", "CORPORATION", "COMPANY", "GMBH", "AG", "SA", "LLC", "PLC",
                "GROUP", "HOLDINGS", "HOLDING", "SRL", "SL", "BV", "NV", "KG"}


def prepare(mark: PortfolioMark, variants: Sequence[Variant] | None = None) -> WatchProfile:
    chosen = [v for v in (variants if variants is not None else expand(mark.mark, mark.aliases)) if v.enabled]
    latin: list[tuple[str, Variant]] = []
    syllables: list[tuple[tuple[str, ...], Variant]] = []
    meanings: list[tuple[str, Variant]] = []
    phonetic: dict[str, Variant] = {}
    for v in chosen:
        if has_cjk(v.text):
            continue
        form = compact(v.text)
        if not form:
            continue
        if v.kind == "translation":
            meanings.append((normalize(v.text), v))
            continue
        latin.append((form, v))
        words = normalize(v.text).split()
        if v.kind in ROMANIZED and len(words) > 1:
            syllables.append((tuple(words), v))
        if v.kind in ("original", "normalized", "alias", "user"):
            key = _metaphone(form)
            if len(key) >= 3:
                phonetic.setdefault(key, v)
    cjk = to_simplified(cjk_only(mark.mark))
    distinctive = frozenset(w for v in chosen if v.kind in ("original", "normalized", "alias", "user")
                      for w in normalize(v.text).split() if len(w) >= 4 and w not in STOP_WORDS and not has_cjk(w))
    return WatchProfile(mark, chosen, latin, syllables, cjk, meanings, phonetic, owner_key(mark.owner),
                        tuple(mark.extra.get("goods", "").split(";")) if mark.extra.get("goods") else (), distinctive)


def quick_mark_score(profile: WatchProfile, text: str) -> float:
    """A cheap upper-bound-ish pre-filter (0..1) before the full :func:`assess`."""
    if not text:
        return 0.0
    best = 0.0
    if profile.cjk and has_cjk(text):
        theirs = to_simplified(cjk_only(text))
        if profile.cjk in theirs or theirs in profile.cjk:
            return 1.0
        best = len(set(profile.cjk) & set(theirs)) / max(len(set(profile.cjk)), 1)
    keys = latin_keys(text)
    for form, _v in profile.latin:
        for key in keys:
            if form in key or key in form:
                return 1.0
            best = max(best, fuzz.ratio(form, key) / 100)
    normalized = normalize(text)
    for meaning, _v in profile.meanings:
        if meaning and meaning in normalized:
            return 1.0
    if profile.words:
        # A shared distinctive word (CAIXA in CAIXABANK vs CAIXA AZUL) is worth a full look.
        for theirs in normalized.split():
            if len(theirs) >= 4 and any(theirs.startswith(w) or w.startswith(theirs) for w in profile.words):
                return max(best, 0.7)
    return best


def _syllable_score(ours: tuple[str, ...], theirs: list[str]) -> float:
    if len(ours) != len(theirs):
        return 0.0
    total = 0.0
    for a, b in zip(ours, theirs, strict=True):
        fa, fb = _fold(a), _fold(b)
        total += 1.0 if fa == fb else fuzz.ratio(fa, fb) / 100 * 0.9
    return total / len(ours)


def mark_similarity(profile: WatchProfile, text: str) -> tuple[float, list[Reason], Variant | None]:
    """The strongest signals between the watched mark and a register mark's text."""
    reasons: list[Reason] = []
    if not text.strip():
        return 0.0, reasons, None
    theirs_norm = normalize(text)
    theirs_compact = compact(text)
    theirs_words = [w for w in theirs_norm.split() if not has_cjk(w)]
    mark = profile.mark.mark
    # Chinese characters on both sides.
    if profile.cjk and has_cjk(text):
        theirs_cjk = to_simplified(cjk_only(text))
        if theirs_cjk == profile.cjk:
            folded = cjk_only(text) != cjk_only(mark)
            reasons.append(Reason("shape", _("same characters %(a)s and %(b)s%(fold)s", a=mark, b=text,
                                             fold=_(" (simplified/traditional folded)") if folded else ""), 1.0))
        elif min(len(profile.cjk), len(theirs_cjk)) >= 2 and (profile.cjk in theirs_cjk or theirs_cjk in profile.cjk):
            outer, inner = (text, mark) if profile.cjk in theirs_cjk else (mark, text)
            reasons.append(Reason("containment", _("%(a)s contains %(b)s", a=outer, b=inner), 0.85))
        else:
            shared = set(profile.cjk) & set(theirs_cjk)
            if shared and len(profile.cjk) >= 2:
                ratio = 2 * len(shared) / (len(set(profile.cjk)) + len(set(theirs_cjk)))
                if ratio >= 0.5:
                    reasons.append(Reason("shape", _("shares the characters %(chars)s", chars="".join(sorted(shared))),
                                          0.75 * ratio))
    # Latin forms (original spelling, pinyin, Cantonese, …) against every Latin form of theirs.
    their_keys = latin_keys(text)
    for form, variant in profile.latin:
        weight = KIND_WEIGHT.get(variant.kind, 0.9)
        romanized = variant.kind in ROMANIZED
        for key in their_keys:
            a, b = (_fold(form), _fold(key)) if romanized else (form, key)
            if a == b:
                reasons.append(_exact_reason(variant, mark, text, key, weight))
                continue
            if min(len(form), len(key)) >= 4 and (form in key or key in form):
                inner, outer = (form, key) if form in key else (key, form)
                strength = (0.82 if len(inner) >= 5 else 0.72) * weight
                reasons.append(Reason("containment", _("%(outer)s contains %(inner)s (%(kind)s)", outer=text if
                                                       inner == form else variant.text, inner=variant.text if
                                                       inner == form else text, kind=_kind_label(variant.kind)),
                                      strength, {"variant": variant.text}))
                continue
            ratio = fuzz.ratio(a, b) / 100
            jw = JaroWinkler.similarity(a, b)
            sim = max(ratio, jw - 0.08)
            if sim >= 0.75 and min(len(a), len(b)) >= 3:
                reasons.append(Reason("phonetic" if romanized else "orthographic",
                                      _("%(a)s ~ %(b)s (%(kind)s, %(pct)s%% alike)", a=variant.text, b=text,
                                        kind=_kind_label(variant.kind), pct=round(sim * 100)),
                                      sim * 0.92 * weight, {"variant": variant.text, "similarity": round(sim, 3)}))
    # A shared distinctive word: CAIXABANK XPERIENCE vs CAIXA AZUL, REAL TESORO vs TESOROS DEL SUR.
    word_reason = _shared_word(profile, theirs_words, theirs_compact, text)
    if word_reason is not None:
        reasons.append(word_reason)
    # Syllable by syllable: 王老吉 (wong lo gat) vs WONG LO KAT.
    for sylls, variant in profile.syllables:
        score = _syllable_score(sylls, theirs_words)
        if score >= 0.8:
            reasons.append(Reason("syllables", _("%(b)s matches %(a)s syllable by syllable (%(kind)s, %(pct)s%%)",
                                                 a=variant.text, b=text, kind=_kind_label(variant.kind),
                                                 pct=round(score * 100)),
                                  min(0.97, score) * KIND_WEIGHT.get(variant.kind, 0.9), {"variant": variant.text}))
    # Phonetic keys of Latin marks.
    if profile.phonetic and theirs_compact.isalpha():
        key = _metaphone(theirs_compact)
        if key in profile.phonetic and profile.latin and theirs_compact != profile.latin[0][0]:
            v = profile.phonetic[key]
            reasons.append(Reason("phonetic", _("%(a)s sounds like %(b)s (Metaphone %(key)s)", a=text, b=v.text,
                                                key=key), 0.8, {"variant": v.text}))
    # Meaning: translations.
    for meaning, variant in profile.meanings:
        if meaning == theirs_norm:
            reasons.append(Reason("meaning", _("%(b)s is the English translation of %(mark)s", b=text, mark=mark),
                                  0.9, {"variant": variant.text}))
        elif len(meaning) >= 4 and f" {meaning} " in f" {theirs_norm} ":
            reasons.append(Reason("meaning", _("%(b)s contains %(a)s, the translation of %(mark)s", a=meaning,
                                               b=text, mark=mark), 0.72, {"variant": variant.text}))
    if not reasons:
        return 0.0, reasons, None
    reasons.sort(key=lambda r: -r.strength)
    best = reasons[0]
    variant_text = best.data.get("variant") if best.data else None
    matched = next((v for v in profile.variants if v.text == variant_text), None)
    # Keep the best reason per signal, strongest first.
    seen: set[str] = set()
    unique = []
    for r in reasons:
        if r.signal not in seen:
            seen.add(r.signal)
            unique.append(r)
    return best.strength, unique[:4], matched


STOP_WORDS = frozenset({"THE", "LA", "LE", "LES", "EL", "LOS", "LAS", "DE", "DEL", "DI", "DA", "DO", "DU", "OF", "AND",
                        "BY", "FOR", "AN", "A", "UND", "ET", "Y", "E", "IL", "DAS", "DER", "DIE", "TO", "IN", "ON"})


def _shared_word(profile: WatchProfile, theirs_words: list[str], theirs_compact: str, text: str) -> Reason | None:
    best: Reason | None = None
    their_set = [w for w in theirs_words if w not in STOP_WORDS and len(w) >= 2]
    for _form, variant in profile.latin:
        if variant.kind not in ("original", "normalized", "alias", "user"):
            continue
        for word in normalize(variant.text).split():
            if word in STOP_WORDS or len(word) < 3:
                continue
            for theirs in their_set:
                if word == theirs or (min(len(word), len(theirs)) >= 4 and (theirs.startswith(word)
                                                                             or word.startswith(theirs))):
                    strength = 0.72 if min(len(word), len(theirs)) >= 4 else 0.6
                elif min(len(word), len(theirs)) >= 5 and fuzz.ratio(word, theirs) >= 85:
                    strength = 0.66
                else:
                    continue
                if best is None or strength > best.strength:
                    best = Reason("word", _("%(b)s shares the word %(w)s with %(a)s", a=variant.text, b=text,
                                            w=theirs if len(theirs) <= len(word) else word), strength,
                                  {"variant": variant.text, "word": word})
            if len(word) >= 4 and word in theirs_compact and word not in their_set:
                strength = 0.62
                if best is None or strength > best.strength:
                    best = Reason("word", _("%(b)s contains the word %(w)s of %(a)s", a=variant.text, b=text, w=word),
                                  strength, {"variant": variant.text, "word": word})
    return best


_KIND_LABELS = {"pinyin": N_("pinyin"), "pinyin_spaced": N_("pinyin"), "cantonese_hk": N_("Cantonese"),
                "jyutping": N_("Cantonese Jyutping"), "wade_giles": N_("Wade-Giles"),
                "translation": N_("translation"), "alias": N_("alias"), "user": N_("user variant"),
                "original": N_("as registered"), "normalized": N_("as registered"), "simplified": N_("simplified"),
                "traditional": N_("traditional")}


def _kind_label(kind: str) -> str:
    label = _KIND_LABELS.get(kind)
    return _(label) if label else kind


def _exact_reason(variant: Variant, mark: str, text: str, key: str, weight: float) -> Reason:
    if variant.kind in ("original", "normalized", "simplified", "traditional"):
        return Reason("identity", _("%(b)s is identical to %(a)s", a=mark, b=text), weight, {"variant": variant.text})
    if variant.kind in ("pinyin", "pinyin_spaced"):
        return Reason("pinyin", _("pinyin of %(a)s is %(b)s — identical", a=mark, b=key), weight,
                      {"variant": variant.text})
    if variant.kind in ("cantonese_hk", "jyutping"):
        return Reason("cantonese", _("Cantonese of %(a)s is %(v)s — %(b)s is the same spelling", a=mark,
                                     v=variant.text, b=text), weight, {"variant": variant.text})
    return Reason("identity", _("%(b)s is identical to the %(kind)s %(v)s", b=text, kind=_kind_label(variant.kind),
                                v=variant.text), weight, {"variant": variant.text})


def is_own_filing(profile: WatchProfile, record: RegisterRecord) -> bool:
    """Filings by the portfolio owner itself are not conflicts."""
    if not profile.owner_key:
        return False
    for party in record.applicants:
        key = owner_key(party.name) if party.name else ""
        if key and (key == profile.owner_key or fuzz.token_set_ratio(key, profile.owner_key) >= 95):
            return True
    return False


def assess(profile: WatchProfile, record: RegisterRecord, *, boost: Sequence[Reason] = ()) -> Assessment:
    """Score one register record against one watched mark, with the reasons."""
    texts = [v.text for v in record.verbal_elements]
    texts += [v.transliteration for v in record.verbal_elements if v.transliteration]
    best_score, best_reasons, matched = 0.0, [], None
    for text in texts:
        score, reasons, variant = mark_similarity(profile, text)
        if score > best_score:
            best_score, best_reasons, matched = score, reasons, variant
    if best_score <= 0:
        message = _("figurative mark without words: compare the images by eye") if not texts else \
            _("no similarity between %(a)s and %(b)s", a=profile.mark.mark, b=record.mark_text)
        return Assessment(0, "low", (Reason("none", message, 0.0),), None, 0.0, 0.0)
    goods = goods_mod.relatedness(profile.mark.classes, profile.terms,
                                  [(g.nice_class, g.terms) for g in record.goods_services])
    reasons = list(best_reasons)
    reasons.append(Reason("goods", goods.message, goods.score, {"level": goods.level, **goods.data}))
    raw = best_score * (0.45 + 0.55 * goods.score)
    if record.status in (MarkStatus.ENDED, MarkStatus.EXPIRED):
        raw *= 0.7
        reasons.append(Reason("status", _("the register mark is no longer in force (%(status)s)",
                                          status=record.office_status or record.status.value), 0.0))
    for extra in boost:
        raw = min(1.0, raw + extra.strength * 0.25)
        reasons.append(extra)
    score = max(0, min(100, round(raw * 100)))
    return Assessment(score, level_for(score), tuple(reasons), matched, round(best_score, 3), goods.score)


def apply_squatter_boost(assessment: Assessment, reason: Reason) -> Assessment:
    """Raise an alert's score by applicant-level squatting evidence (capped at 100)."""
    score = min(100, assessment.score + round(reason.strength * 25))
    return replace(assessment, score=score, level=level_for(score), reasons=(*assessment.reasons, reason))


__all__ = [
    "DEFAULT_MIN_SCORE",
    "Assessment",
    "Reason",
    "WatchProfile",
    "apply_squatter_boost",
    "assess",
    "is_own_filing",
    "level_for",
    "mark_similarity",
    "prepare",
    "quick_mark_score",
]
