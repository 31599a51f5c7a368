"""Applicant-level squatting evidence: who files Chinese enterprises' marks abroad, and how.

One conflicting filing may be a coincidence; a pattern is not. Four signals, each explained:

* **several enterprises**: the applicant's filings conflict with marks watched by several
  unrelated organisations on the platform (counted, never named — tenants stay private);
* **Chinese-brand pattern**: a non-Chinese applicant files many marks that are pinyin or
  Chinese characters;
* **agent or distributor** (Paris Convention Art. 6septies): the applicant is a business
  partner the enterprise recorded;
* **trade-fair burst**: filings within 90 days after a trade fair in the applicant's country.

The combined evidence becomes one :class:`~fenghuo.tm.similarity.Reason` that raises the risk
of every alert on that applicant's filings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from fenghuo.core.i18n import _
from fenghuo.tm.models import Alert, BusinessRelationship, RegisterMark, TradeFair
from fenghuo.tm.similarity import Reason
from fenghuo.tm.variants import has_cjk, normalize

CHINESE_ORIGIN = frozenset({"CN", "HK", "MO", "TW"})
FAIR_WINDOW = timedelta(days=90)
PATTERN_MIN = 3


@lru_cache(maxsize=1)
def pinyin_syllables_set() -> frozenset[str]:
    """Every toneless pinyin syllable (from pypinyin's dictionary), upper case."""
    from pypinyin import Style
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.style import convert

    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            plain = convert(reading, Style.NORMAL, strict=False)
            if plain.isalpha() and plain.isascii():
                out.add(plain.upper().replace("V", "U"))
    return frozenset(out)


def is_pinyin(text: str) -> bool:
    """Whether a Latin mark reads as pinyin syllables only (two or more): HAIXIN, WANG LAO JI."""
    syllables = pinyin_syllables_set()
    word = "".join(normalize(text).split())
    if len(word) < 4 or not word.isalpha():
        return False
    best: list[int | None] = [0] + [None] * len(word)  # fewest syllables to cover word[:i]
    for i in range(1, len(word) + 1):
        for j in range(max(0, i - 6), i):
            if best[j] is not None and word[j:i] in syllables:
                count = best[j] + 1  # type: ignore[operator]
                if best[i] is None or count < best[i]:  # type: ignore[operator]
                    best[i] = count
    return best[-1] is not None and best[-1] >= 2


def looks_chinese(mark_text: str) -> bool:
    return bool(mark_text) and (has_cjk(mark_text) or is_pinyin(mark_text))


@dataclass
class Evidence:
    applicant_key: str
    filings: int = 0
    chinese_like: list[str] = field(default_factory=list)
    other_organisations: int = 0
    relationships: list[str] = field(default_factory=list)
    fair_filings: list[tuple[str, str]] = field(default_factory=list)  # (mark, fair)
    country: str | None = None

    @property
    def strength(self) -> float:
        value = 0.0
        if self.relationships:
            value += 1.0
        if self.other_organisations >= 1:
            value += min(0.8, 0.3 + 0.2 * self.other_organisations)
        if len(self.chinese_like) >= PATTERN_MIN and (self.country or "").upper() not in CHINESE_ORIGIN:
            value += min(0.6, 0.1 * len(self.chinese_like))
        if len(self.fair_filings) >= 2:
            value += 0.3
        return min(1.0, value)

    def messages(self) -> list[str]:
        out: list[str] = []
        if self.relationships:
            relations = ", ".join(relation_label(r) for r in self.relationships)
            out.append(_("the applicant is your recorded %(relation)s — an agent or representative filing its "
                         "principal's mark (Paris Convention Art. 6septies)", relation=relations))
        if self.other_organisations:
            out.append(_("the applicant's filings also conflict with marks of %(n)s other Chinese enterprise(s) "
                         "watching on Fenghuo", n=self.other_organisations))
        if len(self.chinese_like) >= PATTERN_MIN and (self.country or "").upper() not in CHINESE_ORIGIN:
            out.append(_("%(n)s of the applicant's %(total)s filings are Chinese words or pinyin: %(marks)s",
                         n=len(self.chinese_like), total=self.filings, marks=", ".join(self.chinese_like[:6])))
        if len(self.fair_filings) >= 2:
            out.append(_("%(n)s filings within 90 days after a trade fair: %(fairs)s", n=len(self.fair_filings),
                         fairs=", ".join(sorted({f for _m, f in self.fair_filings}))))
        return out

    def reason(self) -> Reason | None:
        if self.strength <= 0:
            return None
        return Reason("squatter", _("squatting evidence against the applicant: %(items)s",
                                    items="; ".join(self.messages())), self.strength,
                      {"applicant_key": self.applicant_key})


def relation_label(relation: str) -> str:
    labels = {"distributor": _("distributor"), "agent": _("agent"), "licensee": _("licensee")}
    return labels.get(relation, relation)


def _relationships(session: Session, org_id: int, key: str) -> list[str]:
    found: list[str] = []
    rows = session.scalars(select(BusinessRelationship).where(BusinessRelationship.organisation_id == org_id))
    for row in rows:
        if row.counterpart_key and (row.counterpart_key == key or fuzz.token_set_ratio(row.counterpart_key, key) >= 92):
            found.append(row.relation)
    return sorted(set(found))


def relationship_key(name: str) -> str:
    from fenghuo.tm.similarity import owner_key

    return owner_key(name)


def evidence_for(session: Session, applicant_key: str, org_id: int | None) -> Evidence:
    """Collect the evidence on one applicant (``session`` must see the whole register and alerts)."""
    evidence = Evidence(applicant_key)
    filings = list(session.execute(
        select(RegisterMark.id, RegisterMark.mark_text, RegisterMark.application_date, RegisterMark.applicant_country)
        .where(RegisterMark.applicant_key == applicant_key)).all())
    evidence.filings = len(filings)
    evidence.country = next((c for _i, _t, _d, c in filings if c), None)
    evidence.chinese_like = sorted({t for _i, t, _d, _c in filings if looks_chinese(t)})
    others = select(func.count(distinct(Alert.organisation_id))).join(
        RegisterMark, RegisterMark.id == Alert.register_mark_id).where(
        RegisterMark.applicant_key == applicant_key, Alert.state != "dismissed")
    if org_id is not None:
        others = others.where(Alert.organisation_id != org_id)
    evidence.other_organisations = int(session.scalar(others) or 0)
    if org_id is not None:
        evidence.relationships = _relationships(session, org_id, applicant_key)
    fairs = list(session.scalars(select(TradeFair)))
    for _id, text, filed, country in filings:
        if not filed:
            continue
        for fair in fairs:
            if (not fair.country or not country or fair.country == country) and \
                    fair.end_date <= filed <= fair.end_date + FAIR_WINDOW:
                evidence.fair_filings.append((text, fair.name))
                break
    return evidence


def fair_within(filed: date | None, fair: TradeFair) -> bool:
    return bool(filed) and fair.end_date <= filed <= fair.end_date + FAIR_WINDOW  # type: ignore[operator]
