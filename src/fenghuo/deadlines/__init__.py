"""The one deadline engine for trademark oppositions, filing routes and dispute clocks."""

from fenghuo.deadlines.calendars import OfficeCalendar, calendar_for, load_closed_dates
from fenghuo.deadlines.engine import (
    DeadlineResult,
    Rule,
    TraceStep,
    add_months,
    add_months_count_first_day,
    add_months_eom,
    compute,
    eom_anniversary,
    get_rule,
    recompute,
    rules,
)
from fenghuo.deadlines.opposition import RemedyPlan, opposition_deadline

__all__ = [
    "DeadlineResult",
    "OfficeCalendar",
    "RemedyPlan",
    "Rule",
    "TraceStep",
    "add_months",
    "add_months_count_first_day",
    "add_months_eom",
    "calendar_for",
    "compute",
    "eom_anniversary",
    "get_rule",
    "load_closed_dates",
    "opposition_deadline",
    "recompute",
    "rules",
]
