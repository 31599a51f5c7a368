"""Demo plan tracking for ``fenghuo demo``: the plan office imports the seed plan (or, without the
shared data, a small invented plan labelled demo), links two demo agency organisations, adopts an
annual plan, receives progress from both and opens a mid-term evaluation.

Idempotent: nothing is added when the plan office already has a plan. The progress texts, figures
and agency organisations are invented and labelled (演示 / demo).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.models import Organisation, OrgKind
from fenghuo.core.settings import shared_dir
from fenghuo.policy import evaluation, tracking
from fenghuo.policy.models import PolicyPlan

OFFICE_PREFIX = "IP Plan Office (Demo)"
AGENCIES = (("国家知识产权局", "CNIPA Team (Demo) 国家知识产权局（演示）"),
            ("商务部", "MOFCOM Team (Demo) 商务部（演示）"))
SEED = Path("seed") / "000_e9f6b771d52f2730.txt"

DEMO_PLAN = """关于印发《示范知识产权国际合作规划（演示）》的通知

一、推进知识产权国际合作（演示）

(一)加强知识产权保护国际合作。

便利知识产权海外获权。拓展专利审查高速路合作网络。(国家知识产权局牵头,商务部等按职责分工负责)

加强知识产权海外维权援助。建设海外维权援助网络。(商务部、国家知识产权局按职责分工负责)
"""


def _org(name: str) -> int:
    with session_scope(org_id=None, platform_admin=True, actor_label="demo") as session:
        found = session.scalar(select(Organisation).where(Organisation.name == name))
        if found is not None:
            return found.id
        return orgs.create_organisation(session, name, OrgKind.ADMINISTRATION).id


def load_demo(organisations: dict[str, int]) -> None:
    office = next((oid for name, oid in organisations.items() if name.startswith(OFFICE_PREFIX)), None)
    if office is None:
        return
    with session_scope(org_id=office, actor_label="demo") as session:
        if session.scalar(select(PolicyPlan).where(PolicyPlan.organisation_id == office)) is not None:
            return
    agency_orgs = {agency: _org(name) for agency, name in AGENCIES}
    seed = shared_dir() / SEED
    text = seed.read_text(encoding="utf-8") if seed.is_file() else DEMO_PLAN
    with session_scope(org_id=office, actor_label="demo") as session:
        plan = tracking.import_text(session, text, start_year=2021, end_year=2025, source_name="demo")
        plan_id = plan.id
        for agency, org_id in agency_orgs.items():
            tracking.link_agency(session, agency, org_id)
        tasks = tracking.tasks(session, plan_id)
        accs = tracking.accountabilities(session, plan_id)
        cnipa_task = next(t for t in tasks if any(a.task_id == t.id and a.agency_name == "国家知识产权局"
                                                  and a.role == "lead" for a in accs))
        mofcom_task = next(t for t in tasks if any(a.task_id == t.id and a.agency_name == "商务部" for a in accs))
        tracking.create_annual_plan(session, plan_id, 2023, "2023年度推进计划（演示）", [
            tracking.AnnualItemIn(cnipa_task.id, "拓展专利审查高速路合作（演示）"),
            tracking.AnnualItemIn(mofcom_task.id, "建设海外维权援助网络（演示）")])
        tracking.add_indicator(session, plan_id, tracking.IndicatorIn(
            "HVP", "每万人口高价值发明专利拥有量", 6.3, 2020, 12, unit="件", task_id=cnipa_task.id,
            actuals={2021: 7.5, 2022: 9.4}))
    with session_scope(org_id=agency_orgs["国家知识产权局"], actor_label="demo") as session:
        tracking.file_progress(session, cnipa_task.id, tracking.ProgressIn(
            "2023-H1", "in_progress", "与多个国家开展专利审查高速路合作（演示数据）", 60))
    with session_scope(org_id=agency_orgs["商务部"], actor_label="demo") as session:
        tracking.file_progress(session, mofcom_task.id, tracking.ProgressIn(
            "2023-H1", "in_progress", "建成海外维权援助分中心（演示数据）", 45))
    with session_scope(org_id=office, actor_label="demo") as session:
        evaluation.create_evaluation(session, plan_id, "mid_term", as_of=date(2023, 6, 30))
