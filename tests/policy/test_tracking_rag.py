"""RAG rules: each colour comes with the rule that fired and the numbers it used."""

from __future__ import annotations

from datetime import date

from fenghuo.policy.models import PolicyAccountability, PolicyIndicator, PolicyProgressReport, PolicyTask
from fenghuo.policy.rag import expected_value, indicator_status, task_status


def _task(due: date = date(2025, 12, 31)) -> PolicyTask:
    return PolicyTask(id=1, seq=1, title="便利知识产权海外获权", start_date=date(2021, 1, 1), due_date=due)


def _acc(key: str, role: str) -> PolicyAccountability:
    return PolicyAccountability(task_id=1, agency_key=key, agency_name=key.upper(), role=role, generic=False)


def _report(key: str, period: str, status: str, percent: int, rid: int = 1) -> PolicyProgressReport:
    return PolicyProgressReport(id=rid, task_id=1, agency_key=key, agency_name=key.upper(), period=period,
                                status=status, percent_complete=percent)


def _hvp(direction: str = "higher") -> PolicyIndicator:
    return PolicyIndicator(name="每万人口高价值发明专利拥有量", unit="件", baseline=6.3, baseline_year=2020,
                           target=12.0, target_year=2025, direction=direction, kind="expected")


def test_linear_path_from_baseline_to_target() -> None:
    assert expected_value(_hvp(), 2020) == 6.3
    assert round(expected_value(_hvp(), 2023), 2) == 9.72
    assert expected_value(_hvp(), 2030) == 12.0


def test_indicator_below_path_is_red_with_numbers() -> None:
    rag = indicator_status(_hvp(), {2022: 8.0, 2023: 9.4}, date(2024, 3, 1))
    assert rag.colour == "red" and rag.rule == "indicator_off_track"
    assert "9.4件 in 2023" in rag.reason and "9.72" in rag.reason and "12 (2025)" in rag.reason


def test_indicator_on_path_is_green_and_lower_is_better_inverts() -> None:
    assert indicator_status(_hvp(), {2023: 10.0}, date(2024, 3, 1)).colour == "green"
    lower = _hvp("lower")
    lower.baseline, lower.target = 30.0, 20.0  # e.g. days to grant: lower is better
    rag = indicator_status(lower, {2023: 25.0}, date(2024, 3, 1))  # path at 2023: 24
    assert rag.colour == "red" and "above the linear path 24" in rag.reason


def test_indicator_without_actual_is_amber() -> None:
    rag = indicator_status(_hvp(), {}, date(2022, 3, 1))
    assert (rag.colour, rag.rule) == ("amber", "no_actual") and "6.3件 in 2020" in rag.reason


def test_overdue_without_progress_is_red() -> None:
    rag = task_status(_task(date(2023, 6, 30)), [_acc("cnipa", "lead")], [], [], date(2023, 7, 10))
    assert (rag.colour, rag.rule) == ("red", "overdue_no_progress")
    assert "due 2023-06-30" in rag.reason and "10 days overdue" in rag.reason


def test_overdue_with_progress_is_amber() -> None:
    rag = task_status(_task(date(2023, 6, 30)), [_acc("cnipa", "lead")],
                      [_report("cnipa", "2023-H1", "in_progress", 70)], [], date(2023, 7, 10))
    assert (rag.colour, rag.rule) == ("amber", "behind_schedule") and "70% complete" in rag.reason


def test_linked_indicator_off_track_makes_task_red() -> None:
    ind = _hvp()
    off = indicator_status(ind, {2023: 9.0}, date(2024, 1, 15))
    rag = task_status(_task(), [_acc("cnipa", "lead")], [_report("cnipa", "2024-H1", "in_progress", 60)],
                      [(ind, off)], date(2024, 1, 15))
    assert rag.rule == "indicator_off_track" and rag.reason == off.reason


def test_behind_linear_schedule_is_amber() -> None:
    # 2021-01-01 → 2025-12-31; on 2023-07-01 half the time has passed: 20% reported is behind
    rag = task_status(_task(), [_acc("cnipa", "lead")], [_report("cnipa", "2023-H2", "in_progress", 20)], [],
                      date(2023, 7, 1))
    assert rag.rule == "behind_schedule" and "20% complete reported, 50% expected" in rag.reason


def test_no_report_this_period_is_amber_naming_the_period() -> None:
    rag = task_status(_task(), [_acc("cnipa", "lead")], [_report("cnipa", "2022-H2", "in_progress", 60)], [],
                      date(2023, 3, 1))
    assert rag.rule == "no_current_report" and "2023-H1" in rag.reason and "latest: 2022-H2" in rag.reason


def test_on_track_is_green() -> None:
    rag = task_status(_task(), [_acc("cnipa", "lead")], [_report("cnipa", "2023-H1", "in_progress", 50)], [],
                      date(2023, 3, 1))
    assert (rag.colour, rag.rule) == ("green", "on_track") and "50% complete reported for 2023-H1" in rag.reason


def test_completion_needs_the_lead_or_every_co_agency() -> None:
    co_only = [_acc("mofcom", "co"), _acc("mfa", "co")]
    one = [_report("mofcom", "2023-H1", "completed", 100)]
    assert task_status(_task(), co_only, one, [], date(2023, 3, 1)).rule != "completed"
    both = one + [_report("mfa", "2023-H1", "completed", 100, rid=2)]
    assert task_status(_task(), co_only, both, [], date(2023, 3, 1)).rule == "completed"
    led = [_acc("cnipa", "lead"), _acc("mofcom", "co")]
    assert task_status(_task(), led, one, [], date(2023, 3, 1)).rule != "completed"
    done = task_status(_task(), led, [_report("cnipa", "2023-H1", "completed", 100)], [], date(2023, 3, 1))
    assert done.rule == "completed" and "CNIPA" in done.reason
