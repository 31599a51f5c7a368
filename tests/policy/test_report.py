"""The bilingual evaluation report: HTML with inline SVG charts, and a PDF that WeasyPrint produces."""

from __future__ import annotations

import io
from datetime import date

import pytest

from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.policy import dashboard, evaluation, report, tracking
from fenghuo.policy.rag import plan_statuses
from tests.policy.test_tracking import PlanWorld, small  # noqa: F401  (fixture)


def _world(world: PlanWorld) -> int:
    with session_scope(org_id=world.office) as s:
        tasks = tracking.tasks(s, world.plan_id)
        tracking.add_indicator(s, world.plan_id, tracking.IndicatorIn(
            "HVP", "每万人口高价值发明专利拥有量", 6.3, 2020, 12, unit="件", task_id=tasks[0].id,
            actuals={2021: 7.5, 2022: 9.4}))
    with session_scope(org_id=world.cnipa) as s:
        tracking.file_progress(s, tasks[0].id, tracking.ProgressIn("2023-H1", "completed", "已完成", 100))
    with session_scope(org_id=world.mofcom) as s:
        tracking.file_progress(s, tasks[1].id, tracking.ProgressIn("2023-H1", "in_progress", "推进中", 40))
    with session_scope(org_id=world.office) as s:
        eid = evaluation.create_evaluation(s, world.plan_id, "mid_term", evaluator_org_id=world.evaluator,
                                           as_of=date(2023, 6, 30)).id
    return eid


def test_html_has_charts_and_headings_in_each_language(small: PlanWorld) -> None:  # noqa: F811
    eid = _world(small)
    with session_scope(org_id=small.office) as s:
        zh = report.render_html(s, eid, "zh_CN")
        en = report.render_html(s, eid, "en")
    assert "中期评估报告" in zh and "按责任单位的完成情况" in zh and "指标与目标" in zh
    assert "Mid-term evaluation report" in en and "Completion by agency" in en
    assert "Indicators against targets" in en and "中期评估报告" not in en
    # part, section, agency, one indicator: images drawn by reports.charts (PNG at print resolution)
    assert zh.count('<img class="chart"') == 4 and en.count('<img class="chart"') == 4
    assert "示范知识产权规划" in en  # data stay as written
    assert "red (indicator off track)" in en or "green (completed)" in en


def test_pdf_is_produced_in_both_languages(small: PlanWorld) -> None:  # noqa: F811
    eid = _world(small)
    with session_scope(org_id=small.office) as s:
        zh = report.render_pdf(s, eid, "zh_CN")
        en = report.render_pdf(s, eid, "en")
    assert zh.startswith(b"%PDF") and len(zh) > 5000
    assert en.startswith(b"%PDF") and len(en) > 5000
    pypdf = pytest.importorskip("pypdf")
    zh_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(zh)).pages)
    en_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(en)).pages)
    assert "中期评估报告" in zh_text
    assert "Mid-term evaluation report" in en_text
    images = [img for page in pypdf.PdfReader(io.BytesIO(zh)).pages for img in page.images]
    assert len(images) >= 4  # the charts are in the PDF as images


def test_unknown_language_names_the_field(small: PlanWorld) -> None:  # noqa: F811
    eid = _world(small)
    with session_scope(org_id=small.office) as s, pytest.raises(ValidationFailed) as exc:
        report.render_html(s, eid, "fr")
    assert exc.value.field == "lang"


def test_dashboards_and_exports(small: PlanWorld) -> None:  # noqa: F811
    _world(small)
    with session_scope(org_id=small.office) as s:
        status = plan_statuses(s, small.plan_id, date(2023, 6, 30))
    agencies = {r["agency_key"]: r for r in dashboard.by_agency(status)}
    assert agencies["cnipa"]["lead"] == 2 and agencies["cnipa"]["completed"] == 1
    assert agencies["mofcom"]["co"] == 2 and agencies["mofcom"]["reports"] == 1
    assert "有关部门" not in {r["agency"] for r in agencies.values()}  # generic actors are not agencies
    parts = dashboard.by_part(status)
    assert [(p["number"], p["tasks"], p["completion"]) for p in parts] == [("一", 2, 50), ("二", 1, 0)]
    csv_text = dashboard.to_csv(dashboard.view_rows(status, "agency"))
    assert csv_text.splitlines()[0].startswith("agency_key,agency,") and "国家知识产权局" in csv_text
    xlsx = dashboard.to_xlsx({"agency": dashboard.by_agency(status), "tasks": dashboard.task_rows(status)})
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["agency", "tasks"] and book["tasks"].max_row == 4
    with pytest.raises(ValidationFailed) as exc:
        dashboard.view_rows(status, "ministry")
    assert exc.value.field == "view"
