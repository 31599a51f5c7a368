"""``/api/v1/policy``: plan implementation tracking — import a plan, link agencies to organisations,
annual plans, progress reports with evidence, indicators, RAG dashboards and exports, reminders,
evaluations and the bilingual evaluation report.

Who may do what is decided in ``fenghuo.policy`` (plan owner, responsible agency, evaluator); these
routes only translate HTTP to those calls, inside the caller's tenancy-filtered session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, Field, StrictBool
from starlette.concurrency import run_in_threadpool

from fenghuo.core import limits
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _, normalize_locale
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.policy import dashboard, evaluation, rag, reminders, report, tracking
from fenghuo.policy.dashboard import VIEWS as DASHBOARD_VIEWS
from fenghuo.policy.models import PolicyPlan, PolicyProgressReport, PolicyTask
from fenghuo.web.deps import Caller, caller_session, require_org
from fenghuo.web.downloads import download_response
from fenghuo.web.params import BodyId, DbId, IsoDate, ReportLang, one_of, only

router = APIRouter(prefix="/api/v1/policy", tags=["policy plans"])

MAX_PLAN_CHARS = 2_000_000


class PlanIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_PLAN_CHARS, description="The plan as plain text.")
    source_name: str = Field(default="", max_length=500)
    start_year: int | None = Field(default=None, description="Default: read from the title (“十四五” → 2021).")
    end_year: int | None = None


class PlanOut(BaseModel):
    id: int
    title: str
    document_number: str | None
    start_year: int
    end_year: int
    owner_organisation_id: int
    is_owner: StrictBool
    tasks: int


class RagOut(BaseModel):
    colour: str
    rule: str
    reason: str


class AccountabilityOut(BaseModel):
    agency_key: str
    agency: str
    registry_id: str | None
    role: str
    generic: StrictBool
    organisation_id: int | None


class TaskOut(BaseModel):
    id: int
    plan_id: int
    part_number: str
    part_title: str
    section_number: str
    section_title: str
    title: str
    text: str
    due_date: IsoDate
    agencies: list[AccountabilityOut]
    status: RagOut


class AgencyLinkIn(BaseModel):
    agency: str = Field(min_length=1, max_length=200, description="Registry id (cnipa) or name (国家知识产权局).")
    organisation_id: int = Field(ge=1, le=DB_ID_MAX,
                                 description="An organisation of kind administration acting for the agency.")
    email: str | None = Field(default=None, max_length=320, description="Where reminders go (default: its admins).")


class AgencyLinkOut(BaseModel):
    id: int
    agency_key: str
    agency: str
    organisation_id: int
    email: str | None


class AnnualItemBody(BaseModel):
    task_id: BodyId
    text: str = Field(min_length=1, max_length=5000)
    due_date: IsoDate | None = None
    agencies: list[str] = Field(default_factory=list)


class AnnualPlanIn(BaseModel):
    year: int
    title: str = Field(default="", max_length=limits.TITLE_CHARS)
    items: list[AnnualItemBody]


class AnnualItemOut(BaseModel):
    id: int
    task_id: int
    text: str
    due_date: IsoDate
    agencies: list[str]


class AnnualPlanOut(BaseModel):
    id: int
    plan_id: int
    year: int
    title: str
    items: list[AnnualItemOut]


class ProgressBody(BaseModel):
    period: str = Field(description="2023, 2023-H1 or 2023-Q2")
    status: str = Field(description="not_started, in_progress, completed or delayed")
    percent_complete: int | None = Field(default=None, ge=0, le=100)
    text: str = Field(default="", max_length=limits.DESCRIPTION_CHARS)
    agency: str | None = Field(default=None, description="Plan owner only: the agency it reports for.")


class EvidenceOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


class ProgressOut(BaseModel):
    id: int
    plan_id: int
    task_id: int
    agency_key: str
    agency: str
    period: str
    status: str
    percent_complete: int
    text: str
    submitted_at: datetime


class IndicatorBody(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    unit: str = Field(default="", max_length=50)
    baseline: float
    baseline_year: int
    target: float
    target_year: int | None = None
    direction: str = Field(default="higher", description="higher or lower (which is better)",
                           json_schema_extra=one_of("higher", "lower"))
    kind: str = Field(default="expected", description="expected (预期性) or binding (约束性)",
                      json_schema_extra=one_of("expected", "binding"))
    task_id: BodyId | None = None
    actuals: dict[int, float] = Field(default_factory=dict)


class ActualIn(BaseModel):
    year: int
    value: float
    source: str = Field(default="", max_length=500)


class EvaluationIn(BaseModel):
    kind: str = Field(description="mid_term or final", json_schema_extra=one_of("mid_term", "final"))
    evaluator_organisation_id: BodyId | None = None
    as_of: IsoDate | None = None
    title: str | None = Field(default=None, max_length=limits.TITLE_CHARS)


class SelfAssessmentIn(BaseModel):
    criterion: str = Field(description="relevance, coherence, effectiveness, efficiency, impact, sustainability")
    score: int
    text: str = Field(default="", max_length=limits.DESCRIPTION_CHARS)
    agency: str | None = Field(default=None, description="Plan owner only: the agency it records for.")


class ScoreIn(BaseModel):
    criterion: str
    score: int
    scope: str = Field(default="plan", description="plan, part:N or section:N from the template")
    comment: str = Field(default="", max_length=limits.DESCRIPTION_CHARS)


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=limits.DESCRIPTION_CHARS)
    author: str = Field(default="", max_length=200)
    received_on: IsoDate | None = None


class ReminderOut(BaseModel):
    agency_key: str
    agency: str
    task_ids: list[int]
    channel: str
    recipient: str | None


def _plan_out(row: PolicyPlan, org_id: int | None, tasks: int) -> PlanOut:
    return PlanOut(id=row.id, title=row.title, document_number=row.document_number, start_year=row.start_year,
                   end_year=row.end_year, owner_organisation_id=row.organisation_id,
                   is_owner=row.organisation_id == org_id, tasks=tasks)


def _progress_out(row: PolicyProgressReport) -> ProgressOut:
    return ProgressOut(id=row.id, plan_id=row.plan_id, task_id=row.task_id, agency_key=row.agency_key,
                       agency=row.agency_name, period=row.period, status=row.status,
                       percent_complete=row.percent_complete, text=row.text, submitted_at=row.submitted_at)


def _task_out(task: PolicyTask, status: rag.PlanStatus) -> TaskOut:
    accs = [AccountabilityOut(agency_key=a.agency_key, agency=a.agency_name, registry_id=a.registry_id, role=a.role,
                              generic=a.generic, organisation_id=a.agency_org_id)
            for a in status.accountabilities if a.task_id == task.id]
    return TaskOut(id=task.id, plan_id=task.plan_id, part_number=task.part_number, part_title=task.part_title,
                   section_number=task.section_number, section_title=task.section_title, title=task.title,
                   text=task.text, due_date=task.due_date, agencies=accs,
                   status=RagOut(**status.task_rag[task.id].to_dict()))


# --- plans -------------------------------------------------------------------------------------------------


@router.post("/plans", response_model=PlanOut, status_code=201, summary="Import a plan (administrations only)")
async def import_plan(body: PlanIn, caller: Caller = Depends(require_org)) -> PlanOut:
    def run() -> PlanOut:
        with caller_session(caller) as s:
            row = tracking.import_text(s, body.text, start_year=body.start_year, end_year=body.end_year,
                                       source_name=body.source_name.strip())
            return _plan_out(row, caller.org_id, len(tracking.tasks(s, row.id)))

    return await run_in_threadpool(run)


@router.get("/plans", response_model=list[PlanOut], summary="Plans you own, answer for or evaluate")
async def list_plans(caller: Caller = Depends(require_org)) -> list[PlanOut]:
    def run() -> list[PlanOut]:
        with caller_session(caller) as s:
            return [_plan_out(p, caller.org_id, len(tracking.tasks(s, p.id))) for p in tracking.list_plans(s)]

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}", response_model=PlanOut, summary="One plan")
async def get_plan(policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> PlanOut:
    def run() -> PlanOut:
        with caller_session(caller) as s:
            row = tracking.get_plan(s, policy_plan_id)
            return _plan_out(row, caller.org_id, len(tracking.tasks(s, row.id)))

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/tasks", response_model=list[TaskOut],
            summary="Tasks you can see, each with its RAG status and reason")
async def list_tasks(policy_plan_id: DbId, today: IsoDate | None = None,
                     caller: Caller = Depends(require_org)) -> list[TaskOut]:
    def run() -> list[TaskOut]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, policy_plan_id, today)
            return [_task_out(t, status) for t in status.tasks]

    return await run_in_threadpool(run)


@router.get("/tasks/{task_id:int}", response_model=TaskOut, summary="One task with its status")
async def get_task(task_id: DbId, today: IsoDate | None = None, caller: Caller = Depends(require_org)) -> TaskOut:
    def run() -> TaskOut:
        with caller_session(caller) as s:
            task = tracking.get_task(s, task_id)
            return _task_out(task, rag.plan_statuses(s, task.plan_id, today))

    return await run_in_threadpool(run)


# --- agencies ------------------------------------------------------------------------------------------------


@router.get("/agencies", response_model=list[AgencyLinkOut], summary="Your agency → organisation links")
async def list_links(caller: Caller = Depends(require_org)) -> list[AgencyLinkOut]:
    def run() -> list[AgencyLinkOut]:
        with caller_session(caller) as s:
            return [AgencyLinkOut(id=r.id, agency_key=r.agency_key, agency=r.agency_name,
                                  organisation_id=r.agency_org_id, email=r.email)
                    for r in tracking.agency_links(s) if r.organisation_id == caller.org_id]

    return await run_in_threadpool(run)


@router.post("/agencies", response_model=AgencyLinkOut, status_code=201,
             summary="Say which organisation acts for an agency (shares its tasks with it)")
async def link_agency(body: AgencyLinkIn, caller: Caller = Depends(require_org)) -> AgencyLinkOut:
    def run() -> AgencyLinkOut:
        with caller_session(caller) as s:
            r = tracking.link_agency(s, body.agency, body.organisation_id, email=body.email)
            return AgencyLinkOut(id=r.id, agency_key=r.agency_key, agency=r.agency_name,
                                 organisation_id=r.agency_org_id, email=r.email)

    return await run_in_threadpool(run)


# --- annual plans --------------------------------------------------------------------------------------------


def _annual_out(s: Any, annual_plan_id: int) -> AnnualPlanOut:
    row, items = tracking.get_annual_plan(s, annual_plan_id)
    return AnnualPlanOut(id=row.id, plan_id=row.plan_id, year=row.year, title=row.title,
                         items=[AnnualItemOut(id=i.id, task_id=i.task_id, text=i.text, due_date=i.due_date,
                                              agencies=list(i.agencies or [])) for i in items])


@router.post("/plans/{policy_plan_id:int}/annual-plans", response_model=AnnualPlanOut, status_code=201,
             summary="Add an annual promotion plan (年度推进计划)")
async def create_annual_plan(policy_plan_id: DbId, body: AnnualPlanIn,
                             caller: Caller = Depends(require_org)) -> AnnualPlanOut:
    def run() -> AnnualPlanOut:
        with caller_session(caller) as s:
            row = tracking.create_annual_plan(s, policy_plan_id, body.year, body.title, [
                tracking.AnnualItemIn(i.task_id, i.text, i.due_date, tuple(i.agencies)) for i in body.items])
            return _annual_out(s, row.id)

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/annual-plans", response_model=list[AnnualPlanOut],
            summary="Annual promotion plans of a plan")
async def list_annual_plans(policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> list[AnnualPlanOut]:
    def run() -> list[AnnualPlanOut]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            return [_annual_out(s, a.id) for a in tracking.annual_plans(s, policy_plan_id)]

    return await run_in_threadpool(run)


@router.get("/annual-plans/{annual_plan_id:int}", response_model=AnnualPlanOut, summary="One annual plan")
async def get_annual_plan(annual_plan_id: DbId, caller: Caller = Depends(require_org)) -> AnnualPlanOut:
    def run() -> AnnualPlanOut:
        with caller_session(caller) as s:
            return _annual_out(s, annual_plan_id)

    return await run_in_threadpool(run)


# --- progress ------------------------------------------------------------------------------------------------


@router.post("/tasks/{task_id:int}/progress", response_model=ProgressOut, status_code=201,
             summary="Report progress on a task you answer for")
async def file_progress(task_id: DbId, body: ProgressBody, caller: Caller = Depends(require_org)) -> ProgressOut:
    def run() -> ProgressOut:
        with caller_session(caller) as s:
            return _progress_out(tracking.file_progress(s, task_id, tracking.ProgressIn(
                body.period, body.status, body.text, body.percent_complete, body.agency)))

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/progress", response_model=list[ProgressOut],
            summary="Progress reports you can see")
async def list_progress(policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> list[ProgressOut]:
    def run() -> list[ProgressOut]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            return [_progress_out(r) for r in tracking.progress_reports(s, policy_plan_id)]

    return await run_in_threadpool(run)


@router.post("/progress/{report_id:int}/evidence", response_model=EvidenceOut, status_code=201,
             summary="Attach evidence (PDF, image, text, DOCX; at most 5 MB)")
async def add_evidence(report_id: DbId, file: UploadFile = File(...),
                       caller: Caller = Depends(require_org)) -> EvidenceOut:
    data = await file.read(tracking.MAX_EVIDENCE_BYTES + 1)

    def run() -> EvidenceOut:
        with caller_session(caller) as s:
            row = tracking.add_evidence(s, report_id, file.filename or "", file.content_type or "", data)
            return EvidenceOut(id=row.id, filename=row.filename, content_type=row.content_type, size=row.size,
                               sha256=row.sha256)

    return await run_in_threadpool(run)


@router.get("/progress/{report_id:int}/evidence", response_model=list[EvidenceOut], summary="Evidence of a report")
async def list_evidence(report_id: DbId, caller: Caller = Depends(require_org)) -> list[EvidenceOut]:
    def run() -> list[EvidenceOut]:
        with caller_session(caller) as s:
            tracking.get_report(s, report_id)
            return [EvidenceOut(id=r.id, filename=r.filename, content_type=r.content_type, size=r.size,
                                sha256=r.sha256) for r in tracking.evidence_of(s, report_id)]

    return await run_in_threadpool(run)


# --- indicators ----------------------------------------------------------------------------------------------


@router.post("/plans/{policy_plan_id:int}/indicators", status_code=201, summary="Add an indicator")
async def add_indicator(policy_plan_id: DbId, body: IndicatorBody,
                        caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = tracking.add_indicator(s, policy_plan_id, tracking.IndicatorIn(
                body.code, body.name, body.baseline, body.baseline_year, body.target, body.target_year, body.unit,
                body.direction, body.kind, body.task_id, dict(body.actuals)))
            status = rag.plan_statuses(s, policy_plan_id)
            return next(r for r in dashboard.indicator_rows(status) if r["id"] == row.id)

    return await run_in_threadpool(run)


@router.post("/indicators/{indicator_id:int}/actuals", status_code=201, summary="Record a yearly actual")
async def add_actual(indicator_id: DbId, body: ActualIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = tracking.record_actual(s, indicator_id, body.year, body.value, body.source)
            ind = tracking.get_indicator(s, indicator_id)
            status = rag.plan_statuses(s, ind.plan_id)
            out = next(r for r in dashboard.indicator_rows(status) if r["id"] == ind.id)
            out["recorded"] = {"year": row.year, "value": row.value}
            return out

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/indicators", summary="Indicators with actuals and status")
async def list_indicators(policy_plan_id: DbId, today: IsoDate | None = None,
                          caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    def run() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            return dashboard.indicator_rows(rag.plan_statuses(s, policy_plan_id, today))

    return await run_in_threadpool(run)


# --- dashboards, exports, reminders --------------------------------------------------------------------------


@router.get("/plans/{policy_plan_id:int}/dashboard",
            summary="Dashboard rows: by agency (what each ministry owes), part, section, tasks or indicators")
async def plan_dashboard(policy_plan_id: DbId, view: str = Query("agency"), today: IsoDate | None = None,
                         caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    def run() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            return dashboard.view_rows(rag.plan_statuses(s, policy_plan_id, today), view)

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/export", summary="Export a dashboard as CSV or XLSX",
            response_class=Response)
async def export(policy_plan_id: DbId, view: str = Query("agency", json_schema_extra=one_of(*DASHBOARD_VIEWS)),
                 format: str = Query("csv", json_schema_extra=one_of("csv", "xlsx")),
                 today: IsoDate | None = None,
                 lang: str | None = Query(None, pattern=only("en", "zh_CN"),
                                          json_schema_extra=one_of("en", "zh_CN", None),
                                          description="en or zh_CN: headers and statuses in words; "
                                                      "empty: column names and codes"),
                 caller: Caller = Depends(require_org)) -> Response:
    if format not in ("csv", "xlsx"):
        raise ValidationFailed(_("must be one of %(values)s", values="csv, xlsx"), field="format", record="export")
    if lang is not None and lang.replace("-", "_").lower() not in ("en", "zh", "zh_cn"):
        raise ValidationFailed(_("must be one of %(values)s", values="en, zh_CN"), field="lang", record="export")
    locale = normalize_locale(lang) if lang else None

    def run() -> Response:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            status = rag.plan_statuses(s, policy_plan_id, today)
            if format == "csv":
                text = "\ufeff" + dashboard.to_csv(dashboard.view_rows(status, view), locale)
                return download_response(text.encode("utf-8"), f"plan-{policy_plan_id}-{view}.csv",
                                         "text/csv; charset=utf-8")
            data = dashboard.to_xlsx({v: dashboard.view_rows(status, v) for v in dashboard.VIEWS}, locale)
            return download_response(data, f"plan-{policy_plan_id}.xlsx",
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    return await run_in_threadpool(run)


@router.post("/plans/{policy_plan_id:int}/reminders", response_model=list[ReminderOut],
             summary="Remind (催办) agencies with overdue tasks; e-mails when SMTP is configured")
async def remind(policy_plan_id: DbId, today: IsoDate | None = None, send: bool = True,
                 caller: Caller = Depends(require_org)) -> list[ReminderOut]:
    def run() -> list[ReminderOut]:
        with caller_session(caller) as s:
            return [ReminderOut(agency_key=r.agency_key, agency=r.agency_name, task_ids=list(r.task_ids),
                                channel=r.channel, recipient=r.recipient)
                    for r in reminders.remind(s, policy_plan_id, today, send=send)]

    return await run_in_threadpool(run)


# --- evaluations ---------------------------------------------------------------------------------------------


@router.post("/plans/{policy_plan_id:int}/evaluations", status_code=201,
             summary="Open a mid-term or final evaluation (the evaluator gets read-only access)")
async def create_evaluation(policy_plan_id: DbId, body: EvaluationIn,
                            caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = evaluation.create_evaluation(s, policy_plan_id, body.kind,
                                               evaluator_org_id=body.evaluator_organisation_id, as_of=body.as_of,
                                               title=body.title)
            return evaluation.workspace(s, row.id)

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/evaluations", summary="Evaluations of a plan you can see")
async def list_evaluations(policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    def run() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            tracking.get_plan(s, policy_plan_id)
            return [{"id": e.id, "kind": e.kind, "title": e.title, "as_of": e.as_of.isoformat()}
                    for e in evaluation.list_evaluations(s, policy_plan_id)]

    return await run_in_threadpool(run)


@router.get("/evaluations/{evaluation_id:int}", summary="An evaluation workspace")
async def get_evaluation(evaluation_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            return evaluation.workspace(s, evaluation_id)

    return await run_in_threadpool(run)


@router.post("/evaluations/{evaluation_id:int}/self-assessments", status_code=201,
             summary="An agency's self-evaluation against one DAC criterion")
async def self_assess(evaluation_id: DbId, body: SelfAssessmentIn,
                      caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = evaluation.self_assess(s, evaluation_id, body.criterion, body.score, body.text, body.agency)
            return {"id": row.id, "agency": row.agency_name, "criterion": row.criterion, "score": row.score}

    return await run_in_threadpool(run)


@router.post("/evaluations/{evaluation_id:int}/scores", status_code=201, summary="The third-party evaluator's score")
async def score(evaluation_id: DbId, body: ScoreIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = evaluation.evaluator_score(s, evaluation_id, body.criterion, body.score, scope=body.scope,
                                             comment=body.comment)
            return {"id": row.id, "scope": row.scope, "criterion": row.criterion, "score": row.score}

    return await run_in_threadpool(run)


@router.post("/evaluations/{evaluation_id:int}/comments", status_code=201, summary="Record a public comment")
async def comment(evaluation_id: DbId, body: CommentIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = evaluation.add_comment(s, evaluation_id, body.text, author=body.author,
                                         received_on=body.received_on)
            return {"id": row.id, "author": row.author, "text": row.text}

    return await run_in_threadpool(run)


@router.get("/evaluations/{evaluation_id:int}/report", response_class=Response,
            summary="The evaluation report (PDF or HTML, zh_CN or en) with charts")
async def evaluation_report(evaluation_id: DbId, lang: ReportLang = "zh_CN",
                            format: str = Query("pdf", json_schema_extra=one_of("pdf", "html")),
                            caller: Caller = Depends(require_org)) -> Response:
    if format not in ("pdf", "html"):
        raise ValidationFailed(_("must be one of %(values)s", values="pdf, html"), field="format", record="report")

    def run() -> Response:
        with caller_session(caller) as s:
            evaluation.get_evaluation(s, evaluation_id)
            if format == "html":
                return Response(report.render_html(s, evaluation_id, lang), media_type="text/html; charset=utf-8")
            data = report.render_pdf(s, evaluation_id, lang)
        return download_response(data, f"evaluation-{evaluation_id}-{lang}.pdf", "application/pdf")

    return await run_in_threadpool(run)


# --- owner actions, edits and deletions ----------------------------------------------------------------------


class AnnualItemPatch(BaseModel):
    task_id: BodyId | None = None
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    due_date: IsoDate | None = None
    agencies: list[str] | None = None


class ProgressPatch(BaseModel):
    status: str | None = Field(default=None, description="not_started, in_progress, completed or delayed")
    percent_complete: int | None = Field(default=None, ge=0, le=100)
    text: str | None = Field(default=None, max_length=limits.DESCRIPTION_CHARS)


class IndicatorPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    unit: str | None = Field(default=None, max_length=50)
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    direction: str | None = Field(default=None, description="higher or lower",
                                  json_schema_extra=one_of("higher", "lower", None))
    kind: str | None = Field(default=None, description="expected (预期性) or binding (约束性)",
                             json_schema_extra=one_of("expected", "binding", None))
    task_id: int | None = Field(default=None, ge=0, le=DB_ID_MAX,
                                description="Link to a task of the plan; 0 removes the link.")


class CloseIn(BaseModel):
    completed_on: IsoDate | None = Field(default=None, description="Default: today.")


class EvaluationPatch(BaseModel):
    public_comments_open: StrictBool | None = Field(default=None,
                                              description="Accept public comments at /consult/{id} (no login).")
    evaluator_organisation_id: int | None = Field(default=None, ge=1, le=DB_ID_MAX,
                                                  description="Appoint the third-party evaluator.")


class ModerationIn(BaseModel):
    status: str = Field(description="approved (the comment counts) or rejected")


class ReminderHistoryOut(ReminderOut):
    id: int
    sent_at: datetime


@router.post("/annual-plans/{annual_plan_id:int}/items", response_model=AnnualItemOut, status_code=201,
             summary="Add an item to an annual plan (plan owner)")
async def add_annual_item(annual_plan_id: DbId, body: AnnualItemBody,
                          caller: Caller = Depends(require_org)) -> AnnualItemOut:
    def run() -> AnnualItemOut:
        with caller_session(caller) as s:
            i = tracking.add_annual_item(s, annual_plan_id, tracking.AnnualItemIn(
                body.task_id, body.text, body.due_date, tuple(body.agencies)))
            return AnnualItemOut(id=i.id, task_id=i.task_id, text=i.text, due_date=i.due_date,
                                 agencies=list(i.agencies or []))

    return await run_in_threadpool(run)


@router.patch("/annual-items/{annual_item_id:int}", response_model=AnnualItemOut,
              summary="Change an annual plan item (plan owner)")
async def update_annual_item(annual_item_id: DbId, body: AnnualItemPatch,
                             caller: Caller = Depends(require_org)) -> AnnualItemOut:
    def run() -> AnnualItemOut:
        with caller_session(caller) as s:
            i = tracking.update_annual_item(s, annual_item_id, task_id=body.task_id, text=body.text,
                                            due_date=body.due_date, agencies=body.agencies)
            return AnnualItemOut(id=i.id, task_id=i.task_id, text=i.text, due_date=i.due_date,
                                 agencies=list(i.agencies or []))

    return await run_in_threadpool(run)


@router.delete("/annual-items/{annual_item_id:int}", status_code=204, response_class=Response,
               summary="Delete an annual plan item (plan owner)")
async def delete_annual_item(annual_item_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            tracking.delete_annual_item(s, annual_item_id)

    await run_in_threadpool(run)
    return Response(status_code=204)


@router.patch("/progress/{report_id:int}", response_model=ProgressOut,
              summary="Correct a progress report (the filing agency, until its period closes)")
async def update_progress(report_id: DbId, body: ProgressPatch, caller: Caller = Depends(require_org)) -> ProgressOut:
    def run() -> ProgressOut:
        with caller_session(caller) as s:
            return _progress_out(tracking.update_progress(s, report_id, status=body.status, text=body.text,
                                                          percent_complete=body.percent_complete))

    return await run_in_threadpool(run)


@router.delete("/progress/{report_id:int}", status_code=204, response_class=Response,
               summary="Withdraw a progress report (the filing agency, until its period closes)")
async def delete_progress(report_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            tracking.delete_progress(s, report_id)

    await run_in_threadpool(run)
    return Response(status_code=204)


def evidence_response(row: Any) -> Response:
    """An attachment as a download (never rendered inline: it comes from another organisation)."""
    return download_response(row.data, row.filename, row.content_type, fallback=f"evidence-{row.id}",
                             untrusted=True)


@router.get("/evidence/{evidence_id:int}", response_class=Response,
            summary="Download evidence (the filing agency, the plan owner and the evaluators)")
async def download_evidence(evidence_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> Response:
        with caller_session(caller) as s:
            return evidence_response(tracking.get_evidence(s, evidence_id))

    return await run_in_threadpool(run)


@router.patch("/indicators/{indicator_id:int}", summary="Change an indicator (plan owner)")
async def update_indicator(indicator_id: DbId, body: IndicatorPatch,
                           caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = tracking.update_indicator(
                s, indicator_id, name=body.name, unit=body.unit, baseline=body.baseline,
                baseline_year=body.baseline_year, target=body.target, target_year=body.target_year,
                direction=body.direction, kind=body.kind, task_id=body.task_id or None, clear_task=body.task_id == 0)
            status = rag.plan_statuses(s, row.plan_id)
            return next(r for r in dashboard.indicator_rows(status) if r["id"] == row.id)

    return await run_in_threadpool(run)


@router.delete("/indicators/{indicator_id:int}", status_code=204, response_class=Response,
               summary="Delete an indicator and its actuals (plan owner)")
async def delete_indicator(indicator_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            tracking.delete_indicator(s, indicator_id)

    await run_in_threadpool(run)
    return Response(status_code=204)


@router.post("/tasks/{task_id:int}/close", response_model=TaskOut, summary="Close a task (办结; plan owner)")
async def close_task(task_id: DbId, body: CloseIn | None = None, caller: Caller = Depends(require_org)) -> TaskOut:
    def run() -> TaskOut:
        with caller_session(caller) as s:
            task = tracking.close_task(s, task_id, body.completed_on if body else None)
            return _task_out(task, rag.plan_statuses(s, task.plan_id))

    return await run_in_threadpool(run)


@router.get("/plans/{policy_plan_id:int}/reminders", response_model=list[ReminderHistoryOut],
            summary="Reminders (催办) sent for the plan, newest first (plan owner)")
async def reminder_history(policy_plan_id: DbId, caller: Caller = Depends(require_org)) -> list[ReminderHistoryOut]:
    def run() -> list[ReminderHistoryOut]:
        with caller_session(caller) as s:
            return [ReminderHistoryOut(id=r.id, agency_key=r.agency_key, agency=r.agency_name,
                                       task_ids=list(r.task_ids), channel=r.channel, recipient=r.recipient,
                                       sent_at=r.sent_at) for r in tracking.reminder_history(s, policy_plan_id)]

    return await run_in_threadpool(run)


@router.get("/owed", summary="What your organisation owes: the tasks it answers for across plans, with RAG")
async def owed(today: IsoDate | None = None, caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    def run() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            return owed_rows(s, today)

    return await run_in_threadpool(run)


def owed_rows(s: Any, today: IsoDate | None = None) -> list[dict[str, Any]]:
    """Rows of :func:`owed` (shared with the agency page)."""
    out: list[dict[str, Any]] = []
    statuses: dict[int, rag.PlanStatus] = {}
    for plan, task, acc in tracking.owed_tasks(s):
        if plan.id not in statuses:
            statuses[plan.id] = rag.plan_statuses(s, plan.id, today)
        status = statuses[plan.id]
        r = status.task_rag[task.id]
        reports = [p for p in status.reports if p.task_id == task.id and p.agency_key == acc.agency_key]
        latest = max(reports, key=lambda p: (tracking.period_bounds(p.period)[1], p.id), default=None)
        out.append({"plan_id": plan.id, "plan": plan.title, "task_id": task.id, "title": task.title,
                    "part": task.part_number, "section": task.section_number, "role": acc.role,
                    "agency": acc.agency_name, "due_date": task.due_date.isoformat(),
                    "current_period": tracking.current_period(status.today),
                    "latest_period": latest.period if latest else None,
                    "latest_status": latest.status if latest else None,
                    "percent_complete": latest.percent_complete if latest else 0,
                    "overdue": task.due_date < status.today and r.rule != "completed",
                    "status": r.colour, "rule": r.rule, "reason": r.reason})
    return out


@router.patch("/evaluations/{evaluation_id:int}", summary="Open public comments or appoint the evaluator (plan owner)")
async def update_evaluation(evaluation_id: DbId, body: EvaluationPatch,
                            caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            if body.evaluator_organisation_id is not None:
                evaluation.appoint_evaluator(s, evaluation_id, body.evaluator_organisation_id)
            if body.public_comments_open is not None:
                evaluation.set_public_open(s, evaluation_id, body.public_comments_open)
            if body.evaluator_organisation_id is None and body.public_comments_open is None:
                tracking.owned_plan(s, evaluation.get_evaluation(s, evaluation_id).plan_id)
            return evaluation.workspace(s, evaluation_id)

    return await run_in_threadpool(run)


@router.post("/comments/{comment_id:int}/moderation", summary="Approve or reject a public comment (plan owner)")
async def moderate(comment_id: DbId, body: ModerationIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = evaluation.moderate_comment(s, comment_id, body.status)
            return {"id": row.id, "status": row.status, "author": row.author, "text": row.text}

    return await run_in_threadpool(run)
