"""Plan-tracking pages: the plans you own, answer for or evaluate; a plan's dashboards (by agency,
part and section, tasks with their RAG reasons) with charts and exports; the plan owner's annual
promotion plans, indicators, 催办 and 办结; a responsible agency's "what we owe", progress reports
with evidence; evaluation workspaces (self-evaluation, the evaluator's DAC scores, public comments
and their moderation, the bilingual report); and the public consultation form (no login).

Who may do what is decided in ``fenghuo.policy``; these routes translate forms to those calls."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fenghuo.core import i18n
from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.core.models import OrgKind
from fenghuo.policy import dashboard, evaluation, rag, reminders, tracking
from fenghuo.policy.models import PolicyPlan
from fenghuo.web import flash
from fenghuo.web.deps import Caller, CsrfFailed, caller_session, require_org
from fenghuo.web.forms import add_list_redirects
from fenghuo.web.params import DbId, FormId

router = APIRouter(include_in_schema=False)


def _year(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 4:
        raise ValidationFailed(_("%(value)s is not a year", value=value[:20]), field=field, record="plan")
    return int(value)


@router.get("/plans")
async def plans_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            return [{"id": p.id, "title": p.title, "start_year": p.start_year, "end_year": p.end_year,
                     "tasks": len(tracking.tasks(s, p.id)), "is_owner": p.organisation_id == caller.org_id}
                    for p in tracking.list_plans(s)]

    return render(request, "policy/plans.html", {
        "plans": await run_in_threadpool(load),
        "can_import": caller.org_kind == OrgKind.ADMINISTRATION.value})


@router.post("/plans")
async def import_plan(request: Request, text: str = Form(..., max_length=2_000_000), start_year: str = Form(""),
                      end_year: str = Form(""), caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            return tracking.import_text(s, text, start_year=_year(start_year, "start_year"),
                                        end_year=_year(end_year, "end_year"), source_name="web form").id

    plan_id = await run_in_threadpool(run)
    return flash.redirect(f"/plans/{plan_id}", _("Plan created."))


@router.get("/plans/{policy_plan_id}")
async def plan_page(request: Request, policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            plan = tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, policy_plan_id)
            is_owner = plan.organisation_id == caller.org_id
            return {"plan": plan, "agencies": dashboard.by_agency(status), "parts": dashboard.by_part(status),
                    "sections": dashboard.by_section(status), "tasks": dashboard.task_rows(status),
                    "indicators": dashboard.indicator_rows(status),
                    "evaluations": evaluation.list_evaluations(s, policy_plan_id),
                    "reminders": tracking.reminder_history(s, plan.id) if is_owner else [],
                    "is_owner": is_owner, "statuses": tracking.REPORT_STATUSES}

    return render(request, "policy/plan.html", await run_in_threadpool(load))


@router.post("/plans/{policy_plan_id}/progress")
async def file_progress(request: Request, policy_plan_id: DbId, task_id: FormId, period: str = Form(...),
                        status: str = Form(...), percent_complete: str = Form(""), text: str = Form(""),
                        caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        percent = percent_complete.strip()
        if percent and (not percent.isdigit() or int(percent) > 100):
            raise ValidationFailed(_("percent_complete must be between 0 and 100"), field="percent_complete",
                                   record=f"task {task_id} {period}")
        with caller_session(caller) as s:
            if tracking.get_task(s, task_id).plan_id != policy_plan_id:
                raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=task_id), field="task_id",
                                       record=f"task {task_id}")
            tracking.file_progress(s, task_id, tracking.ProgressIn(period, status, text,
                                                                   int(percent) if percent else None))

    await run_in_threadpool(run)
    return flash.redirect(f"/plans/{policy_plan_id}", _("Progress report saved."))


# --- helpers -------------------------------------------------------------------------------------------------


def _int(value: str, field: str, record: str, *, optional: bool = False) -> int | None:
    value = value.strip()
    if not value and optional:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a whole number", value=value[:20] or "''"), field=field,
                               record=record) from None
    if abs(number) > DB_ID_MAX:  # ids, years and scores: anything larger would overflow the column
        raise ValidationFailed(_("%(value)s is out of range", value=value[:20]), field=field, record=record)
    return number


def _float(value: str, field: str, record: str, *, optional: bool = False) -> float | None:
    value = value.strip()
    if not value and optional:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a number", value=value[:20] or "''"), field=field,
                               record=record) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationFailed(_("%(value)s is not a number", value=value[:20]), field=field, record=record)
    return number


def _date(value: str, field: str, record: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=value[:20]), field=field,
                               record=record) from None


def _rag_names() -> dict[str, str]:
    return {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}


async def _read_upload(file: UploadFile | None) -> tuple[str, str, bytes] | None:
    """The uploaded evidence (None when the file field was left empty), refused above the size limit."""
    if file is None or not file.filename:
        return None
    data = await file.read(tracking.MAX_EVIDENCE_BYTES + 1)
    if len(data) > tracking.MAX_EVIDENCE_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=tracking.MAX_EVIDENCE_BYTES // (1024 * 1024)),
                               field="file", record=file.filename)
    return file.filename, file.content_type or "", data


# --- the plan page's owner actions: 催办 and 办结 ----------------------------------------------------------------


@router.post("/plans/{policy_plan_id}/reminders")
async def remind(request: Request, policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            reminders.remind(s, policy_plan_id)

    await run_in_threadpool(run)
    return flash.redirect(f"/plans/{policy_plan_id}#reminders", _("Reminders sent."))


@router.post("/tasks/{task_id}/close")
async def close_task(request: Request, task_id: DbId, completed_on: str = Form(""),
                     caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            tracking.close_task(s, task_id, _date(completed_on, "completed_on", f"task {task_id}"))

    await run_in_threadpool(run)
    return flash.redirect(f"/tasks/{task_id}", _("Task closed."))


@router.post("/tasks/{task_id}/reopen")
async def reopen_task(request: Request, task_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            tracking.reopen_task(s, task_id)

    await run_in_threadpool(run)
    return flash.redirect(f"/tasks/{task_id}", _("Task reopened."))


# --- a task: status, reports, evidence -----------------------------------------------------------------------


@router.get("/tasks/{task_id}")
async def task_page(request: Request, task_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            task = tracking.get_task(s, task_id)
            plan = tracking.get_plan(s, task.plan_id)
            status = rag.plan_statuses(s, plan.id)
            accs = [a for a in status.accountabilities if a.task_id == task.id]
            reports = [r for r in status.reports if r.task_id == task.id]
            today = status.today
            return {
                "plan": plan, "task": task, "rag": status.task_rag[task.id], "accs": accs,
                "reports": [{"row": r, "evidence": tracking.evidence_of(s, r.id),
                             "mine": r.organisation_id == caller.org_id,
                             "open": today <= tracking.period_bounds(r.period)[1]} for r in reversed(reports)],
                "indicators": [(i, r) for i, _v, r in status.indicators if i.task_id == task.id],
                "is_owner": plan.organisation_id == caller.org_id,
                "answers": any(a.agency_org_id == caller.org_id for a in accs),
                "statuses": tracking.REPORT_STATUSES, "period": tracking.current_period(today),
                "max_mb": tracking.MAX_EVIDENCE_BYTES // (1024 * 1024),
                "accept": ",".join(sorted(t for t in tracking.EVIDENCE_TYPES if t != "application/octet-stream"))}

    return render(request, "policy/task.html", await run_in_threadpool(load))


@router.post("/tasks/{task_id}/progress")
async def task_progress(request: Request, task_id: DbId, period: str = Form(..., max_length=10),
                        status: str = Form(..., max_length=20), percent_complete: str = Form(""),
                        text: str = Form("", max_length=20000), agency: str = Form("", max_length=200),
                        file: UploadFile | None = File(None), caller: Caller = Depends(require_org)) -> Response:
    upload = await _read_upload(file)

    def run() -> None:
        record = f"task {task_id} {period}"
        with caller_session(caller) as s:
            row = tracking.file_progress(s, task_id, tracking.ProgressIn(
                period, status, text, _int(percent_complete, "percent_complete", record, optional=True),
                agency.strip() or None))
            if upload is not None:
                tracking.add_evidence(s, row.id, *upload)

    await run_in_threadpool(run)
    return flash.redirect(f"/tasks/{task_id}", _("Progress report saved."))


@router.post("/progress/{report_id}/edit")
async def edit_progress(request: Request, report_id: DbId, status: str = Form(..., max_length=20),
                        percent_complete: str = Form(""), text: str = Form("", max_length=20000),
                        caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            row = tracking.update_progress(s, report_id, status=status, text=text, percent_complete=_int(
                percent_complete, "percent_complete", f"report {report_id}", optional=True))
            return row.task_id

    return flash.redirect(f"/tasks/{await run_in_threadpool(run)}", _("Progress report updated."))


@router.post("/progress/{report_id}/delete")
async def delete_progress(request: Request, report_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            task_id = tracking.get_report(s, report_id).task_id
            tracking.delete_progress(s, report_id)
            return task_id

    return flash.redirect(f"/tasks/{await run_in_threadpool(run)}", _("Progress report deleted."))


@router.post("/progress/{report_id}/evidence")
async def attach_evidence(request: Request, report_id: DbId, file: UploadFile = File(...),
                          caller: Caller = Depends(require_org)) -> Response:
    upload = await _read_upload(file)
    if upload is None:
        raise ValidationFailed(_("the file is empty"), field="file", record=f"report {report_id}")

    def run() -> int:
        with caller_session(caller) as s:
            row = tracking.add_evidence(s, report_id, *upload)
            return tracking.get_report(s, row.report_id).task_id

    return flash.redirect(f"/tasks/{await run_in_threadpool(run)}", _("Evidence attached."))


@router.get("/evidence/{evidence_id}")
async def download_evidence(request: Request, evidence_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.routes.api_policy import evidence_response

    def run() -> Response:
        with caller_session(caller) as s:
            return evidence_response(tracking.get_evidence(s, evidence_id))

    return await run_in_threadpool(run)


# --- a responsible agency: what we owe -----------------------------------------------------------------------


@router.get("/owed")
async def owed_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.routes.api_policy import owed_rows
    from fenghuo.web.templating import render

    def load() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            return owed_rows(s)

    rows = await run_in_threadpool(load)
    return render(request, "policy/owed.html", {"rows": rows, "overdue": sum(1 for r in rows if r["overdue"])})


# --- annual promotion plans ----------------------------------------------------------------------------------


@router.get("/plans/{policy_plan_id}/annual")
async def annual_list(request: Request, policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            plan = tracking.get_plan(s, policy_plan_id)
            return {"plan": plan, "annual": tracking.annual_plans(s, plan.id), "tasks": tracking.tasks(s, plan.id),
                    "is_owner": plan.organisation_id == caller.org_id,
                    "years": list(range(plan.start_year, plan.end_year + 1))}

    return render(request, "policy/annual_list.html", await run_in_threadpool(load))


@router.post("/plans/{policy_plan_id}/annual")
async def annual_create(request: Request, policy_plan_id: DbId, year: str = Form(...),
                        title: str = Form("", max_length=500), task_id: str = Form(...),
                        text: str = Form(..., max_length=5000), due_date: str = Form(""),
                        caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        record = f"annual plan {year}"
        with caller_session(caller) as s:
            y = _int(year, "year", record)
            assert y is not None
            tid = _int(task_id, "task_id", record)
            assert tid is not None
            return tracking.create_annual_plan(s, policy_plan_id, y, title, [
                tracking.AnnualItemIn(tid, text, _date(due_date, "due_date", record))]).id

    return flash.redirect(f"/annual-plans/{await run_in_threadpool(run)}", _("Annual plan created."))


@router.get("/annual-plans/{annual_plan_id}")
async def annual_page(request: Request, annual_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            annual, items = tracking.get_annual_plan(s, annual_plan_id)
            plan = tracking.get_plan(s, annual.plan_id)
            status = rag.plan_statuses(s, plan.id)
            by_id = {t.id: t for t in status.tasks}
            return {"plan": plan, "annual": annual, "tasks": status.tasks,
                    "items": [{"row": i, "task": by_id.get(i.task_id), "rag": status.task_rag.get(i.task_id)}
                              for i in items],
                    "is_owner": plan.organisation_id == caller.org_id}

    return render(request, "policy/annual.html", await run_in_threadpool(load))


@router.post("/annual-plans/{annual_plan_id}/items")
async def annual_add_item(request: Request, annual_plan_id: DbId, task_id: str = Form(...),
                          text: str = Form(..., max_length=5000), due_date: str = Form(""),
                          caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        record = f"annual plan {annual_plan_id} new item"
        tid = _int(task_id, "task_id", record)
        assert tid is not None
        with caller_session(caller) as s:
            tracking.add_annual_item(s, annual_plan_id, tracking.AnnualItemIn(tid, text,
                                                                              _date(due_date, "due_date", record)))

    await run_in_threadpool(run)
    return flash.redirect(f"/annual-plans/{annual_plan_id}", _("Item added."))


@router.post("/annual-items/{annual_item_id}")
async def annual_edit_item(request: Request, annual_item_id: DbId, task_id: str = Form(...),
                           text: str = Form(..., max_length=5000), due_date: str = Form(""),
                           caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        record = f"annual plan item {annual_item_id}"
        with caller_session(caller) as s:
            row = tracking.update_annual_item(s, annual_item_id, task_id=_int(task_id, "task_id", record),
                                              text=text, due_date=_date(due_date, "due_date", record))
            return row.annual_plan_id

    return flash.redirect(f"/annual-plans/{await run_in_threadpool(run)}", _("Item saved."))


@router.post("/annual-items/{annual_item_id}/delete")
async def annual_delete_item(request: Request, annual_item_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            annual, _item = tracking.get_annual_item(s, annual_item_id)
            tracking.delete_annual_item(s, annual_item_id)
            return annual.id

    return flash.redirect(f"/annual-plans/{await run_in_threadpool(run)}", _("Item deleted."))


# --- indicators ----------------------------------------------------------------------------------------------


@router.get("/plans/{policy_plan_id}/indicators")
async def indicators_page(request: Request, policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            plan = tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, plan.id)
            return {"plan": plan, "indicators": dashboard.indicator_rows(status), "tasks": status.tasks,
                    "is_owner": plan.organisation_id == caller.org_id}

    return render(request, "policy/indicators.html", await run_in_threadpool(load))


@router.post("/plans/{policy_plan_id}/indicators")
async def indicator_add(request: Request, policy_plan_id: DbId, code: str = Form(..., max_length=40),
                        name: str = Form(..., max_length=300), unit: str = Form("", max_length=50),
                        baseline: str = Form(...), baseline_year: str = Form(...), target: str = Form(...),
                        target_year: str = Form(""), direction: str = Form("higher"), kind: str = Form("expected"),
                        task_id: str = Form(""), caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        record = code.strip() or "indicator"
        base = _float(baseline, "baseline", record)
        targ = _float(target, "target", record)
        by = _int(baseline_year, "baseline_year", record)
        assert base is not None and targ is not None and by is not None
        with caller_session(caller) as s:
            return tracking.add_indicator(s, policy_plan_id, tracking.IndicatorIn(
                code, name, base, by, targ, _int(target_year, "target_year", record, optional=True), unit,
                direction, kind, _int(task_id, "task_id", record, optional=True))).id

    return flash.redirect(f"/indicators/{await run_in_threadpool(run)}", _("Indicator created."))


@router.get("/indicators/{indicator_id}")
async def indicator_page(request: Request, indicator_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.policy.report import indicator_svg
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            ind = tracking.get_indicator(s, indicator_id)
            plan = tracking.get_plan(s, ind.plan_id)
            status = rag.plan_statuses(s, plan.id)
            row = next(r for r in dashboard.indicator_rows(status) if r["id"] == ind.id)
            chart = indicator_svg(row, {"actual": _("actual"), "path": _("linear path"), "year": _("Year"),
                                        "value": _("Value")}) if row["actuals"] else ""
            return {"plan": plan, "ind": row, "tasks": status.tasks, "task_id": ind.task_id, "chart": chart,
                    "is_owner": plan.organisation_id == caller.org_id}

    return render(request, "policy/indicator.html", await run_in_threadpool(load))


@router.post("/indicators/{indicator_id}")
async def indicator_edit(request: Request, indicator_id: DbId, name: str = Form(..., max_length=300),
                         unit: str = Form("", max_length=50), baseline: str = Form(...),
                         baseline_year: str = Form(...), target: str = Form(...), target_year: str = Form(...),
                         direction: str = Form(...), kind: str = Form(...), task_id: str = Form(""),
                         caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        record = f"indicator {indicator_id}"
        tid = _int(task_id, "task_id", record, optional=True)
        with caller_session(caller) as s:
            tracking.update_indicator(
                s, indicator_id, name=name, unit=unit, baseline=_float(baseline, "baseline", record),
                baseline_year=_int(baseline_year, "baseline_year", record), target=_float(target, "target", record),
                target_year=_int(target_year, "target_year", record), direction=direction, kind=kind, task_id=tid,
                clear_task=tid is None)

    await run_in_threadpool(run)
    return flash.redirect(f"/indicators/{indicator_id}", _("Indicator saved."))


@router.post("/indicators/{indicator_id}/actuals")
async def indicator_actual(request: Request, indicator_id: DbId, year: str = Form(...), value: str = Form(...),
                           source: str = Form("", max_length=500), caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        record = f"indicator {indicator_id} {year}"
        y = _int(year, "year", record)
        v = _float(value, "value", record)
        assert y is not None and v is not None
        with caller_session(caller) as s:
            tracking.record_actual(s, indicator_id, y, v, source.strip())

    await run_in_threadpool(run)
    return flash.redirect(f"/indicators/{indicator_id}", _("Actual value recorded."))


@router.post("/indicators/{indicator_id}/delete")
async def indicator_delete(request: Request, indicator_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            plan_id = tracking.get_indicator(s, indicator_id).plan_id
            tracking.delete_indicator(s, indicator_id)
            return plan_id

    return flash.redirect(f"/plans/{await run_in_threadpool(run)}/indicators", _("Indicator deleted."))


# --- dashboards with charts ----------------------------------------------------------------------------------


@router.get("/plans/{policy_plan_id}/dashboard")
async def dashboard_page(request: Request, policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.policy.report import completion_svg, rag_counts_svg
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            plan = tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, plan.id)
            agencies = dashboard.by_agency(status)
            parts = dashboard.by_part(status)
            sections = dashboard.by_section(status)
            for row in parts:
                row["label"] = f"{row['number']} {row['title']}".strip()
            for row in sections:
                row["label"] = f"({row['number']}) {row['title']}" if row["number"] else row["title"]
            names = _rag_names()
            charts = {
                "agency": rag_counts_svg(agencies[:25], "agency", _("Task status by agency"), names),
                "part": completion_svg(parts, "label", _("Completion by part"), _("Completion (%)")),
                "section": completion_svg(sections, "label", _("Completion by section"), _("Completion (%)")),
                "section_rag": rag_counts_svg(sections, "label", _("Task status by section"), names),
            }
            return {"plan": plan, "agencies": agencies, "parts": parts, "sections": sections, "charts": charts,
                    "views": dashboard.VIEWS}

    return render(request, "policy/dashboard.html", await run_in_threadpool(load))


# --- evaluations ---------------------------------------------------------------------------------------------


@router.post("/plans/{policy_plan_id}/evaluations")
async def evaluation_create(request: Request, policy_plan_id: DbId, kind: str = Form(...),
                            evaluator_organisation_id: str = Form(""), as_of: str = Form(""),
                            title: str = Form("", max_length=500), caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        record = f"{kind} evaluation"
        with caller_session(caller) as s:
            return evaluation.create_evaluation(
                s, policy_plan_id, kind,
                evaluator_org_id=_int(evaluator_organisation_id, "evaluator_organisation_id", record, optional=True),
                as_of=_date(as_of, "as_of", record), title=title.strip() or None).id

    return flash.redirect(f"/evaluations/{await run_in_threadpool(run)}", _("Evaluation created."))


@router.get("/evaluations/{evaluation_id}")
async def evaluation_page(request: Request, evaluation_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            work = evaluation.workspace(s, evaluation_id)
            plan = tracking.get_plan(s, work["plan_id"])
            accs = tracking.accountabilities(s, plan.id)
            is_owner = plan.organisation_id == caller.org_id
            zh = i18n.get_locale() == "zh_CN"
            return {"plan": plan, "work": work, "is_owner": is_owner,
                    "is_evaluator": work["evaluator_organisation_id"] == caller.org_id,
                    "is_agency": any(a.agency_org_id == caller.org_id for a in accs),
                    "agencies": sorted({a.agency_name for a in accs if not a.generic}),
                    "criteria": [(c.id, c.zh if zh else c.en, c.question_zh if zh else c.question_en)
                                 for c in evaluation.DAC_CRITERIA],
                    "scopes": work["template"].get("scopes", [])}

    return render(request, "policy/evaluation.html", await run_in_threadpool(load))


@router.post("/evaluations/{evaluation_id}/self-assessments")
async def evaluation_self(request: Request, evaluation_id: DbId, criterion: str = Form(...), score: str = Form(...),
                          text: str = Form("", max_length=20000), agency: str = Form("", max_length=200),
                          caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        value = _int(score, "score", f"self-evaluation {criterion}")
        assert value is not None
        with caller_session(caller) as s:
            evaluation.self_assess(s, evaluation_id, criterion, value, text, agency.strip() or None)

    await run_in_threadpool(run)
    return flash.redirect(f"/evaluations/{evaluation_id}", _("Self-assessment saved."))


@router.post("/evaluations/{evaluation_id}/scores")
async def evaluation_score(request: Request, evaluation_id: DbId, criterion: str = Form(...), score: str = Form(...),
                           scope: str = Form("plan", max_length=40), comment: str = Form("", max_length=20000),
                           caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        value = _int(score, "score", f"score {scope} {criterion}")
        assert value is not None
        with caller_session(caller) as s:
            evaluation.evaluator_score(s, evaluation_id, criterion, value, scope=scope, comment=comment)

    await run_in_threadpool(run)
    return flash.redirect(f"/evaluations/{evaluation_id}", _("Scores saved."))


@router.post("/evaluations/{evaluation_id}/comments")
async def evaluation_comment(request: Request, evaluation_id: DbId, text: str = Form(..., max_length=20000),
                             author: str = Form("", max_length=200), received_on: str = Form(""),
                             caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            evaluation.add_comment(s, evaluation_id, text, author=author,
                                   received_on=_date(received_on, "received_on", author or "public comment"))

    await run_in_threadpool(run)
    return flash.redirect(f"/evaluations/{evaluation_id}", _("Comment submitted."))


@router.post("/evaluations/{evaluation_id}/settings")
async def evaluation_settings(request: Request, evaluation_id: DbId, public_open: str = Form(""),
                              evaluator_organisation_id: str = Form(""),
                              caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            org = _int(evaluator_organisation_id, "evaluator_organisation_id", f"evaluation {evaluation_id}",
                       optional=True)
            if org is not None:
                evaluation.appoint_evaluator(s, evaluation_id, org)
            evaluation.set_public_open(s, evaluation_id, public_open == "on")

    await run_in_threadpool(run)
    return flash.redirect(f"/evaluations/{evaluation_id}", _("Settings saved."))


@router.post("/comments/{comment_id}/moderation")
async def comment_moderation(request: Request, comment_id: DbId, status: str = Form(...),
                             caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        with caller_session(caller) as s:
            return evaluation.moderate_comment(s, comment_id, status).evaluation_id

    return flash.redirect(f"/evaluations/{await run_in_threadpool(run)}", _("Moderation saved."))


# --- public consultation (no login) --------------------------------------------------------------------------

CONSULT_CSRF_COOKIE = "fh_consult_csrf"
#: Public comments per client address and window (in this process), on top of the size limits.
PUBLIC_LIMIT = 5
PUBLIC_WINDOW_SECONDS = 600
_recent: dict[str, deque[float]] = {}
_recent_lock = threading.Lock()


def reset_public_limit() -> None:
    """Forget the recorded submissions (tests)."""
    with _recent_lock:
        _recent.clear()


def _allow_public(client: str) -> bool:
    now = time.monotonic()
    with _recent_lock:
        if len(_recent) > 10_000:  # bounded memory under a flood of addresses
            _recent.clear()
        seen = _recent.setdefault(client, deque())
        while seen and now - seen[0] > PUBLIC_WINDOW_SECONDS:
            seen.popleft()
        if len(seen) >= PUBLIC_LIMIT:
            return False
        seen.append(now)
        return True


def _consult_page(request: Request, evaluation_id: int, context: dict[str, Any], status: int = 200) -> Response:
    from fenghuo.web.templating import render

    token = secrets.token_urlsafe(24)
    response = render(request, "policy/consult.html", {**context, "consult_csrf": token,
                                                       "max_chars": evaluation.MAX_PUBLIC_COMMENT_CHARS},
                      status=status)
    response.set_cookie(CONSULT_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600,
                        path=f"/consult/{evaluation_id}")
    return response


def _public_context(evaluation_id: int) -> dict[str, Any]:
    with session_scope(org_id=None, platform_admin=True, actor_label="public") as s:
        row = evaluation.public_evaluation(s, evaluation_id)
        plan = s.get(PolicyPlan, row.plan_id)
        return {"evaluation_id": row.id, "title": row.title, "plan_title": plan.title if plan else ""}


@router.get("/consult/{evaluation_id}")
async def consult_form(request: Request, evaluation_id: DbId) -> Response:
    context = await run_in_threadpool(_public_context, evaluation_id)
    return _consult_page(request, evaluation_id, context)


@router.post("/consult/{evaluation_id}")
async def consult_submit(request: Request, evaluation_id: DbId,
                         text: str = Form(..., max_length=evaluation.MAX_PUBLIC_COMMENT_CHARS),
                         author: str = Form("", max_length=evaluation.MAX_PUBLIC_AUTHOR_CHARS),
                         csrf_token: str = Form("")) -> Response:
    expected = request.cookies.get(CONSULT_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        raise CsrfFailed()
    context = await run_in_threadpool(_public_context, evaluation_id)
    client = request.client.host if request.client else "unknown"
    if not _allow_public(client):
        from fenghuo.web.templating import render

        return render(request, "errors/error.html", {
            "status": 429, "title": _("Too many comments"),
            "detail": _("Please wait a few minutes before sending another comment.")}, status=429)

    def run() -> None:
        with session_scope(org_id=None, platform_admin=True, actor_label="public") as s:
            evaluation.submit_public_comment(s, evaluation_id, text, author)

    await run_in_threadpool(run)
    return _consult_page(request, evaluation_id, {**context, "thanks": True})


# Collection paths that take posts answer GET with the page that lists their items.
add_list_redirects(router, [
    ("/plans/{policy_plan_id}/progress", "/plans/{policy_plan_id}"),
    ("/plans/{policy_plan_id}/reminders", "/plans/{policy_plan_id}"),
    ("/plans/{policy_plan_id}/evaluations", "/plans/{policy_plan_id}"),
    ("/tasks/{task_id}/progress", "/tasks/{task_id}"),
    ("/annual-plans/{annual_plan_id}/items", "/annual-plans/{annual_plan_id}"),
    ("/indicators/{indicator_id}/actuals", "/indicators/{indicator_id}"),
    ("/evaluations/{evaluation_id}/self-assessments", "/evaluations/{evaluation_id}"),
    ("/evaluations/{evaluation_id}/scores", "/evaluations/{evaluation_id}"),
    ("/evaluations/{evaluation_id}/comments", "/evaluations/{evaluation_id}"),
], require_org)
