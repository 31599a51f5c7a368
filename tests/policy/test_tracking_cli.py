"""`fenghuo policy track / link / status / export / remind / report` in-process on the test database,
and the demo loader."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from fenghuo.cli.main import app
from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.policy import evaluation
from fenghuo.policy.models import PolicyPlan, PolicyProgressReport

runner = CliRunner()


def test_cli_tracking_commands(db_engine: Engine, seed_path: Path, tmp_path: Path) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        orgs.create_organisation(s, "Plan Office", "administration")
        orgs.create_organisation(s, "MOFCOM Team", "administration")
    result = runner.invoke(app, ["policy", "track", str(seed_path), "--org", "Plan Office"])
    assert result.exit_code == 0, result.output
    assert "14 tasks, 2021–2025" in result.output
    with session_scope(org_id=None, platform_admin=True) as s:
        plan_id = s.scalars(select(PolicyPlan.id)).one()
    result = runner.invoke(app, ["policy", "link", "商务部", "--org", "Plan Office", "--agency-org", "MOFCOM Team"])
    assert result.exit_code == 0 and "mofcom" in result.output

    result = runner.invoke(app, ["policy", "status", "--plan", str(plan_id), "--by", "part", "--format", "json",
                                 "--on", "2023-06-30"])
    assert result.exit_code == 0, result.output
    assert [row["number"] for row in json.loads(result.output)] == ["六", "七", "八"]
    result = runner.invoke(app, ["policy", "status", "--plan", str(plan_id), "--by", "ministry"])
    assert result.exit_code == 2 and "field view" in result.output

    out = tmp_path / "agency.csv"
    result = runner.invoke(app, ["policy", "export", "--plan", str(plan_id), "--view", "agency", "-o", str(out)])
    assert result.exit_code == 0 and "国家知识产权局" in out.read_text(encoding="utf-8-sig")

    result = runner.invoke(app, ["policy", "remind", "--plan", str(plan_id), "--on", "2026-03-01", "--no-send"])
    assert result.exit_code == 0, result.output
    assert "商务部" in result.output and "listed" in result.output
    result = runner.invoke(app, ["policy", "remind", "--plan", "99999"])
    assert result.exit_code == 1 and "99999" in result.output

    with session_scope(org_id=None, platform_admin=True) as s:
        owner = s.get(PolicyPlan, plan_id)
        assert owner is not None
        owner_id = owner.organisation_id
    with session_scope(org_id=owner_id) as s:
        evaluation_id = evaluation.create_evaluation(s, plan_id, "mid_term").id
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["policy", "report", "--evaluation", str(evaluation_id), "--lang", "en",
                                 "-o", str(html)])
    assert result.exit_code == 0, result.output
    assert "Mid-term evaluation report" in html.read_text(encoding="utf-8")


def test_demo_loads_plan_progress_from_two_agencies(db_engine: Engine, shared_dir: Path) -> None:
    from fenghuo.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    with session_scope(org_id=None, platform_admin=True) as s:
        assert len(list(s.scalars(select(PolicyPlan)))) == 1
        reports = list(s.scalars(select(PolicyProgressReport)))
        assert sorted(r.agency_key for r in reports) == ["cnipa", "mofcom"]
