"""`fenghuo disputes …` as a user runs it: import with a bad record, idempotent re-import, alerts, case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.disputes.conftest import FIXTURES


def fenghuo(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FENGHUO_HOME": str(home), "COLUMNS": "200"}
    env.pop("FENGHUO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL)


def test_import_alerts_and_case(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert fenghuo("org", "create", "Centre", "--kind", "guidance_centre", home=home).returncode == 0
    made = fenghuo("org", "create", "Ningbo Jade Rabbit Foods Co., Ltd.", "--kind", "enterprise", home=home)
    assert made.returncode == 0, made.stderr
    first = fenghuo("disputes", "import", str(FIXTURES / "events.csv"), "--org", "Centre", home=home)
    assert first.returncode == 0, first.stderr
    assert "4 created" in first.stdout and "2 rejected" in first.stdout
    assert "field filed_on" in first.stderr and "row 7: field kind" in first.stderr
    again = fenghuo("disputes", "import", str(FIXTURES / "events.csv"), "--org", "Centre", home=home)
    assert "0 created" in again.stdout and "4 unchanged" in again.stdout
    alerts = json.loads(fenghuo("disputes", "alerts", "--org", "Ningbo Jade Rabbit Foods Co., Ltd.", home=home).stdout)
    assert [a["number"] for a in alerts] == ["337-TA-1402"] and alerts[0]["clock_due"] == "2025-07-17"
    case = fenghuo("disputes", "cases", "open", str(alerts[0]["id"]), "--org", "Ningbo Jade Rabbit Foods Co., Ltd.",
                   home=home)
    assert case.returncode == 0, case.stderr
    assert json.loads(case.stdout)["clocks"][0]["due"] == "2025-07-17"
    missing = fenghuo("disputes", "import", str(tmp_path / "nope.csv"), "--org", "Centre", home=home)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    bad_since = fenghuo("disputes", "fetch", "usitc", "--org", "Centre", "--since", "yesterday", home=home)
    assert bad_since.returncode == 2 and "--since" in bad_since.stderr
    other = fenghuo("disputes", "cases", "show", "99", "--org", "Centre", home=home)
    assert other.returncode == 1
