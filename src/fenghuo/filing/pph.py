"""PPH eligibility against CNIPA's partner offices, by programme, with the request checklist.

Why each answer carries the row's confirmation status: CNIPA counted 33 partners in 2024 but only
some rows of the partner list are confirmed from a notice; a user must see "unconfirmed" before
relying on a programme, and see the last known term (many pilots were extended by notices the
list does not have).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import N_, _
from fenghuo.filing.offices import regional_systems
from fenghuo.reference.citations import FALLBACKS, Citation, cite

DATA = Path(__file__).parent / "data"
PROGRAMMES = ("bilateral", "ip5", "pct-pph")


_DATE = r"(\d{4}-\d{2}-\d{2})"
#: The shapes the recorded terms take ("extended to 2028-10-31", "extended indefinitely from
#: 2016-07-01", "to 2021-09-01; later status unconfirmed" …), each as one translatable sentence.
_STATUS_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^extended indefinitely from " + _DATE), N_("extended indefinitely from %(date)s")),
    (re.compile(r"^IP5 PPH extended \(\d{4} notice: to " + _DATE + r"\)"), N_("IP5 PPH extended to %(date)s")),
    (re.compile(r"^extended \d{4}-\d{2}-\d{2}\.\." + _DATE), N_("extended to %(date)s")),
    (re.compile(r"^extended (\d+) years from " + _DATE), N_("extended for %(years)s years from %(date)s")),
    (re.compile(r"^extended(?: \d+ years)? to " + _DATE), N_("extended to %(date)s")),
    (re.compile(r"^new programme to " + _DATE), N_("new programme until %(date)s")),
    (re.compile(r"^to " + _DATE), N_("until %(date)s")),
)


def describe_status(status: str) -> str:
    """A recorded PPH term as a sentence in the current locale, dates formatted for the reader.

    The partner table keeps the researcher's English note (with where it was found); the page
    shows only its meaning: the term, and whether what came after is unconfirmed. A note of an
    unknown shape is shown as recorded rather than guessed at.
    """
    from fenghuo.core.formatting import fmt_date

    text = (status or "").strip()
    if not text:
        return ""
    if text.lower() == "current term unconfirmed":
        return str(_("current term unconfirmed"))
    for pattern, msgid in _STATUS_SHAPES:
        match = pattern.match(text)
        if match:
            *years, day = match.groups()
            sentence = str(_(msgid, date=fmt_date(day), years=years[0] if years else ""))
            if "unconfirmed" in text.lower():
                sentence += str(_("; later status unconfirmed"))
            return sentence
    return text


@dataclass(frozen=True)
class Partner:
    code: str
    office: str
    bilateral: bool
    ip5: bool
    pct_pph: str  # yes | no | not stated
    programme: str
    start_date: str
    status: str
    confirmed: str  # yes | partial | unconfirmed
    source: str
    as_of: str

    @property
    def citation(self) -> Citation:
        """CNIPA's partner list as the source a page names (the research trail stays in the data)."""
        return cite(self.source, self.confirmed, self.as_of, fallback=FALLBACKS["pph"])

    @property
    def status_text(self) -> str:
        """The programme's last known term in the reader's language (see :func:`describe_status`)."""
        return describe_status(self.status)

    def offers(self, programme: str) -> str:
        """``yes``, ``no`` or ``not stated`` for one programme."""
        if programme == "bilateral":
            return "yes" if self.bilateral else "no"
        if programme == "ip5":
            return "yes" if self.ip5 else "no"
        return self.pct_pph


@dataclass
class Eligibility:
    office: str
    programme: str | None
    partner: Partner | None
    via: str | None = None
    eligible: str = "no"  # yes | unconfirmed | no
    summary: str = ""
    warnings: list[str] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)

    @property
    def basis(self) -> str:
        if not self.partner:
            return ""
        unconfirmed = "" if self.partner.confirmed == "yes" else f" (unconfirmed: {self.partner.confirmed})"
        return f"{self.partner.source} [{self.partner.as_of}]{unconfirmed}"

    def to_dict(self) -> dict[str, object]:
        p = self.partner
        return {"office": self.office, "programme": self.programme, "eligible": self.eligible,
                "summary": self.summary, "via": self.via, "warnings": self.warnings, "checklist": self.checklist,
                "partner": None if p is None else {
                    "code": p.code, "office": p.office, "programmes": {k: p.offers(k) for k in PROGRAMMES},
                    "programme": p.programme, "start_date": p.start_date, "status": p.status,
                    "confirmed": p.confirmed, "source": p.source, "as_of": p.as_of}}


@lru_cache(maxsize=1)
def partners() -> dict[str, Partner]:
    with (DATA / "pph_partners.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {r["code"]: Partner(r["code"], r["office"], r["bilateral"] == "yes", r["ip5"] == "yes", r["pct_pph"],
                               r["programme"], r["start_date"], r["status"], r["confirmed"], r["source"], r["as_of"])
            for r in rows}


def checklist(programme: str | None) -> list[str]:
    """What a PPH request at the later office holds when CNIPA is the office of earlier examination."""
    items = [
        _("Request form of the office of later examination, citing the CNIPA application (same earliest date)"),
        _("Claims CNIPA found allowable (notice of allowance or office action) and their translation"),
        _("Claim correspondence table: every claim to be examined sufficiently corresponds to an allowable claim"),
        _("Copies of every CNIPA office action on patentability, with translations"),
        _("Documents cited by the CNIPA examiner (non-patent literature in full)"),
        _("Confirmation that substantive examination has not begun at the later office"),
    ]
    if programme == "pct-pph":
        items[1] = _("The latest PCT work product (WO/ISA, WO/IPEA or IPER by CNIPA) stating a claim has novelty, "
                     "inventive step and industrial applicability, with translation")
    return items


def _norm_programme(programme: str | None) -> str | None:
    if programme is None or not programme.strip():
        return None
    key = programme.strip().lower().replace("_", "-")
    key = "pct-pph" if key in ("pct", "pctpph", "pct-pph") else key
    if key not in PROGRAMMES:
        raise ValidationFailed(_("unknown PPH programme %(value)s (bilateral, ip5, pct-pph)", value=programme[:40]),
                               field="programme", record=programme[:40])
    return key


def check(office: str, programme: str | None = None, *, on: date | None = None) -> Eligibility:
    """Is a PPH request at ``office`` based on CNIPA work products possible (under ``programme``)?"""
    code = office.strip().upper()
    if not code.isalpha() or len(code) != 2:
        raise ValidationFailed(_("%(value)s is not an office code", value=office[:20]), field="office",
                               record=office[:20])
    prog = _norm_programme(programme)
    table = partners()
    partner, via = table.get(code), None
    if partner is None:
        for system in regional_systems(code):
            if system in table:
                partner, via = table[system], system
                break
    result = Eligibility(code, prog, partner, via)
    result.checklist = checklist(prog)
    if partner is None:
        result.summary = _("%(office)s is not in CNIPA's PPH partner list (CNIPA is not in the Global PPH)",
                           office=code)
        return result
    offered = [k for k in PROGRAMMES if partner.offers(k) == "yes"]
    wanted = [prog] if prog else offered or ["bilateral"]
    states = {k: partner.offers(k) for k in wanted}
    if all(v == "no" for v in states.values()):
        result.summary = _("%(office)s does not offer %(programme)s with CNIPA (offers: %(offers)s)", office=code,
                           programme=", ".join(wanted), offers=", ".join(offered) or "-")
        return result
    result.eligible = "yes" if partner.confirmed == "yes" and all(v == "yes" for v in states.values()) \
        else "unconfirmed"
    where = partner.office + (_(" (via %(system)s)", system=via) if via else "")
    result.summary = _("%(where)s: %(programmes)s with CNIPA since %(start)s; last known status: %(status)s",
                       where=where, programmes=", ".join(f"{k} {v}" for k, v in states.items()),
                       start=partner.start_date or "?", status=partner.status_text or "?")
    if partner.confirmed != "yes":
        result.warnings.append(_("partner row unconfirmed (%(level)s): verify with CNIPA before filing",
                                 level=partner.confirmed))
    if "unconfirmed" in partner.status.lower() or "later status" in partner.status.lower():
        result.warnings.append(_("current term of the programme unconfirmed: %(status)s",
                                 status=partner.status_text))
    if any(v == "not stated" for v in states.values()):
        result.warnings.append(_("the partner list does not say whether PCT work products are accepted"))
    if via:
        result.warnings.append(_("reached through the regional office %(system)s", system=via))
    return result
