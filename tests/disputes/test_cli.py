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


def test_insurance_and_quarantine_commands(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for name, kind in (("Mutual Insurer", "insurer"), ("Other Insurer", "insurer"), ("Alpha Desks", "enterprise"),
                       ("Beta Chairs", "enterprise")):
        assert fenghuo("org", "create", name, "--kind", kind, home=home).returncode == 0
    issued = fenghuo("disputes", "insurance", "issue", "MI-1", "--insured", "Alpha Desks", "--limit", "500000",
                     "--from", "2030-01-01", "--to", "2030-12-31", "--product", "desks", "--country", "us",
                     "--org", "Mutual Insurer", home=home)
    assert issued.returncode == 0, issued.stderr
    policy = json.loads(issued.stdout)
    assert policy["countries"] == ["US"] and policy["limit_amount"] == "500000.00"
    refused = fenghuo("disputes", "insurance", "issue", "X-1", "--insured", "Beta Chairs", "--limit", "1",
                      "--from", "2030-01-01", "--to", "2030-12-31", "--org", "Alpha Desks", home=home)
    assert refused.returncode == 1 and "only an insurer" in refused.stderr
    bad_date = fenghuo("disputes", "insurance", "issue", "X-2", "--insured", "Beta Chairs", "--limit", "1",
                       "--from", "soon", "--to", "2030-12-31", "--org", "Mutual Insurer", home=home)
    assert bad_date.returncode == 2
    assert json.loads(fenghuo("disputes", "insurance", "policies", "--org", "Alpha Desks", home=home).stdout) == []
    offers = json.loads(fenghuo("disputes", "insurance", "offers", "--org", "Alpha Desks", home=home).stdout)
    assert [p["number"] for p in offers] == ["MI-1"]
    answered = fenghuo("disputes", "insurance", "answer", str(policy["id"]), "accept", "--org", "Alpha Desks",
                       home=home)
    assert answered.returncode == 0 and json.loads(answered.stdout)["status"] == "accepted"
    held = json.loads(fenghuo("disputes", "insurance", "policies", "--org", "Alpha Desks", home=home).stdout)
    assert [p["number"] for p in held] == ["MI-1"]
    assert json.loads(fenghuo("disputes", "insurance", "policies", "--org", "Beta Chairs", home=home).stdout) == []
    assert json.loads(fenghuo("disputes", "insurance", "policies", "--org", "Other Insurer", home=home).stdout) == []
    claimed = fenghuo("disputes", "insurance", "claim", str(policy["id"]), "--costs", "1200.5", "--note", "counsel",
                      "--org", "Alpha Desks", home=home)
    assert claimed.returncode == 0, claimed.stderr
    assert json.loads(claimed.stdout)["costs_incurred"] == "1200.50"
    not_theirs = fenghuo("disputes", "insurance", "claim", str(policy["id"]), "--costs", "1", "--org", "Beta Chairs",
                         home=home)
    assert not_theirs.returncode == 1
    assert len(json.loads(fenghuo("disputes", "insurance", "claims", "--org", "Mutual Insurer", home=home).stdout)) == 1
    assert json.loads(fenghuo("disputes", "insurance", "claims", "--org", "Other Insurer", home=home).stdout) == []
    # quarantine: bad rows are kept per source and resolved by a later clean import of the same file
    csv_path = tmp_path / "events.csv"
    csv_path.write_bytes((FIXTURES / "events.csv").read_bytes())
    first = fenghuo("disputes", "import", str(csv_path), "--org", "Alpha Desks", home=home)
    assert "quarantine: 2 kept, 0 resolved" in first.stdout
    kept = json.loads(fenghuo("disputes", "quarantine", "--org", "Alpha Desks", home=home).stdout)
    assert {q["field"] for q in kept} == {"filed_on", "kind"} and {q["source"] for q in kept} == {"events.csv"}
    csv_path.write_bytes((FIXTURES / "events.csv").read_bytes().replace(b"2025-13-45", b"2025-11-03"))
    second = fenghuo("disputes", "import", str(csv_path), "--org", "Alpha Desks", home=home)
    assert "quarantine: 1 kept, 1 resolved" in second.stdout
    left = json.loads(fenghuo("disputes", "quarantine", "--org", "Alpha Desks", home=home).stdout)
    assert [q["field"] for q in left] == ["kind"]
    everything = json.loads(fenghuo("disputes", "quarantine", "--all", "--org", "Alpha Desks", home=home).stdout)
    assert len(everything) == 2
    assert json.loads(fenghuo("disputes", "quarantine", "--org", "Beta Chairs", home=home).stdout) == []
