"""The evaluation report: HTML from a Jinja2 template, charts from Altair as inline SVG, and a PDF
from WeasyPrint — in Chinese (zh_CN) or English.

Why the report's headings live here and not in the message catalogue: the report is an official
document published in both languages, so both texts are part of its content and reviewed with it;
the interface catalogue (``core.i18n``) keeps translating the surrounding UI. Texts the data carry
(plan, measure and agency names, the RAG reasons computed in the chosen locale) are used as they are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from fenghuo.core import i18n
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.formatting import fmt_date
from fenghuo.core.i18n import _
from fenghuo.core.labels import label
from fenghuo.policy import dashboard, evaluation, tracking
from fenghuo.policy.rag import plan_statuses
from fenghuo.reports import charts
from fenghuo.reports.charts import Output

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = ("zh_CN", "en")
FONT = charts.FONT

LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "mid_term": "中期评估报告", "final": "总结评估报告", "as_of": "评估基准日", "plan": "规划",
        "summary": "总体情况", "tasks": "任务", "completed": "已完成", "red": "红灯", "amber": "黄灯",
        "green": "绿灯", "by_part": "按部分的完成情况", "by_section": "按节的完成情况",
        "by_agency": "按责任单位的完成情况", "indicators": "指标与目标", "indicator": "指标", "baseline": "基期值",
        "target": "目标值", "latest": "最新值", "status": "状态", "reason": "原因", "agency": "责任单位",
        "lead": "牵头", "co": "参与", "completion": "完成率(%)", "self": "部门自评", "evaluator": "第三方评估",
        "criterion": "评估标准", "score": "得分(1–5)", "comments": "公众意见", "task_status": "任务状态明细",
        "none": "暂无", "section": "节", "part": "部分", "generated": "生成日期", "expected": "预期性",
        "binding": "约束性", "path": "线性路径", "actual": "实际值", "year": "年份", "value": "数值",
        "overdue": "逾期", "reports": "进展报告",
    },
    "en": {
        "mid_term": "Mid-term evaluation report", "final": "Final evaluation report", "as_of": "As of",
        "plan": "Plan", "summary": "Summary", "tasks": "Tasks", "completed": "Completed", "red": "Red",
        "amber": "Amber", "green": "Green", "by_part": "Completion by part", "by_section": "Completion by section",
        "by_agency": "Completion by agency", "indicators": "Indicators against targets", "indicator": "Indicator",
        "baseline": "Baseline", "target": "Target", "latest": "Latest", "status": "Status", "reason": "Reason",
        "agency": "Agency", "lead": "Lead", "co": "Co", "completion": "Completion (%)",
        "self": "Agencies' self-evaluation", "evaluator": "Third-party evaluation", "criterion": "Criterion",
        "score": "Score (1–5)", "comments": "Public comments", "task_status": "Status of each task",
        "none": "None", "section": "Section", "part": "Part", "generated": "Generated", "expected": "expected",
        "binding": "binding", "path": "linear path", "actual": "actual", "year": "Year", "value": "Value",
        "overdue": "Overdue", "reports": "Progress reports",
    },
}


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))


def _bar_svg(rows: list[dict[str, Any]], label: str, title: str, axis: str, output: Output = "svg") -> str:
    """Completion (%) per row; labels wrapped, not cut (``fenghuo.reports.charts``)."""
    return charts.bar_chart([(str(r[label]), r["completion"]) for r in rows], title=title, value_title=axis,
                            percent=True, output=output)


def rag_counts_svg(rows: list[dict[str, Any]], label: str, title: str, names: dict[str, str],
                   output: Output = "svg") -> str:
    """Stacked red / amber / green task counts per row (agency, part or section), whole-number axis;
    ``names`` gives the legend labels of red, amber and green in the page's language."""
    series = [(c, names[c], charts.RAG_COLOURS[c]) for c in ("red", "amber", "green")]
    return charts.stacked_bar_chart(rows, label, series, title=title, value_title=names.get("tasks", ""),
                                    output=output)


def completion_svg(rows: list[dict[str, Any]], label: str, title: str, axis: str) -> str:
    """Completion (%) bars, the report's chart, for pages."""
    return _bar_svg(rows, label, title, axis)


def indicator_svg(row: dict[str, Any], labels: dict[str, str]) -> str:
    """An indicator's actuals against the linear path to its target, for pages."""
    return _indicator_svg(row, labels)


def _indicator_svg(row: dict[str, Any], labels: dict[str, str], output: Output = "svg") -> str:
    points = [{"x": int(y), "value": v, "series": labels["actual"]} for y, v in row["actuals"].items()]
    path = [{"x": row["baseline_year"], "value": row["baseline"], "series": labels["path"]},
            {"x": row["target_year"], "value": row["target"], "series": labels["path"]}]
    return charts.line_chart(points + path, x_title=labels["year"], y_title=row["unit"] or labels["value"],
                             title=str(row["name"]), output=output)


def build_context(session: Session, evaluation_id: int, locale: str, today: date | None = None) -> dict[str, Any]:
    """Everything the template shows, with RAG reasons computed in ``locale``."""
    if locale not in LOCALES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(LOCALES)), field="lang",
                               record="report")
    token = i18n.set_locale(locale)
    try:
        work = evaluation.workspace(session, evaluation_id)
        plan = tracking.get_plan(session, work["plan_id"])
        status = plan_statuses(session, plan.id, today or date.fromisoformat(work["as_of"]))
        labels = LABELS[locale]
        parts = dashboard.by_part(status)
        sections = dashboard.by_section(status)
        agencies = dashboard.by_agency(status)
        inds = dashboard.indicator_rows(status)
        tasks = dashboard.task_rows(status)
        for row in parts:
            row["label"] = f"{row['number']} {row['title']}".strip()
        for row in sections:
            row["label"] = f"({row['number']}) {row['title']}" if row["number"] else row["title"]
        criteria = {c.id: (c.zh if locale == "zh_CN" else c.en) for c in evaluation.DAC_CRITERIA}
        charts = {
            # Images in the PDF (PNG at print resolution), drawn by the shared chart helper.
            "part": _bar_svg(parts, "label", labels["by_part"], labels["completion"], "img"),
            "section": _bar_svg(sections, "label", labels["by_section"], labels["completion"], "img"),
            "agency": _bar_svg(agencies[:20], "agency", labels["by_agency"], labels["completion"], "img"),
            "indicators": [_indicator_svg(r, labels, "img") for r in inds],
        }
        totals = {"tasks": len(tasks), "completed": sum(1 for t in tasks if t["rule"] == "completed"),
                  "red": sum(1 for t in tasks if t["status"] == "red"),
                  "amber": sum(1 for t in tasks if t["status"] == "amber"),
                  "green": sum(1 for t in tasks if t["status"] == "green"), "reports": len(status.reports)}
        return {"lang": "zh-CN" if locale == "zh_CN" else "en", "L": labels, "plan": plan, "work": work,
                "title": labels[work["kind"]], "parts": parts, "sections": sections, "agencies": agencies,
                "indicators": inds, "tasks": tasks, "charts": charts, "criteria": criteria, "totals": totals,
                "generated": fmt_date(date.today(), locale), "font": FONT,
                # Codes in words and dates as the locale writes them (fenghuo.core.labels / .formatting).
                "label": lambda category, code: label(category, code, locale),
                "fmt_date": lambda value: fmt_date(value, locale)}
    finally:
        i18n.reset_locale(token)


def render_html(session: Session, evaluation_id: int, locale: str, today: date | None = None) -> str:
    context = build_context(session, evaluation_id, locale, today)
    return _env().get_template("evaluation_report.html").render(**context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_pdf(session: Session, evaluation_id: int, locale: str, today: date | None = None) -> bytes:
    """The evaluation report as a PDF in ``locale`` (zh_CN or en)."""
    return html_to_pdf(render_html(session, evaluation_id, locale, today))
