"""A killed ingest (kill -9, OOM, power cut) does not stay "running" for ever, and resuming it
stays free of duplicates. Also: the stored-row size cap as the ingest's last line of defence."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from fenghuo.core.db import session_scope
from fenghuo.core.models import utcnow
from fenghuo.tm import liveness
from fenghuo.tm.ingest import ingest_items, ingest_paths, list_runs
from fenghuo.tm.models import IngestRun, QuarantinedRecord, RegisterMark
from fenghuo.tm.records import RegisterRecord, VerbalElement
from fenghuo.tm.sources.detect import iter_source


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _killed_run(marker: str, started_ago: timedelta = timedelta(minutes=5)) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        run = IngestRun(paths=["register.csv"], status="running", error=marker, started_at=utcnow() - started_ago)
        s.add(run)
        s.flush()
        return run.id


def _status(run_id: int) -> tuple[str, str | None]:
    with session_scope(org_id=None, platform_admin=True) as s:
        row = s.get(IngestRun, run_id)
        assert row is not None
        return row.status, row.error


def test_a_killed_run_is_marked_interrupted_at_the_next_run(db_engine: Engine, register_csv: Path) -> None:
    pid = _dead_pid()
    host = liveness.socket.gethostname()
    killed = _killed_run(f"running: pid={pid} host={host} beat={utcnow().isoformat()}")
    summary = ingest_paths([register_csv])
    status, error = _status(killed)
    assert status == "interrupted" and error is not None and f"process {pid}" in error
    assert _status(summary.run_id) == ("done", None)


def test_a_live_run_is_left_alone_and_a_silent_one_times_out(db_engine: Engine) -> None:
    import os

    host = liveness.socket.gethostname()
    alive = _killed_run(f"running: pid={os.getppid()} host={host} beat={utcnow().isoformat()}")
    elsewhere = _killed_run(f"running: pid=1 host=other-machine beat={utcnow().isoformat()}")
    silent = _killed_run(f"running: pid=1 host=other-machine beat={(utcnow() - timedelta(hours=2)).isoformat()}")
    legacy = _killed_run("", started_ago=timedelta(hours=3))
    rows = {r["id"]: r for r in list_runs()}
    assert rows[alive]["status"] == "running" and rows[elsewhere]["status"] == "running"
    assert rows[silent]["status"] == "interrupted" and "no progress" in str(rows[silent]["error"])
    assert rows[legacy]["status"] == "interrupted"
    assert rows[alive]["error"] is None  # the owner marker is not shown as an error


def test_resuming_an_interrupted_run_creates_no_duplicates(db_engine: Engine, register_csv: Path) -> None:
    items = list(iter_source(register_csv))
    first = ingest_items(iter(items[:3]), batch_size=1)
    with session_scope(org_id=None, platform_admin=True) as s:  # as if killed after three batches
        row = s.get(IngestRun, first.run_id)
        assert row is not None
        row.status, row.error = "running", f"running: pid={_dead_pid()} host={liveness.socket.gethostname()} beat=" \
                                           f"{utcnow().isoformat()}"
    again = ingest_items(iter(items), batch_size=2)
    assert (again.unchanged, again.created) == (3, len(items) - 3)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert s.scalar(select(func.count()).select_from(RegisterMark)) == len(items)
    assert _status(first.run_id)[0] == "interrupted"


def test_tm_runs_lists_interrupted_runs(db_engine: Engine, register_csv: Path) -> None:
    from fenghuo.cli.main import app

    killed = _killed_run(f"running: pid={_dead_pid()} host={liveness.socket.gethostname()} "
                         f"beat={utcnow().isoformat()}")
    result = CliRunner().invoke(app, ["tm", "runs", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f'"id": {killed}' in result.output and '"interrupted"' in result.output


def test_a_record_too_large_to_store_is_quarantined(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_RECORD_BYTES", "2000")
    small = RegisterRecord("EM", "018000001", (VerbalElement("YILI"),), source="x.xml")
    big = RegisterRecord("EM", "018000002", tuple(VerbalElement(f"M{i}" * 100) for i in range(20)), source="x.xml")
    summary = ingest_items([small, big])
    assert (summary.created, summary.quarantined) == (1, 1)
    with session_scope(org_id=None, platform_admin=True) as s:
        row = s.scalar(select(QuarantinedRecord))
        assert row is not None and (row.record, row.field) == ("018000002", "record")
        assert "2000" in row.reason


def test_a_dead_watch_run_shows_interrupted_in_the_api(client, world) -> None:  # type: ignore[no-untyped-def]
    from fenghuo.tm.models import WatchRun
    from tests.webkit import bearer

    with session_scope(org_id=world.a.org_id) as s:
        run = WatchRun(organisation_id=world.a.org_id, status="running",
                       error=f"running: pid={_dead_pid()} host={liveness.socket.gethostname()} "
                             f"beat={utcnow().isoformat()}")
        s.add(run)
        s.flush()
        run_id = run.id
    rows = {r["id"]: r for r in client.get("/api/v1/tm/runs", headers=bearer(world.a.read_token)).json()}
    assert rows[run_id]["status"] == "interrupted" and "is gone" in rows[run_id]["error"]
