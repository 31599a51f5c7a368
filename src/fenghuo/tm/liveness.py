"""Which "running" runs are still alive: owner (pid + host) and heartbeat of ingest and watch runs.

Why: a run killed with ``kill -9``, an OOM or a power cut never reaches its ``finally``, so its
row said ``running`` for ever, and a resumed ingest looked like a second concurrent one. Each
running row now carries who runs it and when it last made progress; the next run or listing
marks a run ``interrupted`` when

* its owner is on this host and the process is gone, or
* it has shown no progress for :data:`STALE_AFTER` (any host: a process on another machine
  cannot be checked, but a batch never takes that long).

Where the owner is kept: in the run's ``error`` column while it runs (``running: pid=… host=…
beat=…``). Why not new columns: it needs no migration, and the column is replaced by the
outcome (``None`` when done, the error when failed, the reason when interrupted) as soon as
the run ends, so no reader mistakes it for an error of a finished run.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from fenghuo.core.models import utcnow

PREFIX = "running: "
STALE_AFTER = timedelta(hours=1)
_MARKER = re.compile(r"^running: pid=(?P<pid>\d+) host=(?P<host>\S+) beat=(?P<beat>\S+)$")


def marker(now: datetime | None = None) -> str:
    """The owner and heartbeat of a run in this process, for the row's ``error`` column."""
    beat = _aware(now or utcnow()).isoformat()
    return f"{PREFIX}pid={os.getpid()} host={socket.gethostname()} beat={beat}"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    return True


def stale_reason(row: Any, now: datetime | None = None) -> str | None:
    """Why a ``running`` row is dead (None if it may still be alive). ``row`` has status, error,
    started_at."""
    if row.status != "running":
        return None
    now = _aware(now or utcnow())
    match = _MARKER.match(row.error or "")
    if match is None:  # a row from before owners were recorded: only the age can tell
        started = _aware(row.started_at)
        if now - started > STALE_AFTER:
            return f"interrupted: no owner recorded and started {started.isoformat(timespec='seconds')}"
        return None
    pid, host = int(match["pid"]), match["host"]
    beat = _aware(datetime.fromisoformat(match["beat"]))
    if host == socket.gethostname() and pid != os.getpid() and not _alive(pid):
        return (f"interrupted: process {pid} on {host} is gone "
                f"(last progress {beat.isoformat(timespec='seconds')})")
    if now - beat > STALE_AFTER:
        return f"interrupted: no progress from process {pid} on {host} since {beat.isoformat(timespec='seconds')}"
    return None


def mark_interrupted(rows: Any, now: datetime | None = None) -> int:
    """Mark each dead ``running`` row ``interrupted`` with the reason; returns how many."""
    count = 0
    for row in rows:
        reason = stale_reason(row, now)
        if reason is None:
            continue
        row.status, row.error, row.finished_at = "interrupted", reason, utcnow()
        count += 1
    return count
