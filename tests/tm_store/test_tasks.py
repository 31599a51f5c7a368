"""Background jobs: the nightly task watches every organisation with marks (Huey, immediate mode)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.tm.ingest import ingest_paths
from fenghuo.tm.models import Alert, WatchRun
from fenghuo.tm.portfolio import import_marks
from fenghuo.tm.portfolio_csv import read_portfolio


def test_nightly_watch_runs_every_watching_organisation(db_engine: Engine, register_csv: Path,
                                                        portfolio_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_HUEY_IMMEDIATE", "1")
    import fenghuo.tasks as tasks

    tasks = importlib.reload(tasks)
    ingest_paths([register_csv])
    with session_scope(org_id=None, platform_admin=True) as s:
        watching = orgs.create_organisation(s, "Watching Co", "enterprise").id
        idle = orgs.create_organisation(s, "Idle Co", "enterprise").id
    marks, _errors = read_portfolio(portfolio_csv)
    with session_scope(org_id=watching) as s:
        import_marks(s, watching, marks)
    assert tasks.organisations_watching() == [watching]
    tasks.nightly_watch.call_local()
    with session_scope(org_id=watching) as s:
        assert len(list(s.scalars(select(WatchRun)))) == 1
        assert len(list(s.scalars(select(Alert)))) >= 4
    with session_scope(org_id=idle) as s:
        assert list(s.scalars(select(WatchRun))) == []
    assert tasks.watch_organisation(watching)() == 0  # immediate mode: result at once; nothing new


def test_periodic_reminders_reach_the_organisations_that_need_them(db_engine: Engine,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Docket reminders run for organisations with docket entries, and only for them."""
    monkeypatch.setenv("FENGHUO_HUEY_IMMEDIATE", "1")
    import fenghuo.filing.remind as remind_mod
    import fenghuo.tasks as tasks
    from tests.filing.test_docket import _save

    tasks = importlib.reload(tasks)
    with session_scope(org_id=None, platform_admin=True) as s:
        with_docket = orgs.create_organisation(s, "Docket Co", "enterprise").id
        orgs.create_organisation(s, "No Docket Co", "enterprise")
    _save(with_docket, reminder_email="ip@docket.example")
    called: list[tuple[int, int]] = []

    def fake_remind(session, today, days, **_kw):  # type: ignore[no-untyped-def]
        called.append((session.info["org_id"], days))
        return {}

    monkeypatch.setattr(remind_mod, "remind", fake_remind)
    tasks.docket_reminders.call_local()
    assert called == [(with_docket, tasks.REMINDER_DAYS)]
    # The other periodic jobs run cleanly on a database with nothing to send.
    tasks.dispute_notifications.call_local()
    tasks.plan_reminders.call_local()
