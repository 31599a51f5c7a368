"""Docket: saved plans, recomputation after closed dates are loaded (same UID, SEQUENCE bumped),
iCalendar re-export, e-mail reminders through a local SMTP server, tenant isolation."""

from __future__ import annotations

import socket
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Engine

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.deadlines import load_closed_dates
from fenghuo.filing.application import make_application
from fenghuo.filing.docket import get_plan, list_entries, recompute, save_plan, set_done
from fenghuo.filing.ics import to_ics
from fenghuo.filing.remind import remind


@pytest.fixture
def two_orgs(db_engine: Engine) -> tuple[int, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        return (orgs.create_organisation(s, "Docket A", "enterprise").id,
                orgs.create_organisation(s, "Docket B", "enterprise").id)


def _events(data: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _save(org_id: int, **kwargs: Any) -> int:
    app = make_application("invention", "2026-03-02")
    with session_scope(org_id=org_id) as s:
        return save_plan(s, org_id, app, ["US", "JP"], date(2026, 3, 10), **kwargs).id


def test_recomputed_deadline_keeps_uid_and_bumps_sequence(two_orgs: tuple[int, int], fenghuo_home: Path,
                                                          tmp_path: Path) -> None:
    org_a, _b = two_orgs
    plan_id = _save(org_a)
    with session_scope(org_id=org_a) as s:
        entries = {e.kind: e for e in list_entries(s, plan_id=plan_id)}
        first_ics = to_ics(list(entries.values()))
    us_entry = entries["US/pct/pct_np"]
    assert us_entry.due == date(2028, 9, 5) and us_entry.provisional and us_entry.sequence == 0
    # The USPTO publishes a closed day on the computed due date: the deadline moves one day.
    closed = tmp_path / "us.csv"
    closed.write_text("office,date,reason\nUS,2028-09-05,Office closed (test list)\n", encoding="utf-8")
    load_closed_dates("US", closed)
    with session_scope(org_id=org_a) as s:
        summary = recompute(s, get_plan(s, plan_id))
        after = {e.kind: e for e in list_entries(s, plan_id=plan_id)}
        second_ics = to_ics(list(after.values()))
    assert summary.moved >= 1 and summary.created == 0
    moved = after["US/pct/pct_np"]
    assert moved.uid == us_entry.uid and moved.due == date(2028, 9, 6) and moved.sequence == 1
    assert after["JP/pct/pct_np"].sequence == 0  # unchanged deadlines keep their SEQUENCE
    before_events, after_events = _events(first_ics), _events(second_ics)
    assert set(before_events) == set(after_events)  # no duplicates: same UIDs
    event = after_events[us_entry.uid]
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == date(2028, 9, 6)
    assert int(before_events[us_entry.uid]["SEQUENCE"]) == 0


def test_closed_route_cancels_its_events(two_orgs: tuple[int, int]) -> None:
    org_a, _b = two_orgs
    plan_id = _save(org_a)
    with session_scope(org_id=org_a) as s:
        summary = recompute(s, get_plan(s, plan_id), as_of=date(2027, 4, 1))  # priority year over
        rows = {e.kind: e for e in list_entries(s, plan_id=plan_id, include_cancelled=True)}
        events = _events(to_ics(list(rows.values())))
    assert summary.cancelled >= 2
    paris = rows["US/paris/priority"]
    assert paris.status == "cancelled" and paris.sequence == 1
    assert str(events[paris.uid]["STATUS"]) == "CANCELLED"


def test_dockets_are_tenant_scoped(two_orgs: tuple[int, int]) -> None:
    org_a, org_b = two_orgs
    plan_id = _save(org_a)
    with session_scope(org_id=org_b) as s:
        assert list_entries(s) == []
        with pytest.raises(NotFound):
            get_plan(s, plan_id)
    with session_scope(org_id=org_a) as s:
        assert list_entries(s)


def test_bad_reminder_address_names_the_field(two_orgs: tuple[int, int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _save(two_orgs[0], reminder_email="not an address")
    assert exc.value.field == "reminder_email"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_reminders_go_through_smtp_once_per_due_date(two_orgs: tuple[int, int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    org_a, _b = two_orgs
    plan_id = _save(org_a, reminder_email="ip@beacon.example")
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("FENGHUO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FENGHUO_SMTP_PORT", str(port))
        with session_scope(org_id=org_a) as s:
            sent = remind(s, date(2027, 2, 10), 30)
        with session_scope(org_id=org_a) as s:
            again = remind(s, date(2027, 2, 11), 30)
            done_entry = list_entries(s, plan_id=plan_id)[0]
            set_done(s, done_entry.id, True)
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert sent == {"ip@beacon.example": 4}  # Paris priority and PCT filing, US and JP, due 2027-03-02
    assert again == {}
    assert len(received) == 1 and received[0].rcpt_tos == ["ip@beacon.example"]
    text = received[0].content.decode("utf-8", "replace")
    assert "2027-03-02" in text and "R-PAR-PAT" in text
