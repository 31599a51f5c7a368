"""Plan-tracking pages: the plans you own, answer for or evaluate; a plan's dashboards (by agency,
part and section, tasks with their RAG reasons) with exports and evaluation reports; forms to import
a plan (administrations) and to report progress (agencies)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import OrgKind
from fenghuo.policy import dashboard, evaluation, rag, tracking
from fenghuo.web.deps import Caller, caller_session, require_org

router = APIRouter(include_in_schema=False)


def _year(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
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
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.get("/plans/{policy_plan_id}")
async def plan_page(request: Request, policy_plan_id: int, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            plan = tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, policy_plan_id)
            return {"plan": plan, "agencies": dashboard.by_agency(status), "parts": dashboard.by_part(status),
                    "sections": dashboard.by_section(status), "tasks": dashboard.task_rows(status),
                    "evaluations": evaluation.list_evaluations(s, policy_plan_id),
                    "is_owner": plan.organisation_id == caller.org_id, "statuses": tracking.REPORT_STATUSES}

    return render(request, "policy/plan.html", await run_in_threadpool(load))


@router.post("/plans/{policy_plan_id}/progress")
async def file_progress(request: Request, policy_plan_id: int, task_id: int = Form(...), period: str = Form(...),
                        status: str = Form(...), percent_complete: str = Form(""), text: str = Form(""),
                        caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        percent = percent_complete.strip()
        if percent and not percent.isdigit():
            raise ValidationFailed(_("percent_complete must be between 0 and 100"), field="percent_complete",
                                   record=f"task {task_id} {period}")
        with caller_session(caller) as s:
            if tracking.get_task(s, task_id).plan_id != policy_plan_id:
                raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=task_id), field="task_id",
                                       record=f"task {task_id}")
            tracking.file_progress(s, task_id, tracking.ProgressIn(period, status, text,
                                                                   int(percent) if percent else None))

    await run_in_threadpool(run)
    return RedirectResponse(f"/plans/{policy_plan_id}", status_code=303)
