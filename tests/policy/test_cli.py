"""``fenghuo policy parse`` and ``fenghuo policy agencies`` as a user runs them, and the package's
public API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import fenghuo.policy
from fenghuo.cli.main import app

runner = CliRunner()


def fenghuo_cli(*args: str, shared: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    if shared is not None:
        env["FENGHUO_SHARED"] = str(shared)
    return subprocess.run([sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_parse_seed_json_contract(seed_path: Path, shared_dir: Path, golden: dict[str, Any]) -> None:
    result = fenghuo_cli("policy", "parse", str(seed_path), "--format", "json", shared=shared_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) >= {"title", "parts"}
    assert data["title"] == golden["title"]
    for part, expected_part in zip(data["parts"], golden["parts"], strict=True):
        assert {k: part[k] for k in ("number", "title")} == {k: expected_part[k] for k in ("number", "title")}
        for section, expected_section in zip(part["sections"], expected_part["sections"], strict=True):
            assert (section["number"], section["title"]) == (expected_section["number"], expected_section["title"])
            for measure, expected in zip(section["measures"], expected_section["measures"], strict=True):
                for key in ("title", "text", "lead", "co", "open_ended"):
                    assert measure[key] == expected[key]
                for ref, expected_ref in zip(measure["agencies"], expected["agencies"], strict=True):
                    assert {k: ref[k] for k in ("name", "id", "role", "current_name")} == expected_ref
    # the default format is the JSON contract too
    default = fenghuo_cli("policy", "parse", str(seed_path), shared=shared_dir)
    assert json.loads(default.stdout) == data


def test_parse_table(seed_path: Path) -> None:
    result = runner.invoke(app, ["policy", "parse", str(seed_path), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "3 parts, 9 sections, 14 measures" in result.output


@pytest.mark.parametrize("case", ["missing", "empty", "no_structure", "directory", "bad_format", "bad_date"])
def test_parse_usage_errors_exit_2_with_one_line(case: str, tmp_path: Path, shared_dir: Path) -> None:
    path = tmp_path / "plan.txt"
    extra: list[str] = []
    if case == "empty":
        path.write_text("", encoding="utf-8")
    elif case == "no_structure":
        path.write_text("首页\n这只是一段文字,没有规划的结构。\n联系我们\n", encoding="utf-8")
    elif case == "directory":
        path = tmp_path
    elif case in ("bad_format", "bad_date"):
        path.write_text("(一)保护。\n加强保护。(商务部负责)\n", encoding="utf-8")
        extra = ["--format", "xml"] if case == "bad_format" else ["--on", "yesterday"]
    result = fenghuo_cli("policy", "parse", str(path), *extra, shared=shared_dir)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")


def test_unknown_agencies_reported_on_stderr_and_in_json(tmp_path: Path, shared_dir: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("一、总体\n(一)保护。\n加强保护。(国家知识产权局牵头,火星事务局、有关部门等按职责分工负责)\n",
                    encoding="utf-8")
    result = fenghuo_cli("policy", "parse", str(path), "--on", "2021-10-09", shared=shared_dir)
    assert result.returncode == 0, result.stderr
    assert "火星事务局" in result.stderr
    data = json.loads(result.stdout)
    assert data["unknown_agencies"] == ["火星事务局"]
    refs = data["parts"][0]["sections"][0]["measures"][0]["agencies"]
    assert [(r["name"], r["id"], r["role"], r["kind"]) for r in refs] == [
        ("国家知识产权局", "cnipa", "lead", "agency"),
        ("火星事务局", None, "co", "unknown"),
        ("有关部门", None, "co", "generic"),
    ]
    assert refs[0]["valid_on"] is True and refs[0]["checked_on"] == "2021-10-09"


def test_parse_without_registry_still_parses(seed_path: Path, tmp_path: Path) -> None:
    result = fenghuo_cli("policy", "parse", str(seed_path), shared=tmp_path)
    assert result.returncode == 0
    assert "agency registry not found" in result.stderr
    data = json.loads(result.stdout)
    refs = data["parts"][0]["sections"][0]["measures"][0]["agencies"]
    assert {r["id"] for r in refs} == {None}
    assert data["unknown_agencies"] == []  # unresolved is not unknown


def test_agencies_command(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_SHARED", str(shared_dir))
    result = runner.invoke(app, ["policy", "agencies", "银保监会", "--on", "2024-01-01"])
    assert result.exit_code == 0, result.output
    assert "cbirc" in result.output and "now: 国家金融监督管理总局" in result.output
    assert "valid on 2024-01-01: no" in result.output

    result = runner.invoke(app, ["policy", "agencies", "国家林草局", "--format", "json"])
    data = json.loads(result.output)
    assert (data["status"], data["id"], data["current_name"]) == ("agency", "nfga", "国家林业和草原局")

    result = runner.invoke(app, ["policy", "agencies", "nfra"])  # an id works too
    assert result.exit_code == 0 and "国家金融监督管理总局" in result.output

    result = runner.invoke(app, ["policy", "agencies", "有关部门"])
    assert result.exit_code == 0 and "generic" in result.output

    result = runner.invoke(app, ["policy", "agencies", "--format", "json"])
    assert len(json.loads(result.output)) == 139


def test_agencies_unknown_name_exits_1(shared_dir: Path) -> None:
    result = fenghuo_cli("policy", "agencies", "金融监管局", shared=shared_dir)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown agency: 金融监管局" in result.stderr
    result = fenghuo_cli("policy", "agencies", "金融监管局", "--format", "json", shared=shared_dir)
    assert result.returncode == 1 and json.loads(result.stdout)["status"] == "unknown"


def test_agencies_bad_date_and_missing_registry(shared_dir: Path, tmp_path: Path) -> None:
    result = fenghuo_cli("policy", "agencies", "商务部", "--on", "2024-13-01", shared=shared_dir)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = fenghuo_cli("policy", "agencies", "商务部", "--agencies", str(tmp_path / "nope.csv"), shared=shared_dir)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = fenghuo_cli("policy", "agencies", "商务部", shared=tmp_path)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_public_api_is_what_all_says() -> None:
    names = set(fenghuo.policy.__all__)
    assert len(names) == len(fenghuo.policy.__all__)
    for name in names:
        assert hasattr(fenghuo.policy, name), name
    public = {n for n in vars(fenghuo.policy) if not n.startswith("_")} - {
        "agencies", "model", "normalize", "parse", "readers", "responsibility", "annotations",
        # tracking submodules (imported as fenghuo.policy.<name>, not re-exported)
        "models", "tracking", "rag", "dashboard", "reminders", "evaluation", "report", "demo"}
    assert public == names
