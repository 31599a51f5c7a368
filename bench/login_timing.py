"""Login timing: does a failed login take as long for an unknown e-mail as for a known account?

The outside probe of issue #9 told accounts apart by time: "locked" came back in about 5 ms for
an existing account, a wrong password in about 120 ms. Now every failure (known or unknown
e-mail) runs one argon2 verification, and a throttled attempt (known or unknown) runs none.
This measures ``fenghuo.core.auth.authenticate`` on a fresh SQLite database: wrong passwords
for a known account and for unknown e-mails, then throttled attempts for both, and prints the
median and p95 of each with the difference of the medians.

    .venv/bin/python bench/login_timing.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="fh-bench-login-")
    os.environ["FENGHUO_HOME"] = home
    os.environ["FENGHUO_DATABASE_URL"] = f"sqlite:///{home}/fenghuo.db"
    os.environ.setdefault("FENGHUO_SECRET_KEY", "bench")

    from fenghuo.core import auth, orgs
    from fenghuo.core.db import init_db, session_scope

    init_db()
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, "Bench Org", "enterprise")
        user = orgs.create_user(s, "known@example.com", "violet tractor umbrella")
        orgs.add_member(s, org.id, user.id, "admin")

    def attempt(email: str, now: datetime) -> tuple[float, str]:
        start = time.perf_counter()
        try:
            with session_scope(org_id=None, platform_admin=True, actor_label="login") as s:
                auth.authenticate(s, email, "wrong-password", address=None, now=now)
            reason = "ok"
        except auth.LoginError as exc:
            reason = exc.reason
        return (time.perf_counter() - start) * 1000, reason

    results: dict[str, list[float]] = {"known, wrong password": [], "unknown e-mail": [],
                                       "known, throttled": [], "unknown, throttled": []}
    now = datetime.now(UTC)
    for i in range(args.rounds):
        # Far apart in time so that no counter throttles the wrong-password rounds.
        when = now + i * (auth.FAILURE_WINDOW + timedelta(minutes=1))
        results["known, wrong password"].append(attempt("known@example.com", when)[0])
        results["unknown e-mail"].append(attempt(f"nobody{i}@example.com", when)[0])
    later = now + args.rounds * (auth.FAILURE_WINDOW + timedelta(minutes=1))
    for _ in range(auth.ACCOUNT_FREE_FAILURES):
        attempt("known@example.com", later)
        attempt("ghost@example.com", later)
    for _ in range(args.rounds):
        ms, reason = attempt("known@example.com", later)
        assert reason == "throttled", reason
        results["known, throttled"].append(ms)
        ms, reason = attempt("ghost@example.com", later)
        assert reason == "throttled", reason
        results["unknown, throttled"].append(ms)

    print(f"{'attempt':<24} {'median ms':>10} {'p95 ms':>8}")
    for name, values in results.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"{name:<24} {statistics.median(values):>10.1f} {p95:>8.1f}")
    for a, b in (("known, wrong password", "unknown e-mail"), ("known, throttled", "unknown, throttled")):
        diff = statistics.median(results[a]) - statistics.median(results[b])
        print(f"median difference {a} - {b}: {diff:+.1f} ms")
    print("baseline (before, from the probe): locked known account ~5 ms, wrong password ~120 ms; "
          "unknown e-mails never answered 'locked'")


if __name__ == "__main__":
    main()
