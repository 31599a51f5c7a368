"""Dispute pages: overview (alerts, cases, review queue, quarantine, notifications, per-kind event form
and import), alert detail with its first clock, case file (clocks, tasks, stage, outcome, links,
documents, sharing, timeline), exhibition stations (complaints on the 24-hour clock, checklist,
outcomes, per-fair statistics), insurance (policies and claims), notification preferences and
statistics. Forms carry the session's CSRF token; every session is the caller's (tenancy filter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fenghuo.core.errors import PermissionDenied, ValidationFailed
from fenghuo.core.formatting import fmt_datetime
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.core.models import Membership, Organisation, OrgKind, User, utcnow
from fenghuo.disputes import cases as cases_mod
from fenghuo.disputes import events as events_mod
from fenghuo.disputes import insurance as ins_mod
from fenghuo.disputes import notify as notify_mod
from fenghuo.disputes import routing
from fenghuo.disputes import stations as st_mod
from fenghuo.disputes import stats as stats_mod
from fenghuo.web import flash
from fenghuo.web.deps import Caller, caller_session, require_org
from fenghuo.web.forms import add_list_redirects
from fenghuo.web.params import DbId, FormId
from fenghuo.web.routes.api_disputes import _intake
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)


def _overview(caller: Caller, import_result: dict[str, Any] | None = None,
              form: dict[str, str] | None = None) -> dict[str, Any]:
    with caller_session(caller) as s:
        return {"alerts": [routing.alert_dict(a) for a in routing.list_alerts(s)],
                "cases": [cases_mod.case_dict(s, c) for c in cases_mod.list_cases(s)],
                "queue": [routing.match_dict(m) for m in routing.review_queue(s)],
                "notifications": [notify_mod.notification_dict(n) for n in notify_mod.list_notifications(
                    s, caller.user_id, unread_only=True)][:20],
                "quarantine": [events_mod.quarantine_dict(q) for q in events_mod.list_quarantine(s)][:200],
                "submissions": [events_mod.event_dict(e) for e in events_mod.list_events(s, limit=50)],
                "intake": routing.intake_queue(s) if routing.is_reviewer(s) else None,
                "kinds": events_mod.KINDS, "event_fields": _event_fields(), "import_result": import_result,
                "form": form or {}}


def _event_fields() -> list[dict[str, Any]]:
    """The per-kind fields of the intake form: each with the kinds it belongs to and those requiring it."""
    names: list[str] = []
    for fields in events_mod.KIND_FIELDS.values():
        names.extend(f for f in fields if f not in names)
    return [{"name": name, "kinds": [k for k, fs in events_mod.KIND_FIELDS.items() if name in fs],
             "required": [k for k, fs in events_mod.FORM_REQUIRED.items() if name in fs]} for name in names]


@router.get("/disputes")
async def overview(request: Request, caller: Caller = Depends(require_org)) -> Response:
    return render(request, "disputes/overview.html", await run_in_threadpool(_overview, caller))


#: Every field the per-kind intake form may send (the server keeps only the chosen kind's).
EVENT_FORM_FIELDS = ("kind", "number", "title", "country", "filed_on", "served_on", "received_at", "forum", "fair",
                     "booth", "complainants", "respondents", "plaintiffs", "defendants", "petitioners",
                     "patent_owners", "right_holders", "declarants", "opponents", "applicants", "stores", "rights",
                     "products", "temporary_relief", "perishable")


@router.post("/disputes/events")
async def report_event(request: Request, caller: Caller = Depends(require_org)) -> Response:
    form = await request.form()
    raw = {name: str(form.get(name) or "").strip()[:2000] for name in EVENT_FORM_FIELDS}

    def go() -> dict[str, Any]:
        try:
            rec = events_mod.form_record(raw)
        except events_mod.RecordError as exc:
            raise events_mod.from_validation(exc) from None
        return _intake(caller, [rec], [])

    result = await run_in_threadpool(go)
    return render(request, "disputes/overview.html", await run_in_threadpool(_overview, caller, result))


@router.post("/disputes/events/import")
async def import_events(request: Request, file: UploadFile = File(...),
                        caller: Caller = Depends(require_org)) -> Response:
    data = await file.read(events_mod.MAX_IMPORT_BYTES + 1)
    if len(data) > events_mod.MAX_IMPORT_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=events_mod.MAX_IMPORT_BYTES // (1024 * 1024)),
                               field="file", record=file.filename or "upload")

    def go() -> dict[str, Any]:
        records, errors = events_mod.read_records(data, file.filename or "upload")
        return _intake(caller, records, errors, source=file.filename or "upload")

    result = await run_in_threadpool(go)
    return render(request, "disputes/overview.html", await run_in_threadpool(_overview, caller, result))


@router.post("/disputes/matches/{match_id}/review")
async def review(request: Request, match_id: DbId, decision: str = Form(...),
                 caller: Caller = Depends(require_org)) -> Response:
    assert caller.org_id is not None
    await run_in_threadpool(routing.review_match, caller.org_id, caller.user_id, match_id, decision)
    return flash.redirect("/disputes", _("Review saved."))


@router.post("/disputes/intake/{event_id}/review")
async def review_event(request: Request, event_id: DbId, decision: str = Form(..., max_length=10),
                       reason: str = Form("", max_length=2000), caller: Caller = Depends(require_org)) -> Response:
    """A guidance centre accepts (matching and alerting now) or rejects a submitted event."""
    assert caller.org_id is not None
    await run_in_threadpool(routing.review_event, caller.org_id, caller.user_id, event_id, decision, reason)
    return RedirectResponse("/disputes", status_code=303)


@router.get("/disputes/alerts/{alert_id}")
async def alert_page(request: Request, alert_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            alert = routing.get_alert(s, alert_id)
            return {"alert": routing.alert_dict(alert), "history": routing.alert_history(s, alert),
                    "states": [st for st in routing.ALERT_STATES if st != "case_opened"]}

    return render(request, "disputes/alert.html", await run_in_threadpool(load))


@router.post("/disputes/alerts/{alert_id}/state")
async def alert_state(request: Request, alert_id: DbId, state: str = Form(..., max_length=20),
                      reason: str = Form("", max_length=2000), caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            routing.set_alert_state(s, alert_id, state, reason)

    await run_in_threadpool(go)
    return flash.redirect(f"/disputes/alerts/{alert_id}", _("Alert state saved."))


@router.post("/disputes/alerts/{alert_id}/case")
async def open_case(request: Request, alert_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def go() -> int:
        with caller_session(caller) as s:
            return cases_mod.open_from_alert(s, alert_id).id

    return flash.redirect(f"/disputes/cases/{await run_in_threadpool(go)}",
                          _("Case opened: the playbook tasks and clocks are below."))


@router.get("/disputes/cases/{case_id}")
async def case_page(request: Request, case_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            case = cases_mod.case_dict(s, cases_mod.get_case(s, case_id), detail=True)
            targets = [{"id": o.id, "name": o.name} for o in s.scalars(select(Organisation).where(
                Organisation.kind.in_([OrgKind.GUIDANCE_CENTRE.value, OrgKind.EXHIBITION_STATION.value,
                                       OrgKind.TRADE_PROMOTION.value]), Organisation.id != caller.org_id)
                .order_by(Organisation.name))]
            members = [{"id": u.id, "email": u.email} for u in s.scalars(
                select(User).join(Membership, Membership.user_id == User.id)
                .where(Membership.organisation_id == caller.org_id).order_by(User.email))]
            others = [{"id": c.id, "title": c.title} for c in cases_mod.list_cases(s) if c.id != case_id]
            return {"case": case, "share_targets": targets, "members": members, "other_cases": others,
                    "stages": cases_mod.STAGES, "outcomes": cases_mod.OUTCOMES,
                    "relations": cases_mod.LINK_RELATIONS}

    return render(request, "disputes/case.html", await run_in_threadpool(load))


@router.post("/disputes/cases/{case_id}/documents")
async def upload(request: Request, case_id: DbId, file: UploadFile = File(...),
                 caller: Caller = Depends(require_org)) -> Response:
    data = await file.read(cases_mod.MAX_DOCUMENT_BYTES + 1)

    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.add_document(s, case_id, file.filename or "upload", file.content_type or "", data)

    await run_in_threadpool(go)
    return flash.redirect(f"/disputes/cases/{case_id}", _("Document uploaded."))


@router.post("/disputes/cases/{case_id}/share")
async def share(request: Request, case_id: DbId, grantee_organisation_id: FormId,
                caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.share_case(s, case_id, grantee_organisation_id)

    await run_in_threadpool(go)
    return flash.redirect(f"/disputes/cases/{case_id}", _("Case shared."))


@router.post("/disputes/cases/{case_id}/clocks/{clock_id}/met")
async def clock_met(request: Request, case_id: DbId, clock_id: DbId,
                    caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.meet_clock(s, case_id, clock_id)

    await run_in_threadpool(go)
    return flash.redirect(f"/disputes/cases/{case_id}", _("Deadline marked as met."))


@router.get("/disputes/stats")
async def stats_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            figures = stats_mod.summary(s)
        # Across organisations small cells are suppressed: "<5" in the table, left out of the chart.
        hidden = f"<{figures['suppression']['threshold']}"
        sections = [{"dimension": dim, "heading": _(stats_mod.HEADINGS[dim]), "column": _(stats_mod.COLUMNS[dim]),
                     "rows": stats_mod.labelled(dim, [(c["value"], hidden if c["suppressed"] else c["cases"])
                                                      for c in figures[dim]]),
                     "chart": stats_mod.dimension_chart(dim, [(c["value"], c["cases"]) for c in figures[dim]
                                                              if not c["suppressed"]],
                                                        suppressed=any(c["suppressed"] for c in figures[dim]))}
                    for dim in stats_mod.DIMENSIONS]
        return {"stats": figures, "sections": sections, "report_url": "/api/v1/disputes/stats/report.pdf"}

    return render(request, "disputes/stats.html", await run_in_threadpool(load))


# --- case forms: tasks, stage, outcome, links, revoking a share -----------------------------------------


def _on_case(caller: Caller, case_id: int, work: Callable[[Session], object]) -> Callable[[], None]:
    def go() -> None:
        with caller_session(caller) as s:
            work(s)

    return go


def _back(case_id: int, message: str) -> RedirectResponse:
    return flash.redirect(f"/disputes/cases/{case_id}", message)


@router.post("/disputes/cases/{case_id}/tasks")
async def add_task(request: Request, case_id: DbId, title: str = Form(..., max_length=300),
                   owner_user_id: str = Form(""), due_on: str = Form(""),
                   caller: Caller = Depends(require_org)) -> Response:
    owner = _opt_int(owner_user_id, "owner_user_id")
    due = _date(due_on, "due_on")
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.add_task(
        s, case_id, title, owner_user_id=owner, due_on=due)))
    return _back(case_id, _("Task added."))


@router.post("/disputes/cases/{case_id}/tasks/{task_id}/done")
async def task_done(request: Request, case_id: DbId, task_id: DbId,
                    caller: Caller = Depends(require_org)) -> Response:
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.complete_task(s, case_id, task_id)))
    return _back(case_id, _("Task completed."))


@router.post("/disputes/cases/{case_id}/stage")
async def set_stage(request: Request, case_id: DbId, stage: str = Form(..., max_length=40),
                    caller: Caller = Depends(require_org)) -> Response:
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.set_stage(s, case_id, stage)))
    return _back(case_id, _("Stage saved."))


@router.post("/disputes/cases/{case_id}/outcome")
async def set_outcome(request: Request, case_id: DbId, outcome: str = Form(..., max_length=30),
                      note: str = Form("", max_length=5000), caller: Caller = Depends(require_org)) -> Response:
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.set_outcome(s, case_id, outcome, note)))
    return _back(case_id, _("Outcome saved."))


@router.post("/disputes/cases/{case_id}/links")
async def link_case(request: Request, case_id: DbId, other_case_id: str = Form(...),
                    relation: str = Form("related_forum", max_length=30),
                    caller: Caller = Depends(require_org)) -> Response:
    other = _opt_int(other_case_id, "other_case_id")
    if other is None:
        raise ValidationFailed(_("choose the case to link"), field="other_case_id")
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.link_cases(s, case_id, other, relation)))
    return _back(case_id, _("Cases linked."))


@router.post("/disputes/cases/{case_id}/share/{grant_id}/revoke")
async def revoke_share(request: Request, case_id: DbId, grant_id: DbId,
                       caller: Caller = Depends(require_org)) -> Response:
    await run_in_threadpool(_on_case(caller, case_id, lambda s: cases_mod.unshare_case(s, case_id, grant_id)))
    return _back(case_id, _("Sharing revoked."))


def _opt_int(value: str, field: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= DB_ID_MAX:
        raise ValidationFailed(_("%(value)s is not a number", value=value[:40]), field=field)
    return int(value)


def _date(value: str, field: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=value[:40]), field=field) from None


def _required_date(value: str, field: str) -> date:
    parsed = _date(value, field)
    if parsed is None:
        raise ValidationFailed(_("the date is required"), field=field)
    return parsed


def _datetime(value: str, field: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date-time (YYYY-MM-DDTHH:MM)", value=value[:40]),
                               field=field) from None


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]


# --- exhibition IP service stations --------------------------------------------------------------------


def _complaint_view(row: Any, now: datetime) -> dict[str, Any]:
    """A complaint with the state of its 24-hour answer clock (R-FAIR-COMPLAINT)."""
    out = st_mod.complaint_dict(row)
    due = st_mod._aware(row.answer_due_at)
    if row.answered_at is not None:
        out["clock"] = "met" if st_mod._aware(row.answered_at) <= due else "missed"
    else:
        out["clock"] = "overdue" if now > due else "open"
    out["hours_left"] = round((due - now).total_seconds() / 3600, 1) if row.answered_at is None else None
    # In the reader's time zone and locale (Asia/Shanghai for Chinese readers: the fair's own clock).
    out["due_display"] = fmt_datetime(due)
    out["received_display"] = fmt_datetime(st_mod._aware(row.received_at))
    return out


@router.get("/disputes/stations")
async def stations_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        if caller.org_kind != OrgKind.EXHIBITION_STATION.value:
            return {"is_station": False}
        with caller_session(caller) as s:
            rows = st_mod.list_stations(s)
            return {"is_station": True,
                    "stations": [{**st_mod.station_dict(r), "stats": st_mod.station_stats(s, r.id)} for r in rows]}

    return render(request, "disputes/stations.html", await run_in_threadpool(load))


@router.post("/disputes/stations")
async def create_station(request: Request, fair: str = Form(..., max_length=300), starts_on: str = Form(""),
                         ends_on: str = Form(""), venue: str = Form("", max_length=300),
                         city: str = Form("", max_length=100), staff: str = Form("", max_length=2000),
                         caller: Caller = Depends(require_org)) -> Response:
    start, end = _required_date(starts_on, "starts_on"), _required_date(ends_on, "ends_on")

    def go() -> int:
        with caller_session(caller) as s:
            return st_mod.create_station(s, fair=fair, starts_on=start, ends_on=end, venue=venue, city=city,
                                         staff=_split(staff)).id

    return flash.redirect(f"/disputes/stations/{await run_in_threadpool(go)}", _("Station created."))


def _station_charts(stats: dict[str, Any]) -> dict[str, str]:
    """Per-fair charts: complaints by outcome and by type of right (server-side SVG)."""
    from fenghuo.core.labels import label
    from fenghuo.reports.charts import bar_chart

    def rows(category: str, tally: dict[Any, int]) -> list[tuple[str, int]]:
        return [(label(category, k or "pending"), n) for k, n in sorted(tally.items(), key=lambda kv: -kv[1])]

    return {"outcomes": bar_chart(rows("fair_outcome", stats["outcomes"]), title=_("Complaints by outcome"),
                                  value_title=_("Number of complaints")),
            "right_types": bar_chart(rows("right_type", stats["right_types"]),
                                     title=_("Complaints by type of right"), value_title=_("Number of complaints"))}


@router.get("/disputes/stations/{station_id}")
async def station_page(request: Request, station_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        now = utcnow()
        with caller_session(caller) as s:
            row = st_mod.get_station(s, station_id)
            stats = st_mod.station_stats(s, station_id)
            return {"station": st_mod.station_dict(row), "owned": row.organisation_id == caller.org_id,
                    "complaints": [_complaint_view(c, now) for c in st_mod.complaints_of(s, station_id)],
                    "stats": stats, "charts": _station_charts(stats), "checklist": st_mod.CHECKLIST,
                    "right_types": st_mod.RIGHT_TYPES, "outcomes": st_mod.OUTCOMES[1:]}

    return render(request, "disputes/station.html", await run_in_threadpool(load))


@router.post("/disputes/stations/{station_id}/complaints")
async def receive_complaint(request: Request, station_id: DbId, complainant: str = Form("", max_length=300),
                            respondent: str = Form("", max_length=300), booth: str = Form("", max_length=50),
                            right_type: str = Form("patent", max_length=20),
                            right_number: str = Form("", max_length=100), received_at: str = Form(""),
                            caller: Caller = Depends(require_org)) -> Response:
    received = _datetime(received_at, "received_at")

    def go() -> None:
        with caller_session(caller) as s:
            st_mod.receive_complaint(s, station_id, complainant=complainant, respondent=respondent, booth=booth,
                                     right_type=right_type, right_number=right_number, received_at=received)

    await run_in_threadpool(go)
    return flash.redirect(f"/disputes/stations/{station_id}", _("Complaint recorded: the 24-hour clock is running."))

def _own_complaint(caller: Caller, complaint_id: int, work: Callable[[Session], object]) -> int:
    """Run ``work`` on a complaint of the caller's own station; returns the station id."""
    with caller_session(caller) as s:
        row = st_mod.get_complaint(s, complaint_id)
        if row.organisation_id != caller.org_id:
            raise PermissionDenied(_("only the station itself handles its complaints"))
        work(s)
        return row.station_id


@router.post("/disputes/complaints/{complaint_id}/checklist")
async def complaint_checklist(request: Request, complaint_id: DbId,
                              caller: Caller = Depends(require_org)) -> Response:
    form = await request.form()
    ticked = {str(v) for v in form.getlist("item")}
    unknown = sorted(ticked - set(st_mod.CHECKLIST))
    items = {key: key in ticked for key in st_mod.CHECKLIST} | {key: True for key in unknown}
    station_id = await run_in_threadpool(_own_complaint, caller, complaint_id,
                                         lambda s: st_mod.update_checklist(s, complaint_id, items))
    return flash.redirect(f"/disputes/stations/{station_id}", _("Checklist saved."))


@router.post("/disputes/complaints/{complaint_id}/answer")
async def complaint_answer(request: Request, complaint_id: DbId, answered_at: str = Form(""),
                           caller: Caller = Depends(require_org)) -> Response:
    at = _datetime(answered_at, "answered_at")
    station_id = await run_in_threadpool(_own_complaint, caller, complaint_id,
                                         lambda s: st_mod.record_answer(s, complaint_id, at))
    return flash.redirect(f"/disputes/stations/{station_id}", _("Answer recorded."))


@router.post("/disputes/complaints/{complaint_id}/outcome")
async def complaint_outcome(request: Request, complaint_id: DbId, outcome: str = Form(..., max_length=20),
                            caller: Caller = Depends(require_org)) -> Response:
    station_id = await run_in_threadpool(_own_complaint, caller, complaint_id,
                                         lambda s: st_mod.set_outcome(s, complaint_id, outcome))
    return flash.redirect(f"/disputes/stations/{station_id}", _("Outcome saved."))

# --- insurance ------------------------------------------------------------------------------------------


def _insurance_charts(claims: list[dict[str, Any]]) -> dict[str, str]:
    """Claims by status (server-side SVG; "no data yet" before the first claim)."""
    from collections import Counter

    from fenghuo.core.labels import label
    from fenghuo.reports.charts import bar_chart

    tally = Counter(str(c["status"]) for c in claims)
    return {"claims": bar_chart([(label("claim_status", k), n) for k, n in tally.most_common()],
                                title=_("Claims by status"), value_title=_("Number of claims"))}


@router.get("/disputes/insurance")
async def insurance_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        side = {OrgKind.INSURER.value: "insurer", OrgKind.ENTERPRISE.value: "enterprise"}.get(caller.org_kind or "")
        if side is None:
            return {"side": None}
        with caller_session(caller) as s:
            names = {o.id: o.name for o in s.scalars(select(Organisation))}
            policies = [{**ins_mod.policy_dict(p), "insurer": names.get(p.organisation_id),
                         "insured": names.get(p.insured_org_id)} for p in ins_mod.list_policies(s)]
            numbers = {p["id"]: p["number"] for p in policies}
            claims = [{**ins_mod.claim_dict(c), "policy_number": numbers.get(c.policy_id, c.policy_id),
                       "claimant": names.get(c.organisation_id)} for c in ins_mod.list_claims(s)]
            out: dict[str, Any] = {"side": side, "policies": policies, "claims": claims,
                                   "claim_states": ins_mod.CLAIM_STATES[1:], "charts": _insurance_charts(claims)}
            if side == "insurer":
                out["enterprises"] = [{"id": o.id, "name": o.name} for o in s.scalars(
                    select(Organisation).where(Organisation.kind == OrgKind.ENTERPRISE.value)
                    .order_by(Organisation.name))]
            else:
                out["held"] = [p for p in policies if p["insured_org_id"] == caller.org_id]
                out["offers"] = [{**ins_mod.policy_dict(p), "insurer": names.get(p.organisation_id)}
                                 for p in ins_mod.list_offers(s)]
                out["own_cases"] = [{"id": c.id, "title": c.title} for c in cases_mod.list_cases(s)
                                    if c.organisation_id == caller.org_id]
            return out

    return render(request, "disputes/insurance.html", await run_in_threadpool(load))


@router.post("/disputes/insurance/policies")
async def issue_policy(request: Request, number: str = Form(..., max_length=100), insured_org_id: str = Form(""),
                       limit_amount: str = Form("", max_length=40), starts_on: str = Form(""),
                       ends_on: str = Form(""), currency: str = Form("CNY", max_length=3),
                       products: str = Form("", max_length=2000), countries: str = Form("", max_length=500),
                       caller: Caller = Depends(require_org)) -> Response:
    insured = _opt_int(insured_org_id, "insured_org_id")
    if insured is None:
        raise ValidationFailed(_("choose the insured enterprise"), field="insured_org_id")
    if not limit_amount.strip():
        raise ValidationFailed(_("the limit is required"), field="limit_amount")
    data = ins_mod.PolicyIn(number, insured, limit_amount.strip(), _required_date(starts_on, "starts_on"),
                            _required_date(ends_on, "ends_on"), currency.strip().upper() or "CNY",
                            tuple(_split(products)), tuple(_split(countries)))

    def go() -> None:
        with caller_session(caller) as s:
            ins_mod.issue_policy(s, data)

    await run_in_threadpool(go)
    return flash.redirect("/disputes/insurance", _("Policy issued."))


@router.post("/disputes/insurance/policies/{policy_id}/answer")
async def answer_policy(request: Request, policy_id: DbId, decision: str = Form(..., max_length=10),
                        caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            ins_mod.respond_to_policy(s, policy_id, decision)

    await run_in_threadpool(go)
    return RedirectResponse("/disputes/insurance", status_code=303)


@router.post("/disputes/insurance/claims")
async def file_claim(request: Request, policy_id: str = Form(""), case_id: str = Form(""),
                     costs_incurred: str = Form("", max_length=40), currency: str = Form("CNY", max_length=3),
                     note: str = Form("", max_length=5000), caller: Caller = Depends(require_org)) -> Response:
    policy = _opt_int(policy_id, "policy_id")
    if policy is None:
        raise ValidationFailed(_("choose the policy"), field="policy_id")
    if not costs_incurred.strip():
        raise ValidationFailed(_("the costs incurred are required"), field="costs_incurred")
    case = _opt_int(case_id, "case_id")

    def go() -> None:
        with caller_session(caller) as s:
            ins_mod.file_claim(s, policy, costs_incurred=costs_incurred.strip(), currency=currency.strip() or "CNY",
                               case_id=case, note=note)

    await run_in_threadpool(go)
    return flash.redirect("/disputes/insurance", _("Claim filed."))


@router.post("/disputes/insurance/claims/{claim_id}/decision")
async def decide_claim(request: Request, claim_id: DbId, status: str = Form(..., max_length=20),
                       caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            ins_mod.decide_claim(s, claim_id, status)

    await run_in_threadpool(go)
    return flash.redirect("/disputes/insurance", _("Decision saved."))

# --- notifications --------------------------------------------------------------------------------------


@router.get("/disputes/notifications")
async def notifications_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            pref = notify_mod.get_preferences(s, caller.user_id)
            return {"notifications": [notify_mod.notification_dict(n) for n in notify_mod.list_notifications(
                        s, caller.user_id)],
                    "pref": {"email": pref.email if pref else caller.email,
                             "email_mode": pref.email_mode if pref else "off",
                             "webhook_url": pref.webhook_url if pref else None,
                             "webhook_secret": pref.webhook_secret if pref else None},
                    "modes": notify_mod.EMAIL_MODES}

    return render(request, "disputes/notifications.html", await run_in_threadpool(load))


@router.post("/disputes/notifications/preferences")
async def save_preferences(request: Request, email: str = Form("", max_length=320),
                           email_mode: str = Form("off", max_length=10), webhook_url: str = Form("", max_length=500),
                           caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            notify_mod.set_preferences(s, caller.user_id, email=email, email_mode=email_mode,
                                       webhook_url=webhook_url)

    await run_in_threadpool(go)
    return flash.redirect("/disputes/notifications", _("Notification settings saved."))


@router.post("/disputes/notifications/{notification_id}/read")
async def mark_read(request: Request, notification_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            notify_mod.mark_read(s, caller.user_id, notification_id)

    await run_in_threadpool(go)
    return flash.redirect("/disputes/notifications", _("Marked as read."))


# Collection paths that take posts answer GET with the page that lists their items.
add_list_redirects(router, [
    ("/disputes/events", "/disputes"), ("/disputes/events/import", "/disputes"),
    ("/disputes/cases/{case_id}/documents", "/disputes/cases/{case_id}"),
    ("/disputes/cases/{case_id}/tasks", "/disputes/cases/{case_id}"),
    ("/disputes/cases/{case_id}/links", "/disputes/cases/{case_id}"),
    ("/disputes/cases/{case_id}/share", "/disputes/cases/{case_id}"),
    ("/disputes/stations/{station_id}/complaints", "/disputes/stations/{station_id}"),
    ("/disputes/insurance/policies", "/disputes/insurance"), ("/disputes/insurance/claims", "/disputes/insurance"),
    ("/disputes/notifications/preferences", "/disputes/notifications"),
], require_org)
