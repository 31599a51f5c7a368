"""Claim correspondence for a PPH request: align claims to be examined with CNIPA's allowed claims.

Why features and not only a similarity score: PPH asks that every claim to be examined
"sufficiently corresponds" — the same or narrower scope, in the same category. A claim that drops
a feature of every allowed claim broadens the scope even when its wording scores high on a fuzzy
ratio; a method claim never corresponds to an allowed product claim. So each claim is expanded
with the claims it refers to, split into features, and compared by containment of the allowed
claim's features (tokens matched with rapidfuzz to absorb plurals and small translation
differences), with the token ratio reported as supporting evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _

CLAIM_START = re.compile(r"^\s*(?:claim\s+)?(\d{1,3})\s*[.)．、:]\s*", re.IGNORECASE | re.MULTILINE)
REFERENCE = re.compile(r"(?:claims?|权利要求)\s*(\d{1,3})(?:\s*(?:or|to|-|至|或|and)\s*(\d{1,3}))?", re.IGNORECASE)
FEATURE_SPLIT = re.compile(
    r";|,|\bwherein\b|\bcomprising\b|\bcomprises\b|\bcharacterized in that\b|\band\b|；|，|其中|包括",
    re.IGNORECASE)
STOPWORDS = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "for", "with", "said", "by", "at", "from", "is", "are", "be", "being",
    "which", "that", "as", "claim", "claims", "according", "any", "one", "wherein", "comprising", "comprises",
    "further"))
METHOD_WORDS = ("method", "process", "use of", "方法", "用途")
MAX_CLAIMS = 300
MAX_TEXT = 200_000
CONTAINMENT_OK = 0.85
TOKEN_MATCH = 85


@dataclass(frozen=True)
class Claim:
    number: int
    text: str
    refs: tuple[int, ...]

    @property
    def category(self) -> str:
        head = self.text.lower()[:80]
        return "method" if any(w in head for w in METHOD_WORDS) else "product"


@dataclass
class Correspondence:
    number: int
    corresponds: bool
    allowed: int | None
    ratio: int
    containment: float
    reason: str
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"claim": self.number, "corresponds": self.corresponds, "allowed_claim": self.allowed,
                "token_ratio": self.ratio, "containment": round(self.containment, 2), "reason": self.reason,
                "missing_features": self.missing, "added_features": self.added}


def split_claims(text: str, field_name: str) -> dict[int, Claim]:
    """``1. A … 2. The … of claim 1 …`` → claims by number; bad numbering names the claim and field."""
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("the claims are longer than %(n)s characters", n=MAX_TEXT), field=field_name,
                               record=field_name)
    starts = list(CLAIM_START.finditer(text))
    if not starts:
        raise ValidationFailed(_("no numbered claims found (start each claim with '1.', '2.' …)"), field=field_name,
                               record=field_name)
    claims: dict[int, Claim] = {}
    for i, m in enumerate(starts):
        number = int(m.group(1))
        body = " ".join(text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)].split())
        record = _("claim %(n)s", n=number)
        if number in claims:
            raise ValidationFailed(_("claim number %(n)s appears twice", n=number), field=field_name, record=record)
        if not body:
            raise ValidationFailed(_("claim %(n)s is empty", n=number), field=field_name, record=record)
        refs: list[int] = []
        for ref in REFERENCE.finditer(body):
            low, high = int(ref.group(1)), int(ref.group(2) or ref.group(1))
            refs += list(range(low, max(low, high) + 1)) if high - low < 50 else [low, high]
        bad = [r for r in refs if r >= number]
        if bad:
            raise ValidationFailed(_("claim %(n)s refers to claim %(ref)s, which does not precede it", n=number,
                                     ref=bad[0]), field=field_name, record=record)
        claims[number] = Claim(number, body, tuple(dict.fromkeys(refs)))
        if len(claims) > MAX_CLAIMS:
            raise ValidationFailed(_("more than %(n)s claims", n=MAX_CLAIMS), field=field_name, record=field_name)
    return claims


def _tokens(text: str) -> list[str]:
    # Chinese runs and Latin/digit runs apart: "权利要求1所述的" is two Chinese runs and a number.
    words = re.findall(r"[\u4e00-\u9fff]+|[^\W\u4e00-\u9fff]+", text.lower())
    out: list[str] = []
    for w in words:
        if re.match(r"^[\u4e00-\u9fff]+$", w):
            out += [w[i:i + 2] for i in range(max(len(w) - 1, 1))]  # Chinese: character bigrams
        elif w not in STOPWORDS and not w.isdigit():
            out.append(w)
    return out


def _features(claim_text: str) -> list[str]:
    body = REFERENCE.sub(" ", claim_text)
    return [f.strip(" .") for f in FEATURE_SPLIT.split(body) if len(_tokens(f)) > 0]


def _full_text(claims: dict[int, Claim], number: int, seen: frozenset[int] = frozenset()) -> str:
    """The claim with the text of the first claim it refers to (a dependent claim has its parent's features)."""
    claim = claims[number]
    if not claim.refs or number in seen:
        return claim.text
    parent = claim.refs[0]
    if parent not in claims:
        return claim.text
    return _full_text(claims, parent, seen | {number}) + " ; " + claim.text


def _contains(feature: str, tokens: set[str]) -> bool:
    wanted = _tokens(feature)
    if not wanted:
        return True
    hits = sum(1 for w in wanted if w in tokens or any(fuzz.ratio(w, t) >= TOKEN_MATCH for t in tokens))
    return hits / len(wanted) >= 0.8


def _compare(examined: str, allowed: str) -> tuple[float, list[str], list[str]]:
    ex_tokens = set(_tokens(examined))
    al_tokens = set(_tokens(allowed))
    features = _features(allowed)
    missing = [f for f in features if not _contains(f, ex_tokens)]
    containment = 1 - len(missing) / len(features) if features else 0.0
    added = [f for f in _features(examined) if not _contains(f, al_tokens)]
    return containment, missing, added


def correspond(allowed_text: str, examined_text: str) -> list[Correspondence]:
    """One verdict per claim to be examined, each with the allowed claim it was aligned with and why."""
    allowed = split_claims(allowed_text, "allowed")
    examined = split_claims(examined_text, "examined")
    for claims, name in ((examined, "examined"),):
        for c in claims.values():
            for ref in c.refs:
                if ref not in claims:
                    raise ValidationFailed(_("claim %(n)s refers to claim %(ref)s, which is missing", n=c.number,
                                             ref=ref), field=name, record=_("claim %(n)s", n=c.number))
    full_allowed = {n: _full_text(allowed, n) for n in allowed}
    out: list[Correspondence] = []
    for number in sorted(examined):
        text = _full_text(examined, number)
        category = examined[_root(examined, number)].category
        candidates = []
        for a_num, a_text in full_allowed.items():
            containment, missing, added = _compare(text, a_text)
            ratio = int(round(fuzz.token_set_ratio(text, a_text)))
            same_cat = allowed[_root(allowed, a_num)].category == category
            # same category first, then most of the allowed claim's features, then fewest additions
            candidates.append(((same_cat, containment, -len(added), ratio),
                               (containment, a_num, ratio, missing, added)))
        best = max(candidates, key=lambda c: c[0])[1]
        containment, a_num, ratio, missing, added = best
        other = [c[1] for c in candidates if not c[0][0] and c[0][1] >= CONTAINMENT_OK]
        if other and (containment < CONTAINMENT_OK or not any(c[0][0] for c in candidates)):
            containment, a_num, ratio, missing, added = other[0]
        a_cat = allowed[_root(allowed, a_num)].category
        if a_cat != category:
            out.append(Correspondence(number, False, a_num, ratio, containment, _(
                "changes category: a %(ex)s claim, but allowed claim %(a)s is a %(al)s claim", ex=category, a=a_num,
                al=a_cat), missing, added))
        elif containment >= CONTAINMENT_OK and not added:
            out.append(Correspondence(number, True, a_num, ratio, containment, _(
                "adds nothing beyond allowed claim %(a)s (token ratio %(r)s)", a=a_num, r=ratio), missing, added))
        elif containment >= CONTAINMENT_OK:
            out.append(Correspondence(number, True, a_num, ratio, containment, _(
                "narrower than allowed claim %(a)s: adds %(added)s (check the description supports it)", a=a_num,
                added="; ".join(added[:3])), missing, added))
        else:
            out.append(Correspondence(number, False, a_num, ratio, containment, _(
                "broader than every allowed claim: closest is claim %(a)s (token ratio %(r)s), missing %(missing)s",
                a=a_num, r=ratio, missing="; ".join(missing[:3])), missing, added))
    return out


def _root(claims: dict[int, Claim], number: int) -> int:
    seen = set()
    while claims[number].refs and claims[number].refs[0] in claims and number not in seen:
        seen.add(number)
        number = claims[number].refs[0]
    return number
