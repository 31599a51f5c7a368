"""Each legal clock rule through the deadline engine, including holidays and weekends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.disputes.clocks import compute_clock, first_clock


@pytest.mark.parametrize(("rule", "trigger", "office", "kwargs", "due"), [
    # 20 days from service; 2025-07-04 (Independence Day) lies inside but only the last day rolls.
    ("R-US-ITC337-ANSWER", date(2025, 6, 27), "US", {}, "2025-07-17"),
    # 10 days with temporary relief: lands on Sat 2025-11-15 -> Monday 17th.
    ("R-US-ITC337-ANSWER", date(2025, 11, 5), "US", {"temporary_relief": True}, "2025-11-17"),
    # 21 days lands on Thanksgiving 2025-11-27 -> Friday 28th.
    ("R-US-ANSWER", date(2025, 11, 6), "US", {}, "2025-11-28"),
    # 10 German working days across Christmas and New Year.
    ("R-EU-CUSTOMS-DETENTION", date(2025, 12, 19), "DE", {}, "2026-01-07"),
    # Perishable goods: 3 working days (24th, then 25/26 and the weekend skipped: 29th, 30th).
    ("R-EU-CUSTOMS-DETENTION", date(2025, 12, 23), "DE", {"perishable": True}, "2025-12-30"),
    # One-year IPR bar from a leap day: no roll.
    ("R-US-PTAB-BAR", date(2024, 2, 29), "US", {}, "2025-02-28"),
])
def test_rules_with_holidays(rule: str, trigger: date, office: str, kwargs: dict[str, bool], due: str) -> None:
    clock = compute_clock(rule, trigger, office, **kwargs)
    assert clock.due == due
    assert clock.trace and clock.trace[-1]["date"].startswith(due)


def test_fair_complaint_is_24_hours_not_a_working_day_rule() -> None:
    clock = compute_clock("R-FAIR-COMPLAINT", datetime(2025, 4, 19, 16, 45))  # a Saturday at the fair
    assert clock.due == "2025-04-20T16:45"


def test_first_clock_by_event_kind() -> None:
    assert first_clock("ptab", country="US", filed_on=date(2025, 1, 2), served_on=None) is None
    itc = first_clock("itc337", country="US", filed_on=date(2025, 6, 1), served_on=date(2025, 6, 27))
    assert itc is not None and itc.rule_id == "R-US-ITC337-ANSWER" and itc.trigger == "2025-06-27"
    with pytest.raises(ValidationFailed) as info:
        compute_clock("R-NOPE", date(2025, 1, 1))
    assert info.value.field == "rule_id"
