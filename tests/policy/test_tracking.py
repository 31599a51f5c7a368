"""Tracking: importing the seed plan as tasks with accountability rows, agencies as organisations
seeing only their tasks, annual plans, progress reports with evidence, indicators and reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.policy import tracking
from fenghuo.policy.models import PolicyReminder

SMALL_PLAN = """关于印发《示范知识产权规划》的通知

一、加强国际合作

(一)参与全球治理。

积极参与国际规则制定。推动完善国际规则。(国家知识产权局牵头,商务部等按职责分工负责)

加强海外维权援助。建设援助网络。(商务部、国家知识产权局按职责分工负责)

二、实施保障

(二)狠抓落实。

强化督促检查。开展年度评估。(国家知识产权局牵头,有关部门按职责分工负责)
"""


@dataclass
class PlanWorld:
    office: int
    cnipa: int
    mofcom: int
    evaluator: int
    outsider: int
    plan_id: int


def make_orgs() -> tuple[int, int, int, int, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        office = orgs.create_organisation(s, "Joint Conference Office", "administration").id
        cnipa = orgs.create_organisation(s, "CNIPA Team", "administration").id
        mofcom = orgs.create_organisation(s, "MOFCOM Team", "administration").id
        evaluator = orgs.create_organisation(s, "Third-Party Evaluator", "enterprise").id
        outsider = orgs.create_organisation(s, "Outsider Bureau", "administration").id
    return office, cnipa, mofcom, evaluator, outsider


def build(text: str, **kwargs: int) -> PlanWorld:
    office, cnipa, mofcom, evaluator, outsider = make_orgs()
    with session_scope(org_id=office) as s:
        plan = tracking.import_text(s, text, source_name="test plan", **kwargs)
        tracking.link_agency(s, "国家知识产权局", cnipa)
        tracking.link_agency(s, "商务部", mofcom, email="mofcom@example.com")
        plan_id = plan.id
    return PlanWorld(office, cnipa, mofcom, evaluator, outsider, plan_id)


@pytest.fixture
def small(db_engine: Engine, shared_dir: Path) -> PlanWorld:
    return build(SMALL_PLAN, start_year=2021, end_year=2025)


@pytest.fixture
def seed(db_engine: Engine, seed_text: str) -> PlanWorld:
    return build(seed_text)


def test_seed_import_creates_tasks_and_one_row_per_agency(seed: PlanWorld) -> None:
    with session_scope(org_id=seed.office) as s:
        plan = tracking.get_plan(s, seed.plan_id)
        tasks = tracking.tasks(s, seed.plan_id)
        accs = tracking.accountabilities(s, seed.plan_id)
        assert (plan.start_year, plan.end_year) == (2021, 2025)  # read from “十四五”
        assert len(tasks) == 14
        first = tasks[0]
        assert first.part_number == "六" and first.section_number == "十三"
        assert first.due_date == date(2025, 12, 31)
        first_accs = [a for a in accs if a.task_id == first.id]
        assert {a.agency_name for a in first_accs} >= {"外交部", "商务部", "国家知识产权局"}
        assert all(a.role == "co" for a in first_accs)
        overseas = next(t for t in tasks if t.title == "便利知识产权海外获权")
        lead = [a for a in accs if a.task_id == overseas.id and a.role == "lead"]
        assert [a.registry_id for a in lead] == ["cnipa"]
        assert lead[0].agency_org_id == seed.cnipa


def test_agencies_see_only_the_tasks_they_answer_for(seed: PlanWorld) -> None:
    with session_scope(org_id=seed.office) as s:
        accs = tracking.accountabilities(s, seed.plan_id)
        mofcom_tasks = {a.task_id for a in accs if a.agency_key == "mofcom"}
    with session_scope(org_id=seed.mofcom) as s:
        seen = {t.id for t in tracking.tasks(s, seed.plan_id)}
        assert seen == mofcom_tasks and 0 < len(seen) < 14
        assert tracking.get_plan(s, seed.plan_id).id == seed.plan_id
    with session_scope(org_id=seed.outsider) as s:
        assert tracking.tasks(s, seed.plan_id) == []
        with pytest.raises(NotFound):
            tracking.get_plan(s, seed.plan_id)


def test_only_an_administration_imports(small: PlanWorld) -> None:
    with session_scope(org_id=small.evaluator) as s, pytest.raises(PermissionDenied):
        tracking.import_text(s, SMALL_PLAN, start_year=2021, end_year=2025)


def test_import_without_years_names_the_field(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s, pytest.raises(ValidationFailed) as exc:
        tracking.import_text(s, SMALL_PLAN, source_name="no-years.txt")
    assert exc.value.field == "start_year" and exc.value.record == "no-years.txt"


def test_link_agency_rejects_an_enterprise(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s, pytest.raises(ValidationFailed) as exc:
        tracking.link_agency(s, "商务部", small.evaluator)
    assert exc.value.field == "organisation_id" and exc.value.record == "商务部"


def test_annual_plan_items_link_back_and_reach_agencies(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s:
        tasks = tracking.tasks(s, small.plan_id)
        annual = tracking.create_annual_plan(s, small.plan_id, 2023, "2023年度推进计划",
                                             [tracking.AnnualItemIn(tasks[1].id, "建成10个海外援助分中心")])
        annual_id = annual.id
        _row, items = tracking.get_annual_plan(s, annual_id)
        assert items[0].task_id == tasks[1].id
        assert items[0].due_date == date(2023, 12, 31)
        assert set(items[0].agencies) == {"商务部", "国家知识产权局"}
        with pytest.raises(ValidationFailed) as exc:
            tracking.create_annual_plan(s, small.plan_id, 2030, "x", [tracking.AnnualItemIn(tasks[0].id, "y")])
        assert exc.value.field == "year"
        with pytest.raises(ValidationFailed) as exc:
            tracking.create_annual_plan(s, small.plan_id, 2024, "x", [tracking.AnnualItemIn(999999, "y")])
        assert exc.value.field == "task_id" and exc.value.record == "annual plan 2024 item 1"
    with session_scope(org_id=small.mofcom) as s:
        assert tracking.get_annual_plan(s, annual_id)[0].year == 2023
    with session_scope(org_id=small.outsider) as s, pytest.raises(NotFound):
        tracking.get_annual_plan(s, annual_id)


def test_progress_only_for_own_tasks_and_shared_with_owner(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s:
        tasks = tracking.tasks(s, small.plan_id)
    last = tasks[2]  # 国家知识产权局 leads, 有关部门 co: MOFCOM is not responsible
    with session_scope(org_id=small.mofcom) as s:
        with pytest.raises(NotFound):
            tracking.file_progress(s, last.id, tracking.ProgressIn("2023-H1", "in_progress"))
        report = tracking.file_progress(s, tasks[1].id, tracking.ProgressIn("2023-H1", "in_progress", "进展", 40))
        tracking.add_evidence(s, report.id, "minutes.pdf", "application/pdf", b"%PDF-1.4 evidence")
        report_id = report.id
        with pytest.raises(ValidationFailed) as exc:
            tracking.file_progress(s, tasks[1].id, tracking.ProgressIn("2023-Q5", "in_progress"))
        assert exc.value.field == "period" and exc.value.record == f"task {tasks[1].id} 2023-Q5"
        with pytest.raises(ValidationFailed) as exc:
            tracking.file_progress(s, tasks[1].id, tracking.ProgressIn("2023", "finished"))
        assert exc.value.field == "status"
    with session_scope(org_id=small.office) as s:
        reports = tracking.progress_reports(s, small.plan_id)
        assert [(r.id, r.agency_key, r.percent_complete) for r in reports] == [(report_id, "mofcom", 40)]
        evidence = tracking.evidence_of(s, report_id)
        assert evidence[0].filename == "minutes.pdf" and evidence[0].size == len(b"%PDF-1.4 evidence")
        with pytest.raises(PermissionDenied):
            tracking.add_evidence(s, report_id, "x.txt", "text/plain", b"x")
    with session_scope(org_id=small.cnipa) as s:
        assert tracking.progress_reports(s, small.plan_id) == []  # another agency's report stays private


def test_owner_files_for_an_agency_without_organisation(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s:
        task = tracking.tasks(s, small.plan_id)[2]
        with pytest.raises(ValidationFailed) as exc:
            tracking.file_progress(s, task.id, tracking.ProgressIn("2023", "in_progress"))
        assert exc.value.field == "agency"
        row = tracking.file_progress(s, task.id, tracking.ProgressIn("2023", "in_progress", agency="有关部门"))
        assert row.agency_name == "有关部门"


def test_indicator_validation_names_fields(small: PlanWorld) -> None:
    with session_scope(org_id=small.office) as s:
        with pytest.raises(ValidationFailed) as exc:
            tracking.add_indicator(s, small.plan_id, tracking.IndicatorIn("HVP", "高价值发明专利", 6.3, 2020, 12,
                                                                         direction="up"))
        assert (exc.value.field, exc.value.record) == ("direction", "HVP")
        with pytest.raises(ValidationFailed) as exc:
            tracking.add_indicator(s, small.plan_id, tracking.IndicatorIn("HVP", "高价值发明专利", 6.3, 2020, 12,
                                                                         kind="重要"))
        assert exc.value.field == "kind"
        ind = tracking.add_indicator(s, small.plan_id, tracking.IndicatorIn("HVP", "高价值发明专利", 6.3, 2020, 12,
                                                                           kind="预期性", actuals={2022: 9.4}))
        assert ind.kind == "expected" and ind.target_year == 2025
        tracking.record_actual(s, ind.id, 2022, 9.5)
        assert tracking.actuals(s, [ind.id]) == {ind.id: {2022: 9.5}}
    with session_scope(org_id=small.mofcom) as s, pytest.raises(NotFound):
        tracking.get_indicator(s, ind.id)


def test_reminders_list_agencies_with_overdue_tasks(small: PlanWorld) -> None:
    from fenghuo.policy import reminders

    with session_scope(org_id=small.office) as s:
        tasks = tracking.tasks(s, small.plan_id)
        tasks[0].due_date = date(2023, 6, 30)
        tasks[1].due_date = date(2023, 6, 30)
    with session_scope(org_id=small.cnipa) as s:
        tracking.file_progress(s, tasks[0].id, tracking.ProgressIn("2023-H1", "completed"))
    with session_scope(org_id=small.office) as s:
        overdue = reminders.overdue_by_agency(s, small.plan_id, date(2023, 9, 1))
        assert sorted(o.agency_key for o in overdue) == ["cnipa", "mofcom"]
        assert all([t[0] for t in o.tasks] == [tasks[1].id] for o in overdue)  # the completed task is not chased
        mofcom = next(o for o in overdue if o.agency_key == "mofcom")
        assert mofcom.recipients == ["mofcom@example.com"]
        rows = reminders.remind(s, small.plan_id, date(2023, 9, 1))
        assert {r.channel for r in rows} == {"listed"}  # no SMTP configured
    with session_scope(org_id=small.office) as s:
        assert len(list(s.query(PolicyReminder))) == 2
    with session_scope(org_id=small.mofcom) as s, pytest.raises(PermissionDenied):
        reminders.remind(s, small.plan_id)
