"""Reference data: jurisdictions (WIPO ST.3 codes, names in English and Chinese) and treaty
memberships with dates (Paris, PCT, Madrid, Hague, WTO), as package data.

Derived from the shared WIPO treaty lists by ``scripts/derive_reference_data.py``; every
membership keeps its source, as-of date and confirmation status, and unconfirmed rows are
reported as such — the filing planner and the UI must never present them as settled.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from fenghuo.core.errors import NotFound
from fenghuo.core.i18n import _
from fenghuo.reference.citations import FALLBACKS, Citation, cite

DATA = Path(__file__).parent / "data"
TREATIES: tuple[str, ...] = ("paris", "pct", "madrid", "hague", "wto")

#: The 27 EU member states (since 2020-02-01): where an EU trade mark, a Community design and EU
#: customs enforcement (Reg. 608/2013) apply.
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name_en: str
    name_zh: str
    kind: str  # "state" | "regional"

    def name(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en


@dataclass(frozen=True)
class Membership:
    code: str
    treaty: str
    in_force_from: date | None
    status: str
    detail: str
    confirmed: str
    source: str
    as_of: date | None
    as_of_raw: str = ""  # as written ("2023-09-15 (eGuide version applicable date)") for the citation

    @property
    def citation(self) -> Citation:
        """The official source of this row as a page shows it (never the research trail itself)."""
        return cite(self.source, self.confirmed, self.as_of_raw or (self.as_of.isoformat() if self.as_of else ""),
                    fallback=FALLBACKS.get(self.treaty))

    @property
    def is_confirmed(self) -> bool:
        """Only rows the source list confirms outright; 'partial' or 'by implication' are not."""
        return self.confirmed.strip().lower() == "yes"

    def in_force_on(self, day: date) -> bool:
        status = self.status.lower()
        if status.startswith("no") and self.in_force_from is None:
            return False
        return self.in_force_from is None or self.in_force_from <= day

    @property
    def designable_from_china(self) -> bool:
        """Hague: China is bound by the 1999 Act only, so states bound only by the 1960 Act cannot be designated."""
        if self.treaty != "hague":
            return True
        return "designable from china: yes" in self.detail.lower()


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _jurisdictions() -> dict[str, Jurisdiction]:
    return {r["code"]: Jurisdiction(r["code"], r["name_en"], r["name_zh"], r["kind"])
            for r in _rows("jurisdictions.csv")}


@lru_cache(maxsize=1)
def _memberships() -> dict[str, list[Membership]]:
    out: dict[str, list[Membership]] = {}
    for r in _rows("memberships.csv"):
        out.setdefault(r["code"], []).append(
            Membership(r["code"], r["treaty"], _date(r["in_force_from"]), r["status"], r["detail"], r["confirmed"],
                       r["source"], _date(r["as_of"][:10]), r["as_of"])
        )
    return out


def list_jurisdictions(treaty: str | None = None, on: date | None = None) -> list[Jurisdiction]:
    """All jurisdictions, or those party to ``treaty`` (in force on ``on`` when given)."""
    items = sorted(_jurisdictions().values(), key=lambda j: j.code)
    if treaty is None:
        return items
    return [j for j in items if is_member(j.code, treaty, on or date.today())]


def get_jurisdiction(code: str) -> Jurisdiction:
    found = _jurisdictions().get(code.strip().upper())
    if found is None:
        raise NotFound(_("unknown jurisdiction code %(code)s", code=code))
    return found


def country_name(code: str, locale: str) -> str | None:
    """A jurisdiction's name in ``locale``: the table's, else the Unicode CLDR territory name (Babel), else None."""
    key = code.strip().upper()
    found = _jurisdictions().get(key)
    if found is not None:
        name = found.name(locale)
        if name:
            return name
    from babel import Locale, UnknownLocaleError

    try:
        territories = Locale.parse("zh_Hans_CN" if locale.startswith("zh") else "en").territories
    except (UnknownLocaleError, ValueError):
        return None
    return territories.get(key) or (found.name_en if found is not None else None)


def memberships(code: str) -> list[Membership]:
    get_jurisdiction(code)
    return list(_memberships().get(code.strip().upper(), []))


def membership(code: str, treaty: str) -> Membership | None:
    return next((m for m in memberships(code) if m.treaty == treaty), None)


def is_member(code: str, treaty: str, on: date) -> bool:
    """Whether ``code`` is bound by ``treaty`` on ``on`` (dated: accessions take effect on their date)."""
    found = membership(code, treaty)
    return found is not None and found.in_force_on(on)


__all__ = [
    "EU_MEMBER_STATES",
    "TREATIES",
    "Jurisdiction",
    "Membership",
    "get_jurisdiction",
    "is_member",
    "list_jurisdictions",
    "membership",
    "memberships",
]
