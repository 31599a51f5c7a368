"""Load on the JSON API: many token clients at once, 30 % writes, on SQLite and PostgreSQL.

Starts the application with uvicorn on 127.0.0.1 (a free port; loopback only), on a fresh
database seeded with two organisations (a read-write API token each, 30 watched marks each), and
runs asyncio clients (httpx) against it. Reads: ``GET /api/v1/me``, ``GET /api/v1/tm/marks``,
``GET /api/v1/tm/marks/{id}``; writes: ``POST /api/v1/tm/marks`` (create or update one of the
client's own marks). Prints p50/p95 latency for reads and writes, requests per second and error
counts, for three runs per database:

- ``1 client``: one client alone (the latency floor);
- ``50 clients, touch every request``: ``FENGHUO_TOKEN_TOUCH_SECONDS=0``, the old behaviour of
  writing the token's ``last_used_at`` on every request (SQLite: in WAL mode all the same — the
  mode stays on the file once set);
- ``50 clients``: the configuration as shipped (``last_used_at`` at most every 5 minutes).

    .venv/bin/python bench/load_api.py                       # SQLite (+ PostgreSQL, see below)
    .venv/bin/python bench/load_api.py --seconds 10 --baseline-seconds 5
    eval "$(bash .ci/start-postgres.sh)"; .venv/bin/python bench/load_api.py --backends postgresql

PostgreSQL runs when ``FENGHUO_TEST_DATABASE_URL`` is set (a throwaway database is created on
that server as its role and dropped afterwards; the server connects as
``FENGHUO_TEST_APP_DATABASE_URL``'s role when set). Every request has a 30 s timeout; a run stops
at its time limit or after ``--max-requests`` requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402

MARKS_PER_ORG = 30
READ_TIMEOUT_TARGET_MS = 500.0


@dataclass
class Result:
    label: str
    clients: int
    seconds: float
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.reads) + len(self.writes) + sum(self.errors.values())


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- databases --------------------------------------------------------------------------------------------


@dataclass
class Database:
    backend: str
    app_url: str
    owner_url: str
    cleanup: Any = None


def _sqlite_database(tmp: Path) -> Database:
    url = f"sqlite:///{tmp / 'load.db'}"
    return Database("sqlite", url, url)


def _postgres_database() -> Database | None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from fenghuo.core.settings import normalise_database_url

    owner = os.environ.get("FENGHUO_TEST_DATABASE_URL")
    if not owner:
        return None
    app = os.environ.get("FENGHUO_TEST_APP_DATABASE_URL") or owner
    name = f"fh_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(owner), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def on(url: str) -> str:
        return make_url(normalise_database_url(url)).set(database=name).render_as_string(hide_password=False)

    return Database("postgresql", on(app), on(owner), drop)


def _seed(db: Database, home: Path) -> list[tuple[str, list[str]]]:
    """Migrate and seed two organisations; returns (token, watched-mark row ids) per organisation."""
    os.environ["FENGHUO_HOME"] = str(home)
    os.environ["FENGHUO_DATABASE_URL"] = db.app_url
    os.environ["FENGHUO_MIGRATION_DATABASE_URL"] = db.owner_url
    from fenghuo.core import orgs, tokens
    from fenghuo.core.db import dispose_engines, init_db, session_scope
    from fenghuo.core.models import User
    from fenghuo.tm import portfolio
    from fenghuo.tm.records import PortfolioMark

    init_db()
    out: list[tuple[str, list[str]]] = []
    for n, name in enumerate(("Load Alpha", "Load Beta")):
        with session_scope(org_id=None, platform_admin=True, actor_label="bench") as s:
            org = orgs.create_organisation(s, name, "enterprise")
            user = orgs.create_user(s, f"load{n}@example.com", "correct-horse-battery-staple")
            orgs.add_member(s, org.id, user.id, "admin")
            row = s.get(User, user.id)
            assert row is not None
            _t, token = tokens.create_token(s, row, org.id, "load", "read write")
            org_id = org.id
        marks: list[str] = []
        with session_scope(org_id=org_id, actor_label="bench") as s:
            for i in range(MARKS_PER_ORG):
                mark, _created = portfolio.upsert_mark(
                    s, org_id, PortfolioMark(f"M{n}-{i:03d}", f"LOADMARK {name.split()[1]} {i}", (9, 35)))
                s.flush()
                marks.append(str(mark.id))
        out.append((token, marks))
    dispose_engines()
    return out


# --- server -----------------------------------------------------------------------------------------------


def _start_server(db: Database, home: Path, port: int, env_extra: dict[str, str],
                  workers: int = 1) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        FENGHUO_HOME=str(home),
        FENGHUO_DATABASE_URL=db.app_url,
        **env_extra,
    )
    env.pop("FENGHUO_MIGRATION_DATABASE_URL", None)  # the server runs as the application role only
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "fenghuo.web.app:create_app", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--no-access-log"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not answer /health within 60 s")


def _stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- clients ----------------------------------------------------------------------------------------------


async def _client(n: int, base: str, tenants: list[tuple[str, list[str]]], write_share: float, stop_at: float,
                  budget: list[int], result: Result, http: httpx.AsyncClient) -> None:
    rng = random.Random(n)
    token, marks = tenants[n % len(tenants)]
    headers = {"Authorization": f"Bearer {token}"}
    own = [f"C{n:03d}-{i}" for i in range(5)]
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        write = rng.random() < write_share
        try:
            start = time.perf_counter()
            if write:
                mark_id = rng.choice(own)
                response = await http.post(f"{base}/api/v1/tm/marks", headers=headers, json={
                    "mark_id": mark_id, "mark": f"CLIENT {n} MARK {rng.randint(0, 999)}", "classes": [9]})
            else:
                pick = rng.random()
                if pick < 0.3:
                    response = await http.get(f"{base}/api/v1/me", headers=headers)
                elif pick < 0.6:
                    response = await http.get(f"{base}/api/v1/tm/marks", headers=headers)
                else:
                    response = await http.get(f"{base}/api/v1/tm/marks/{rng.choice(marks)}", headers=headers)
            elapsed = (time.perf_counter() - start) * 1000
        except httpx.HTTPError as exc:
            result.errors[f"{'write' if write else 'read'}: {type(exc).__name__}"] += 1
            continue
        if response.status_code >= 400:
            result.errors[f"{'write' if write else 'read'}: HTTP {response.status_code} {response.text[:80]}"] += 1
        elif write:
            result.writes.append(elapsed)
        else:
            result.reads.append(elapsed)


async def _run_clients(port: int, tenants: list[tuple[str, list[str]]], clients: int, seconds: float,
                       write_share: float, max_requests: int, label: str) -> Result:
    result = Result(label, clients, seconds)
    base = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    budget = [max_requests]
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as http:
        stop_at = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(*(
            _client(n, base, tenants, write_share, stop_at, budget, result, http) for n in range(clients)
        ))
        result.seconds = time.monotonic() - started
    return result


def _scenario(db: Database, home: Path, tenants: list[tuple[str, list[str]]], label: str, clients: int,
              seconds: float, args: argparse.Namespace, env_extra: dict[str, str]) -> Result:
    port = _free_port()
    proc = _start_server(db, home, port, env_extra, args.server_workers)
    try:
        return asyncio.run(_run_clients(port, tenants, clients, seconds, args.write_share, args.max_requests, label))
    finally:
        _stop_server(proc)


def _print(backend: str, results: list[Result]) -> None:
    head = (f"{'backend':10} {'run':34} {'clients':>7} {'s':>5} {'requests':>8} {'req/s':>6} "
            f"{'read p50':>9} {'read p95':>9} {'write p50':>9} {'write p95':>9} {'errors':>6}")
    print(head)
    for r in results:
        print(f"{backend:10} {r.label:34} {r.clients:7d} {r.seconds:5.0f} {r.requests:8d} "
              f"{r.requests / r.seconds:6.0f} {_pct(r.reads, 50):7.0f}ms {_pct(r.reads, 95):7.0f}ms "
              f"{_pct(r.writes, 50):7.0f}ms {_pct(r.writes, 95):7.0f}ms {sum(r.errors.values()):6d}")
        for message, count in r.errors.most_common(5):
            print(f"{'':10}   {count} x {message}")
    final = results[-1]
    met = not final.errors and _pct(final.reads, 95) <= READ_TIMEOUT_TARGET_MS
    print(f"{backend}: target (0 errors, read p95 <= {READ_TIMEOUT_TARGET_MS:.0f} ms at {final.clients} clients): "
          f"{'met' if met else 'NOT met'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the main run (default 60)")
    parser.add_argument("--baseline-seconds", type=float, default=15.0, help="length of each baseline run")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--server-workers", type=int, default=1,
                        help="uvicorn worker processes (default 1; production would run one per core)")
    parser.add_argument("--write-share", type=float, default=0.3)
    parser.add_argument("--max-requests", type=int, default=200_000, help="upper bound of requests per run")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="comma-separated; postgresql only when FENGHUO_TEST_DATABASE_URL is set")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 < args.baseline_seconds <= 600:
        parser.error("--seconds and --baseline-seconds must be between 0 and 600")
    if not 1 <= args.clients <= 500 or not 0 <= args.write_share <= 1:
        parser.error("--clients must be 1-500 and --write-share 0-1")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(f"load_api: {args.clients} clients, {args.write_share:.0%} writes, {args.seconds:.0f} s "
          f"(baselines {args.baseline_seconds:.0f} s), nproc={os.cpu_count()}", flush=True)
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="fh-load-") as tmp:
            home = Path(tmp) / "home"
            home.mkdir()
            if backend == "sqlite":
                db: Database | None = _sqlite_database(Path(tmp))
            elif backend == "postgresql":
                db = _postgres_database()
                if db is None:
                    print("postgresql: skipped (FENGHUO_TEST_DATABASE_URL not set; see .ci/start-postgres.sh)")
                    continue
            else:
                parser.error(f"unknown backend {backend!r}")
            assert db is not None
            try:
                tenants = _seed(db, home)
                results = [
                    _scenario(db, home, tenants, "1 client", 1, args.baseline_seconds, args, {}),
                    _scenario(db, home, tenants, "50 clients, touch every request", args.clients,
                              args.baseline_seconds, args, {"FENGHUO_TOKEN_TOUCH_SECONDS": "0"}),
                    _scenario(db, home, tenants, f"{args.clients} clients", args.clients, args.seconds, args, {}),
                ]
                _print(backend, results)
            finally:
                from fenghuo.core.db import dispose_engines

                dispose_engines()
                if db.cleanup:
                    db.cleanup()
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
