"""The deadline engine: every rule, the dev vectors, month arithmetic properties, calendars."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fenghuo.cli.main import app as cli
from fenghuo.deadlines import (
    add_months,
    add_months_count_first_day,
    calendar_for,
    compute,
    load_closed_dates,
    opposition_deadline,
    recompute,
    rules,
)
from fenghuo.deadlines.engine import apply_computation

OFFICE_FOR = {"R-PCT-NP": "EP", "R-MAD-REFUSAL": "SA", "R-EU-CUSTOMS-DETENTION": "DE", "R-PAR-PAT": "US",
              "R-PAR-TMDS": "US", "R-TM-RENEW": "US", "R-PCT-DEMAND": "EP", "R-PCT-ART19": "CH",
              "R-PCT-RESTORE": "CN"}


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_every_rule_computes_with_a_trace(rule_id: str) -> None:
    result = compute(rule_id, date(2025, 3, 10), OFFICE_FOR.get(rule_id))
    assert result.due >= result.raw if isinstance(result.due, date) else True
    assert len(result.trace) >= 2 and result.rule.source
    assert result.to_dict()["rule"] == rule_id


def test_the_shared_rule_ids_are_all_present(shared_dir: Path) -> None:
    with (shared_dir / "data/filing/deadline_rules.csv").open(encoding="utf-8") as fh:
        ids = {row["rule_id"] for row in csv.DictReader(fh)}
    assert ids <= set(rules())
    assert {"R-US-ITC337-ANSWER", "R-EU-CUSTOMS-DETENTION", "R-FAIR-COMPLAINT", "R-US-ANSWER",
            "R-US-PTAB-BAR"} <= set(rules())


def test_deadline_vectors(shared_dir: Path) -> None:
    with (shared_dir / "data/filing/deadline-vectors-dev.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            result = compute(row["rule"], date.fromisoformat(row["from"]), row["office"])
            assert result.due.isoformat() == row["expected"], row["id"]


def test_computation_vectors(shared_dir: Path) -> None:
    with (shared_dir / "data/filing/computation-vectors-dev.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            due, _trace = apply_computation(date.fromisoformat(row["start"]), row["computation"], row["roll"])
            assert due.isoformat() == row["expected"], row["id"]


def test_holiday_roll_names_each_skipped_day() -> None:
    result = compute("R-PCT-NP", date(2023, 8, 16), "CN")
    notes = [t.note for t in result.trace]
    assert result.due == date(2026, 2, 24)
    assert sum("Spring Festival" in n for n in notes) >= 5


def test_make_up_saturday_is_a_working_day_in_china() -> None:
    result = compute("R-PCT-NP", date(2023, 8, 31), "CN")
    assert result.due == date(2026, 2, 28)  # a Saturday, but a make-up working day
    assert any("make-up" in t.note for t in result.trace)


def test_cnipa_counts_the_first_day() -> None:
    assert compute("R-CN-TMOPP", date(2000, 3, 7), "CN").raw == date(2000, 6, 6)
    assert compute("R-CN-TERM", date(2000, 9, 6), "CN").due == date(2020, 9, 5)


def test_dispute_clock_options() -> None:
    assert compute("R-US-ITC337-ANSWER", date(2025, 5, 14), "US", temporary_relief=True).raw == date(2025, 5, 24)
    assert compute("R-EU-CUSTOMS-DETENTION", date(2025, 6, 2), "DE", perishable=True).due == date(2025, 6, 5)


def test_loading_closed_dates_recomputes_a_provisional_deadline(fenghuo_home: Path, tmp_path: Path) -> None:
    today = date(2026, 11, 24)
    first = compute("R-PCT-NP", date(2025, 1, 4), "CN", today=today)  # 30 months → 2027-07-04 (Sunday)
    assert first.provisional  # chinese-calendar knows 2026 at most
    closed = tmp_path / "cn-2027.csv"
    closed.write_text("office,date,reason\nCN,2027-07-05,Office closed (test list)\nCN,2027-12-31,Year end\n")
    assert load_closed_dates("CN", closed) == 2
    second = recompute(first, today=today)
    assert not second.provisional
    assert second.due == date(2027, 7, 6)
    assert any("Office closed (test list)" in t.note for t in second.trace)


def test_opposition_deadlines_per_office() -> None:
    em = opposition_deadline("EM", date(2020, 6, 2), None)
    assert em is not None and em.deadline == date(2020, 9, 2) and em.next_remedies
    us = opposition_deadline("US", date(2025, 1, 7), None)
    assert us is not None and us.deadline == date(2025, 2, 6) and us.extendable
    jp = opposition_deadline("JP", date(2025, 1, 7), date(2025, 2, 3))
    assert jp is not None and jp.counted_from == "registration"
    generic = opposition_deadline("MY", date(2025, 1, 7), None)
    assert generic is not None and generic.generic and generic.deadline is None
    assert opposition_deadline("EM", None, None) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 400))
def test_months_never_produce_a_nonexistent_day_and_clamp(start: date, months: int) -> None:
    result = add_months(start, months)
    assert result.day == start.day or result.day < start.day  # clamped to the month's last day
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 400))
def test_months_are_monotonic_in_the_start_date(start: date, months: int) -> None:
    assert add_months(start + timedelta(days=1), months) >= add_months(start, months)
    assert add_months_count_first_day(start, months) == add_months(start, months) - timedelta(days=1)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)).filter(lambda d: d.day <= 28),
       st.integers(0, 400))
def test_months_round_trip_when_no_clamp(start: date, months: int) -> None:
    assert add_months(add_months(start, months), -months) == start


def test_calendar_rejects_unknown_office() -> None:
    from fenghuo.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        calendar_for("QQ")


def test_cli_contract() -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["deadline", "R-PCT-NP", "--from", "2023-08-16", "--office", "CN", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data) >= {"rule", "office", "from", "raw", "due", "provisional", "trace"}
    assert data["due"] == "2026-02-24" and data["raw"] == "2026-02-16"
    for args in (["deadline", "R-NOPE", "--from", "2023-08-16"],
                 ["deadline", "R-PCT-NP", "--from", "2023-02-30", "--office", "CN"],
                 ["deadline", "R-PCT-NP", "--from", "2023-08-16", "--office", "ZZ"],
                 ["deadline", "R-PCT-NP", "--from", "2023-08-16", "--office", "FR"]):
        assert runner.invoke(cli, args).exit_code == 2, args
    assert "R-PCT-NP" in runner.invoke(cli, ["deadline", "--list"]).output
