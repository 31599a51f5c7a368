"""Legal clocks of dispute events and cases, computed only by the deadline engine.

Why a table of rule ids and no arithmetic here: the deadline engine owns holidays, working days
and non-working-day rolls; this module only decides which cited rule applies to which event
and from which trigger date (service if known, else filing or receipt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.deadlines import compute

#: The first clock an event starts for the party that must act, by event kind.
FIRST_CLOCK: dict[str, str] = {
    "itc337": "R-US-ITC337-ANSWER",
    "us_district": "R-US-ANSWER",
    "schedule_a": "R-US-ANSWER",
    "eu_customs": "R-EU-CUSTOMS-DETENTION",
    "exhibition_complaint": "R-FAIR-COMPLAINT",
}
#: Further clocks a case of this kind carries (PTAB petition bar once sued for patent infringement).
CASE_CLOCKS: dict[str, tuple[str, ...]] = {
    "itc337": ("R-US-ITC337-ANSWER",),
    "us_district": ("R-US-ANSWER", "R-US-PTAB-BAR"),
    "schedule_a": ("R-US-ANSWER",),
    "eu_customs": ("R-EU-CUSTOMS-DETENTION",),
    "exhibition_complaint": ("R-FAIR-COMPLAINT",),
}
CLOCK_RULES = ("R-US-ITC337-ANSWER", "R-EU-CUSTOMS-DETENTION", "R-FAIR-COMPLAINT", "R-US-ANSWER", "R-US-PTAB-BAR")


@dataclass(frozen=True)
class Clock:
    rule_id: str
    trigger: str
    office: str | None
    due: str
    trace: list[dict[str, str]]
    title: str

    @property
    def due_date(self) -> date:
        return date.fromisoformat(self.due[:10])


def compute_clock(rule_id: str, trigger: date | datetime, office: str | None = None, *,
                  temporary_relief: bool = False, perishable: bool = False) -> Clock:
    """One clock with the engine's trace; unknown rules and missing offices are validation errors."""
    if rule_id not in CLOCK_RULES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(CLOCK_RULES)), field="rule_id")
    result = compute(rule_id, trigger, office, temporary_relief=temporary_relief, perishable=perishable)
    due = result.due.isoformat(timespec="minutes") if isinstance(result.due, datetime) else result.due.isoformat()
    start = trigger.isoformat(timespec="minutes") if isinstance(trigger, datetime) else trigger.isoformat()
    return Clock(rule_id, start, result.office, due, [t.to_dict() for t in result.trace], result.rule.title)


def event_trigger(kind: str, filed_on: date | None, served_on: date | None,
                  received_at: datetime | None) -> date | datetime | None:
    if kind == "exhibition_complaint":
        return received_at or (datetime.combine(filed_on, datetime.min.time()) if filed_on else None)
    return served_on or filed_on or (received_at.date() if received_at else None)


def first_clock(kind: str, *, country: str, filed_on: date | None, served_on: date | None,
                received_at: datetime | None = None, temporary_relief: bool = False,
                perishable: bool = False) -> Clock | None:
    """The first clock of an event, or None when no cited rule covers its kind or it has no date."""
    rule_id = FIRST_CLOCK.get(kind)
    trigger = event_trigger(kind, filed_on, served_on, received_at)
    if rule_id is None or trigger is None:
        return None
    office = country or None
    if rule_id == "R-FAIR-COMPLAINT":
        office = None
    return compute_clock(rule_id, trigger, office, temporary_relief=temporary_relief, perishable=perishable)
