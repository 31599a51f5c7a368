"""`fenghuo tm …` end to end, as a user runs it: the `tm watch` contract without a database,
and ingest → portfolio → run → alerts → review on a fresh FENGHUO_HOME."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tm_store.conftest import PORTFOLIO_CSV, REGISTER_CSV

COLUMNS = ["portfolio_mark_id", "office", "application_number", "mark", "applicant", "score", "level", "reasons",
           "deadline", "remedy"]


def fenghuo(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FENGHUO_HOME": str(home), "COLUMNS": "200"}
    env.pop("FENGHUO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=600, stdin=subprocess.DEVNULL)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    register = tmp_path / "register.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text(PORTFOLIO_CSV + "M5,,9,,,\nM6,RABBIT,99,,,\n", encoding="utf-8")
    return {"register": register, "portfolio": portfolio, "home": tmp_path / "home"}


def test_watch_contract_csv(files: dict[str, Path], shared_dir: Path) -> None:
    result = fenghuo("tm", "watch", "--portfolio", str(files["portfolio"]), "--register",
                     str(shared_dir / "data/trademarks/st66-samples"), str(files["register"]), home=files["home"])
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == COLUMNS
    found = {(r["portfolio_mark_id"], r["mark"]) for r in rows}
    assert {("M1", "YILI"), ("M3", "WONG LO KAT"), ("M4", "HERO")} <= found
    yili = next(r for r in rows if r["mark"] == "YILI" and r["portfolio_mark_id"] == "M1")
    assert int(yili["score"]) >= 55 and yili["level"] in ("high", "medium")
    assert "pinyin of 伊利 is YILI" in yili["reasons"] and yili["deadline"].startswith("2027-01")
    assert "opposition" in yili["remedy"]
    # The owner's own filing is not an alert; bad portfolio rows are named on stderr and skipped.
    assert not any("Inner Mongolia" in r["applicant"] for r in rows)
    assert "M5" in result.stderr and "field mark" in result.stderr
    assert "M6" in result.stderr and "field classes" in result.stderr
    # No database was created.
    assert not (files["home"] / "fenghuo.db").exists()


def test_watch_json_out_file_repeated_register_and_threshold(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "alerts.json"
    result = fenghuo("tm", "watch", "--portfolio", str(files["portfolio"]), "--register", str(files["register"]),
                     "--register", str(files["register"]), "--format", "json", "--out", str(out), "--min-score", "0",
                     home=files["home"])
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and set(rows[0]) == set(COLUMNS) and isinstance(rows[0]["reasons"], list)
    strict = fenghuo("tm", "watch", "--portfolio", str(files["portfolio"]), "--register", str(files["register"]),
                     "--format", "json", "--min-score", "90", home=files["home"])
    assert all(r["score"] >= 90 for r in json.loads(strict.stdout))
    assert len(json.loads(strict.stdout)) < len(rows)


@pytest.mark.parametrize("args", [
    ["--register", "nowhere.xml"],
    ["--register", "REGISTER", "--min-score", "101"],
    ["--register", "REGISTER", "--format", "xml"],
])
def test_watch_usage_errors_exit_2(files: dict[str, Path], args: list[str]) -> None:
    args = [str(files["register"]) if a == "REGISTER" else a for a in args]
    result = fenghuo("tm", "watch", "--portfolio", str(files["portfolio"]), *args, home=files["home"])
    assert result.returncode == 2 and result.stderr.strip() and "Traceback" not in result.stderr


def test_stored_workflow_end_to_end(files: dict[str, Path]) -> None:
    home = files["home"]
    assert fenghuo("org", "create", "Acme Foods", "--kind", "enterprise", home=home).returncode == 0
    bad = files["register"].parent / "bad.csv"
    bad.write_text("office,application_number,mark,classes,applicant,applicant_country,application_date,"
                   "publication_date,status\nEM,1,X,9,A,DE,not-a-date,,pending\n", encoding="utf-8")
    ingest = fenghuo("tm", "ingest", str(files["register"]), str(bad), home=home)
    assert ingest.returncode == 0, ingest.stderr
    assert "6 created" in ingest.stdout and "1 quarantined" in ingest.stdout
    assert "0 created" in fenghuo("tm", "ingest", str(files["register"]), home=home).stdout
    quarantine = fenghuo("tm", "quarantine", "--format", "json", home=home)
    [item] = json.loads(quarantine.stdout)
    assert item["field"] == "application_date" and "not-a-date" in item["reason"]
    imported = fenghuo("tm", "portfolio", "import", str(files["portfolio"]), "--org", "Acme Foods", home=home)
    assert "4 marks created" in imported.stdout and "2 rows skipped" in imported.stdout
    listed = json.loads(fenghuo("tm", "portfolio", "list", "--org", "Acme Foods", "--format", "json",
                                home=home).stdout)
    wlj = next(m for m in listed if m["mark_id"] == "M3")
    assert {"WONG LO KAT", "WANGLAOJI"} <= {v["text"] for v in wlj["variants"]}
    run = fenghuo("tm", "run", "--org", "Acme Foods", home=home)
    assert run.returncode == 0 and "new alerts" in run.stdout, run.stderr
    alerts = json.loads(fenghuo("tm", "alerts", "--org", "Acme Foods", "--format", "json", home=home).stdout)
    assert {a["register_mark"]["mark"] for a in alerts} >= {"YILI", "WONG LO KAT", "HERO"}
    hero = next(a for a in alerts if a["register_mark"]["mark"] == "HERO")
    no_reason = fenghuo("tm", "review", str(hero["id"]), "dismissed", "--org", "Acme Foods", home=home)
    assert no_reason.returncode == 2 and "reason" in no_reason.stderr
    ok = fenghuo("tm", "review", str(hero["id"]), "dismissed", "--org", "Acme Foods", "--reason", "not ours",
                 home=home)
    assert ok.returncode == 0
    dismissed = json.loads(fenghuo("tm", "alerts", "--org", "Acme Foods", "--state", "dismissed", "--format", "json",
                                   home=home).stdout)
    assert [a["id"] for a in dismissed] == [hero["id"]]
    missing = fenghuo("tm", "alerts", "--org", "No Such Org", home=home)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_variants_command_shows_chinese_forms(tmp_path: Path) -> None:
    result = fenghuo("tm", "variants", "王老吉", "--format", "json", home=tmp_path)
    texts = {v["text"] for v in json.loads(result.stdout)}
    assert {"WANGLAOJI", "WONG LO KAT"} <= texts
