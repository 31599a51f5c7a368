"""`fenghuo plan-filing`, `fenghuo pph …` and `fenghuo docket …` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.filing.test_claims import ALLOWED, EXAMINED


def fenghuo(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FENGHUO_HOME": str(home), "COLUMNS": "200"}
    env.pop("FENGHUO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=600, stdin=subprocess.DEVNULL)


def test_plan_filing_json(tmp_path: Path) -> None:
    r = fenghuo("plan-filing", "--type", "invention", "--filed", "2026-03-02", "--pct", "PCT/CN2026/000123",
                "--pct-filed", "2026-09-01", "--targets", "US,EP,SA,BR,JP", "--as-of", "2026-09-10",
                "--format", "json", home=tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [t["code"] for t in data["targets"]] == ["US", "EP", "SA", "BR", "JP"]
    us = data["targets"][0]
    pct = next(x for x in us["routes"] if x["route"] == "pct")
    entry = pct["deadlines"][0]
    assert (entry["rule_id"], entry["due"], entry["provisional"]) == ("R-PCT-NP", "2028-09-05", True)
    assert pct["fees"]["totals"]["USD"] == 1660 and pct["fees"]["note"] == "official fees only"
    assert all(line["currency"] and line["fee_table_date"] for line in pct["fees"]["lines"])


def test_plan_filing_table_says_why_a_route_is_closed(tmp_path: Path) -> None:
    r = fenghuo("plan-filing", "--type", "trademark", "--filed", "2026-03-02", "--targets", "SA,US",
                "--as-of", "2026-09-01", home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "[closed] madrid: Saudi Arabia: Madrid in force only from 2026-10-08" in r.stdout
    assert "deadline R-PAR-TMDS 2026-09-02" in r.stdout and "fee table date 2023-04-28" in r.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (["--type", "invention", "--filed", "2026-03-02", "--targets", "US,XX"], "XX"),
    (["--type", "invention", "--filed", "2026-13-01", "--targets", "US"], "filed"),
    (["--type", "design", "--filed", "2026-03-02", "--pct", "PCT/CN2026/000123", "--pct-filed", "2026-04-01",
      "--targets", "US"], "PCT"),
])
def test_plan_filing_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], needle: str) -> None:
    r = fenghuo("plan-filing", *args, home=tmp_path)
    assert r.returncode == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_pph_check_and_claims(tmp_path: Path) -> None:
    r = fenghuo("pph", "check", "--office", "RU", home=tmp_path)
    assert r.returncode == 0 and "eligible: unconfirmed" in r.stdout and "unconfirmed" in r.stdout
    allowed, examined = tmp_path / "a.txt", tmp_path / "e.txt"
    allowed.write_text(ALLOWED, encoding="utf-8")
    examined.write_text(EXAMINED, encoding="utf-8")
    r = fenghuo("pph", "claims", "--allowed", str(allowed), "--examined", str(examined), "--format", "json",
                home=tmp_path)
    assert r.returncode == 1  # claims 3 and 4 do not correspond
    rows = json.loads(r.stdout)
    assert [x["corresponds"] for x in rows] == [True, True, False, False, True, True]
    r = fenghuo("pph", "claims", "--allowed", str(allowed), "--examined", str(tmp_path / "missing.txt"),
                home=tmp_path)
    assert r.returncode == 2 and "--examined" in r.stderr


def test_docket_add_list_recompute_ics(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert fenghuo("org", "create", "Beacon CLI", "--kind", "enterprise", home=home).returncode == 0
    r = fenghuo("docket", "add-plan", "--org", "Beacon CLI", "--type", "invention", "--filed", "2026-03-02",
                "--targets", "US,JP", "--as-of", "2026-03-10", "--title", "CN2026-1", home=home)
    assert r.returncode == 0, r.stderr
    assert "Plan 1 saved with 6 deadline(s)" in r.stdout
    listed = json.loads(fenghuo("docket", "list", "--org", "Beacon CLI", "--format", "json", home=home).stdout)
    assert len(listed) == 6 and listed == sorted(listed, key=lambda e: e["due"])
    ics = fenghuo("docket", "ics", "--org", "Beacon CLI", home=home)
    assert ics.returncode == 0
    events = Calendar.from_ical(ics.stdout).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {e["uid"] for e in listed}
    r = fenghuo("docket", "recompute", "--org", "Beacon CLI", "--plan", "1", home=home)
    assert r.returncode == 0 and "0 new" in r.stdout
    r = fenghuo("docket", "list", "--org", "Nobody", home=home)
    assert r.returncode == 1
