"""``/api/v1/disputes``: event intake and review queue, alerts, cases (clocks, tasks, documents,
links, sharing), exhibition stations, insurance, notifications and statistics.

Every route opens its session through ``caller_session`` (central tenancy filter); objects of
other organisations answer 404. Path parameters carry domain-unique names so the cross-tenant
matrix can give each one an object of another organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fenghuo.core import limits
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.history import AlertWithHistory
from fenghuo.core.i18n import _
from fenghuo.disputes import cases as cases_mod
from fenghuo.disputes import events as events_mod
from fenghuo.disputes import insurance as ins_mod
from fenghuo.disputes import notify as notify_mod
from fenghuo.disputes import routing
from fenghuo.disputes import stations as st_mod
from fenghuo.disputes import stats as stats_mod
from fenghuo.web.deps import Caller, caller_session, require_org
from fenghuo.web.downloads import download_response
from fenghuo.web.params import DbId, IsoDate, ReportLang, one_of, only

router = APIRouter(prefix="/api/v1/disputes", tags=["disputes"])

T = TypeVar("T")


async def _run(caller: Caller, work: Callable[[Session], T]) -> T:
    def go() -> T:
        with caller_session(caller) as s:
            return work(s)

    return await run_in_threadpool(go)


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=value[:40]), field=field) from None


def _datetime(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date-time (YYYY-MM-DDTHH:MM)", value=value[:40]),
                               field=field) from None


# --- events ----------------------------------------------------------------------------------------------


class PartyIn(BaseModel):
    name: str = Field(min_length=1, max_length=limits.NAME_CHARS)
    role: str = Field(default="respondent", description=", ".join(events_mod.ROLES),
                      json_schema_extra=one_of(*events_mod.ROLES))
    context: str = Field(default="", max_length=500)


class EventIn(BaseModel):
    kind: str = Field(description=", ".join(events_mod.KINDS), json_schema_extra=one_of(*events_mod.KINDS))
    number: str = Field(min_length=1, max_length=limits.NUMBER_CHARS,
                        description="Docket, investigation or notice number.")
    title: str = Field(default="", max_length=limits.TITLE_CHARS)
    forum: str = Field(default="", max_length=limits.FORUM_CHARS)
    country: str = Field(default="", max_length=2)
    filed_on: str | None = Field(default=None, description="YYYY-MM-DD")
    served_on: str | None = Field(default=None, description="YYYY-MM-DD")
    received_at: str | None = Field(default=None, description="YYYY-MM-DDTHH:MM (hour clocks)")
    temporary_relief: StrictBool = False
    perishable: StrictBool = False
    parties: list[PartyIn] = Field(default_factory=list)
    rights: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)
    stores: list[str] = Field(default_factory=list)
    url: str | None = Field(default=None, max_length=500)


def _intake(caller: Caller, records: list[events_mod.EventRecord],
            errors: list[events_mod.RecordError], source: str | None = None) -> dict[str, Any]:
    """Store, then route what may be routed now; match and alert counts only for guidance centres.

    Why counts only for centres: ``{"alerts": 2}`` after naming somebody tells the sender that the
    name belongs to a registered enterprise. Events of other organisations wait for a centre's
    review (``status: pending``) and are not matched at all until accepted.
    """
    with caller_session(caller) as s:
        summary = events_mod.store_records(s, records, errors, source=source)
    routed = [routing.route_event(event_id) for event_id in summary.routable_ids]
    routing.announce_pending(summary.pending_ids)
    out = {**summary.as_dict(), "events": [{"id": i, "status": st} for i, st in summary.statuses.items()]}
    if caller.org_kind in routing.REVIEWER_KINDS:
        out.update(alerts=sum(r.alerts for r in routed), queued=sum(r.queued for r in routed))
    return out


@router.post("/events", status_code=201,
             summary="Take in one event (form or API): answers its id and status (pending until a guidance "
                     "centre accepts it, unless sent by a centre or station)")
async def create_event(body: EventIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def go() -> dict[str, Any]:
        try:
            rec = events_mod.parse_record(body.model_dump(), body.number, source="form")
        except events_mod.RecordError as exc:
            raise events_mod.from_validation(exc) from None
        result = _intake(caller, [rec], [])
        [(event_id, status)] = [(e["id"], e["status"]) for e in result["events"]]
        answer: dict[str, Any] = {"id": event_id, "status": status}
        answer.update({k: result[k] for k in ("alerts", "queued") if k in result})
        return answer

    return await run_in_threadpool(go)


@router.post("/events/import", summary="Import events from a CSV or JSON file (bad records reported, rest imported)")
async def import_events(file: UploadFile = File(..., description="CSV (kind, number, …) or JSON list; at most 5 MB"),
                        caller: Caller = Depends(require_org)) -> dict[str, Any]:
    data = await file.read(events_mod.MAX_IMPORT_BYTES + 1)
    name = file.filename or "upload"
    if len(data) > events_mod.MAX_IMPORT_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=events_mod.MAX_IMPORT_BYTES // (1024 * 1024)),
                               field="file", record=name)

    def go() -> dict[str, Any]:
        records, errors = events_mod.read_records(data, name)
        return _intake(caller, records, errors, source=name)

    return await run_in_threadpool(go)


@router.get("/quarantine", summary="Bad records of bulk imports and feeds, kept until a later import fixes them")
async def list_quarantine(include_resolved: bool = Query(False),
                          caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [events_mod.quarantine_dict(q) for q in events_mod.list_quarantine(
        s, include_resolved=include_resolved)])


@router.get("/events", summary="Events your organisation took in")
async def list_events(kind: str | None = Query(None), caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [events_mod.event_dict(e) for e in events_mod.list_events(s, kind=kind)])


@router.get("/events/{event_id:int}", summary="One event")
async def get_event(event_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: events_mod.event_dict(events_mod.get_event(s, event_id)))


# --- intake review (guidance centres) ---------------------------------------------------------------------


@router.get("/intake", summary="Submitted events waiting for a guidance centre's review (guidance centres only)")
async def list_intake(status: Literal["pending", "accepted", "rejected"] = Query("pending"),
                      caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: routing.intake_queue(s, status=status))


class EventReviewIn(BaseModel):
    decision: Literal["accept", "reject"]
    reason: str = Field(default="", max_length=2000, description="Required when rejecting; shown to the submitter.")


@router.post("/intake/{event_id:int}/review",
             summary="Accept (match and alert now) or reject (with a reason) a submitted event (guidance centres)")
async def review_event(event_id: DbId, body: EventReviewIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    assert caller.org_id is not None
    return await run_in_threadpool(routing.review_event, caller.org_id, caller.user_id, event_id, body.decision,
                                   body.reason)


# --- identity and review queue ---------------------------------------------------------------------------


class IdentityIn(BaseModel):
    names: list[str] = Field(default_factory=list, description="Company names in any language (法定名称).")
    aliases: list[str] = Field(default_factory=list, description="English names, brands, store names, d/b/a.")
    uscc: str | None = Field(default=None, pattern=r"^(|[0-9A-HJ-NPQRTUWXY]{18})$",
                             description="统一社会信用代码: 18 characters (empty clears it)")
    lei: str | None = Field(default=None, pattern=r"^(|[0-9A-Z]{20})$",
                            description="Legal Entity Identifier: 20 characters (empty clears it)")
    marks: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)


def _identity_dict(row: Any) -> dict[str, Any]:
    if row is None:
        return {"names": [], "aliases": [], "uscc": None, "lei": None, "marks": [], "products": []}
    return {"names": row.names, "aliases": row.aliases, "uscc": row.uscc, "lei": row.lei, "marks": row.marks,
            "products": row.products}


@router.get("/identity", summary="Your enterprise's identity used to match dispute parties")
async def get_identity(caller: Caller = Depends(require_org)) -> dict[str, Any]:
    from sqlalchemy import select

    from fenghuo.disputes.models import EnterpriseIdentity

    return await _run(caller, lambda s: _identity_dict(s.scalar(select(EnterpriseIdentity).where(
        EnterpriseIdentity.organisation_id == caller.org_id))))


@router.put("/identity", summary="Register names, aliases, USCC, LEI, marks and products")
async def put_identity(body: IdentityIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: _identity_dict(routing.save_identity(
        s, names=body.names, aliases=body.aliases, uscc=body.uscc, lei=body.lei, marks=body.marks,
        products=body.products)))


@router.get("/matches", summary="Review queue: borderline matches of event parties to enterprises")
async def list_matches(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [routing.match_dict(m) for m in routing.review_queue(s)])


class ReviewIn(BaseModel):
    decision: Literal["confirm", "reject"]


@router.post("/matches/{match_id:int}/review", summary="Confirm (alerts now) or reject a borderline match")
async def review_match(match_id: DbId, body: ReviewIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    assert caller.org_id is not None
    org_id = caller.org_id
    match, alerts = await run_in_threadpool(routing.review_match, org_id, caller.user_id, match_id, body.decision)
    return {**match, "alerts_raised": alerts}


# --- alerts ----------------------------------------------------------------------------------------------


@router.get("/alerts", summary="Dispute alerts to your organisation, newest first")
async def list_alerts(state: str | None = Query(None, pattern=only(*routing.ALERT_STATES),
                                            json_schema_extra=one_of(*routing.ALERT_STATES, None)),
                      caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [routing.alert_dict(a) for a in routing.list_alerts(s, state=state)])


def _with_history(session: Any, alert: Any) -> dict[str, Any]:
    return {**routing.alert_dict(alert), "history": routing.alert_history(session, alert)}


@router.get("/alerts/{dispute_alert_id:int}", response_model=AlertWithHistory,
            summary="One alert with its reasons, first legal clock and review history")
async def get_alert(dispute_alert_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: _with_history(s, routing.get_alert(s, dispute_alert_id)))


class AlertStateIn(BaseModel):
    state: Literal["new", "acknowledged", "case_opened", "dismissed"]
    reason: str | None = Field(default=None, max_length=2000, description="Why (kept in the alert's history).")


@router.post("/alerts/{dispute_alert_id:int}/state", summary="Acknowledge or dismiss an alert (kept in its history)",
             response_model=AlertWithHistory)
async def set_alert_state(dispute_alert_id: DbId, body: AlertStateIn,
                          caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: _with_history(
        s, routing.set_alert_state(s, dispute_alert_id, body.state, body.reason)))


@router.post("/alerts/{dispute_alert_id:int}/case", status_code=201, summary="Open the case for this alert")
async def case_from_alert(dispute_alert_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: cases_mod.case_dict(s, cases_mod.open_from_alert(s, dispute_alert_id),
                                                            detail=True))


# --- cases -----------------------------------------------------------------------------------------------


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=limits.TITLE_CHARS)
    kind: str = Field(description=", ".join(events_mod.KINDS), json_schema_extra=one_of(*events_mod.KINDS))
    forum: str = Field(default="", max_length=limits.FORUM_CHARS)
    country: str = Field(default="", max_length=2)
    number: str = Field(default="", max_length=limits.NUMBER_CHARS)
    rights: list[str] = Field(default_factory=list)
    parties: list[PartyIn] = Field(default_factory=list)
    trigger: str | None = Field(default=None, description="Service or notice date (YYYY-MM-DD); starts the clocks")
    temporary_relief: StrictBool = False
    perishable: StrictBool = False


@router.get("/cases", summary="Your cases and cases shared with you")
async def list_cases(status: str | None = Query(None), caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [cases_mod.case_dict(s, c) for c in cases_mod.list_cases(s, status=status)])


@router.post("/cases", status_code=201, summary="Open a case by intake")
async def create_case(body: CaseIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        intake = cases_mod.CaseIntake(
            title=body.title, kind=body.kind, forum=body.forum, country=body.country, number=body.number,
            rights=tuple(body.rights), parties=tuple((p.name, p.role) for p in body.parties),
            trigger=_date(body.trigger, "trigger"), temporary_relief=body.temporary_relief,
            perishable=body.perishable)
        return cases_mod.case_dict(s, cases_mod.open_case(s, intake), detail=True)

    return await _run(caller, work)


@router.get("/cases/{case_id:int}", summary="One case with parties, clocks, tasks, documents, timeline and links")
async def get_case(case_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: cases_mod.case_dict(s, cases_mod.get_case(s, case_id), detail=True))


class CasePartyIn(BaseModel):
    name: str = Field(min_length=1, max_length=limits.NAME_CHARS)
    role: str = Field(default="co_respondent", max_length=40, description=", ".join(cases_mod.CASE_PARTY_ROLES),
                      json_schema_extra=one_of(*cases_mod.CASE_PARTY_ROLES))


@router.post("/cases/{case_id:int}/parties", status_code=201, summary="Add a party")
async def add_party(case_id: DbId, body: CasePartyIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = cases_mod.add_party(s, case_id, body.name, body.role)
        return {"id": row.id, "name": row.name, "role": row.role}

    return await _run(caller, work)


class ClockIn(BaseModel):
    rule_id: str = Field(description="R-US-ITC337-ANSWER, R-EU-CUSTOMS-DETENTION, R-FAIR-COMPLAINT, R-US-ANSWER, "
                                     "R-US-PTAB-BAR")
    trigger: str = Field(description="YYYY-MM-DD (or YYYY-MM-DDTHH:MM for hour clocks)", examples=["2026-05-04"],
                         pattern=r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d)?$")
    office: str | None = Field(default=None, max_length=2)
    temporary_relief: StrictBool = False
    perishable: StrictBool = False


@router.post("/cases/{case_id:int}/clocks", status_code=201, summary="Add a legal clock from a cited rule")
async def add_clock(case_id: DbId, body: ClockIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        cases_mod.owned_case(s, case_id)
        trigger: date | datetime | None = _datetime(body.trigger, "trigger") if "T" in body.trigger else _date(
            body.trigger, "trigger")
        if trigger is None:
            raise ValidationFailed(_("the trigger date is required"), field="trigger")
        row = cases_mod.add_clock(s, case_id, body.rule_id, trigger, body.office,
                                  temporary_relief=body.temporary_relief, perishable=body.perishable)
        return {"id": row.id, "rule_id": row.rule_id, "due": row.due, "trace": row.trace}

    return await _run(caller, work)


class MetIn(BaseModel):
    at: str | None = Field(default=None, description="When the act was done (default now)")


@router.post("/cases/{case_id:int}/clocks/{clock_id:int}/met", summary="Record that a deadline was met")
async def meet_clock(case_id: DbId, clock_id: DbId, body: MetIn,
                     caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        cases_mod.owned_case(s, case_id)
        row = cases_mod.meet_clock(s, case_id, clock_id, at=_datetime(body.at, "at"))
        return {"id": row.id, "rule_id": row.rule_id, "due": row.due, "status": row.status}

    return await _run(caller, work)


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    owner_user_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    due_on: str | None = None


@router.post("/cases/{case_id:int}/tasks", status_code=201, summary="Add a task with an owner")
async def add_task(case_id: DbId, body: TaskIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        cases_mod.owned_case(s, case_id)
        row = cases_mod.add_task(s, case_id, body.title, owner_user_id=body.owner_user_id,
                                 due_on=_date(body.due_on, "due_on"))
        return {"id": row.id, "title": row.title, "owner_user_id": row.owner_user_id}

    return await _run(caller, work)


@router.post("/cases/{case_id:int}/tasks/{case_task_id:int}/done", summary="Mark a task done")
async def complete_task(case_id: DbId, case_task_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = cases_mod.complete_task(s, case_id, case_task_id)
        return {"id": row.id, "done_at": row.done_at.isoformat() if row.done_at else None}

    return await _run(caller, work)


class StageIn(BaseModel):
    stage: str = Field(description=", ".join(cases_mod.STAGES), json_schema_extra=one_of(*cases_mod.STAGES))


@router.post("/cases/{case_id:int}/stage", summary="Move the case to a stage")
async def set_stage(case_id: DbId, body: StageIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: cases_mod.case_dict(s, cases_mod.set_stage(s, case_id, body.stage)))


class OutcomeIn(BaseModel):
    outcome: str = Field(description=", ".join(cases_mod.OUTCOMES), json_schema_extra=one_of(*cases_mod.OUTCOMES))
    note: str = Field(default="", max_length=5000)


@router.post("/cases/{case_id:int}/outcome", summary="Record the outcome (closes the case)")
async def set_outcome(case_id: DbId, body: OutcomeIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: cases_mod.case_dict(s, cases_mod.set_outcome(s, case_id, body.outcome,
                                                                                      body.note)))


class LinkIn(BaseModel):
    other_case_id: int = Field(ge=1, le=2_147_483_647)
    relation: str = Field(default="related_forum", description=", ".join(cases_mod.LINK_RELATIONS),
                          json_schema_extra=one_of(*cases_mod.LINK_RELATIONS))


@router.post("/cases/{case_id:int}/links", status_code=201, summary="Link a case in another forum or a co-respondent's")
async def link_case(case_id: DbId, body: LinkIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = cases_mod.link_cases(s, case_id, body.other_case_id, body.relation)
        return {"id": row.id, "other_case_id": row.other_case_id, "relation": row.relation}

    return await _run(caller, work)


@router.post("/cases/{case_id:int}/documents", status_code=201,
             summary="Upload a document (PDF, PNG, JPEG, DOCX, TXT; at most 10 MB)")
async def upload_document(case_id: DbId, file: UploadFile = File(...),
                          caller: Caller = Depends(require_org)) -> dict[str, Any]:
    data = await file.read(cases_mod.MAX_DOCUMENT_BYTES + 1)

    def work(s: Session) -> dict[str, Any]:
        cases_mod.owned_case(s, case_id)
        row = cases_mod.add_document(s, case_id, file.filename or "upload", file.content_type or "", data)
        return {"id": row.id, "filename": row.filename, "size": row.size, "content_type": row.content_type}

    return await _run(caller, work)


@router.get("/cases/{case_id:int}/documents/{document_id:int}", summary="Download a document")
async def download_document(case_id: DbId, document_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    row, data = await _run(caller, lambda s: cases_mod.read_document(s, case_id, document_id))
    return download_response(data, row.filename, row.content_type, fallback=f"document-{row.id}", untrusted=True)


class ShareIn(BaseModel):
    grantee_organisation_id: int = Field(ge=1, le=2_147_483_647,
                                         description="The guidance centre, station or expert organisation.")


@router.post("/cases/{case_id:int}/share", status_code=201, summary="Share the case (read-only, audited, revocable)")
async def share_case(case_id: DbId, body: ShareIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = cases_mod.share_case(s, case_id, body.grantee_organisation_id)
        return {"grant_id": row.id, "grantee_organisation_id": row.grantee_organisation_id}

    return await _run(caller, work)


@router.delete("/cases/{case_id:int}/share/{case_grant_id:int}", status_code=204, summary="Stop sharing the case")
async def unshare_case(case_id: DbId, case_grant_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    await _run(caller, lambda s: cases_mod.unshare_case(s, case_id, case_grant_id))
    return Response(status_code=204)


# --- exhibition stations ---------------------------------------------------------------------------------


class StationIn(BaseModel):
    fair: str = Field(min_length=1, max_length=300)
    starts_on: IsoDate
    ends_on: IsoDate
    venue: str = Field(default="", max_length=300)
    city: str = Field(default="", max_length=100)
    staff: list[str] = Field(default_factory=list)


@router.get("/stations", summary="Your stations (exhibition IP service stations)")
async def list_stations(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [st_mod.station_dict(r) for r in st_mod.list_stations(s)])


@router.post("/stations", status_code=201, summary="Register a station at a fair")
async def create_station(body: StationIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: st_mod.station_dict(st_mod.create_station(
        s, fair=body.fair, starts_on=body.starts_on, ends_on=body.ends_on, venue=body.venue, city=body.city,
        staff=body.staff)))


@router.get("/stations/{station_id:int}", summary="A station with its complaints and statistics")
async def get_station(station_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        return {**st_mod.station_dict(st_mod.get_station(s, station_id)),
                "complaints": [st_mod.complaint_dict(c) for c in st_mod.complaints_of(s, station_id)],
                "stats": st_mod.station_stats(s, station_id)}

    return await _run(caller, work)


class ComplaintIn(BaseModel):
    complainant: str = Field(min_length=1, max_length=300)
    respondent: str = Field(min_length=1, max_length=300)
    booth: str = Field(default="", max_length=50)
    right_type: str = Field(default="patent", description=", ".join(st_mod.RIGHT_TYPES))
    right_number: str = Field(default="", max_length=100)
    received_at: str | None = Field(default=None, description="YYYY-MM-DDTHH:MM (default now)")


@router.post("/stations/{station_id:int}/complaints", status_code=201, summary="Take in a complaint (24-hour clock)")
async def create_complaint(station_id: DbId, body: ComplaintIn,
                           caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        st_mod.get_station(s, station_id)
        return st_mod.complaint_dict(st_mod.receive_complaint(
            s, station_id, complainant=body.complainant, respondent=body.respondent, booth=body.booth,
            right_type=body.right_type, right_number=body.right_number,
            received_at=_datetime(body.received_at, "received_at")))

    return await _run(caller, work)


class ComplaintUpdate(BaseModel):
    checklist: dict[str, bool] = Field(default_factory=dict, description=", ".join(st_mod.CHECKLIST))
    answered_at: str | None = Field(default=None, description="When the exhibitor answered")
    outcome: str | None = Field(default=None, description=", ".join(st_mod.OUTCOMES[1:]))


@router.post("/complaints/{complaint_id:int}", summary="Tick the checklist, record the answer or the outcome")
async def update_complaint(complaint_id: DbId, body: ComplaintUpdate,
                           caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = st_mod.get_complaint(s, complaint_id)
        if body.checklist:
            st_mod.update_checklist(s, complaint_id, body.checklist)
        if body.answered_at:
            st_mod.record_answer(s, complaint_id, _datetime(body.answered_at, "answered_at"))
        if body.outcome:
            st_mod.set_outcome(s, complaint_id, body.outcome)
        return st_mod.complaint_dict(row)

    return await _run(caller, work)


# --- insurance -------------------------------------------------------------------------------------------


class PolicyBody(BaseModel):
    number: str = Field(min_length=1, max_length=100)
    insured_org_id: int = Field(ge=1, le=2_147_483_647)
    limit_amount: str = Field(description="Decimal amount")
    starts_on: IsoDate
    ends_on: IsoDate
    currency: str = Field(default="CNY", min_length=3, max_length=3)
    products: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)


@router.get("/policy-offers", summary="Policies offered to your enterprise, waiting for your answer")
async def list_policy_offers(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [ins_mod.policy_dict(p) for p in ins_mod.list_offers(s)])


class PolicyAnswerIn(BaseModel):
    decision: Literal["accept", "decline"]


@router.post("/policies/{policy_id:int}/answer",
             summary="Accept or decline a policy offered to your enterprise (it is in your list only once accepted)")
async def answer_policy(policy_id: DbId, body: PolicyAnswerIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: ins_mod.policy_dict(ins_mod.respond_to_policy(s, policy_id, body.decision)))


@router.get("/policies", summary="Policies you issued (insurer, with their status) or hold (enterprise, accepted)")
async def list_policies(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [ins_mod.policy_dict(p) for p in ins_mod.list_policies(s)])


@router.post("/policies", status_code=201, summary="Issue a policy (insurers only)")
async def create_policy(body: PolicyBody, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: ins_mod.policy_dict(ins_mod.issue_policy(s, ins_mod.PolicyIn(
        body.number, body.insured_org_id, body.limit_amount, body.starts_on, body.ends_on, body.currency,
        tuple(body.products), tuple(body.countries)))))


@router.get("/policies/{policy_id:int}", summary="One policy")
async def get_policy(policy_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: ins_mod.policy_dict(ins_mod.get_policy(s, policy_id)))


class ClaimIn(BaseModel):
    costs_incurred: str = Field(description="Decimal amount")
    currency: str = Field(default="CNY", min_length=3, max_length=3)
    case_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    note: str = Field(default="", max_length=5000)


@router.post("/policies/{policy_id:int}/claims", status_code=201, summary="Claim costs of a case (insured only)")
async def create_claim(policy_id: DbId, body: ClaimIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        ins_mod.get_policy(s, policy_id)
        return ins_mod.claim_dict(ins_mod.file_claim(s, policy_id, costs_incurred=body.costs_incurred,
                                                     currency=body.currency, case_id=body.case_id, note=body.note))

    return await _run(caller, work)


@router.get("/claims", summary="Claims you filed (enterprise) or received (insurer)")
async def list_claims(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [ins_mod.claim_dict(c) for c in ins_mod.list_claims(s)])


class ClaimDecision(BaseModel):
    status: str = Field(description="accepted, paid or rejected")


@router.post("/claims/{claim_id:int}/decision", summary="Decide a claim (the policy's insurer)")
async def decide_claim(claim_id: DbId, body: ClaimDecision, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: ins_mod.claim_dict(ins_mod.decide_claim(s, claim_id, body.status)))


# --- notifications ---------------------------------------------------------------------------------------


@router.get("/notifications", summary="Your in-app notifications")
async def list_notifications(unread: bool = Query(False),
                             caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    return await _run(caller, lambda s: [notify_mod.notification_dict(n) for n in notify_mod.list_notifications(
        s, caller.user_id, unread_only=unread)])


@router.post("/notifications/{notification_id:int}/read", summary="Mark a notification read")
async def read_notification(notification_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: notify_mod.notification_dict(notify_mod.mark_read(s, caller.user_id,
                                                                                          notification_id)))


class PrefsIn(BaseModel):
    email: str | None = Field(default=None, max_length=320)
    email_mode: str = Field(default="off", description="off, immediate or digest",
                            json_schema_extra=one_of("off", "immediate", "digest"))
    webhook_url: str | None = Field(default=None, max_length=500)


@router.put("/notifications/preferences", summary="Your e-mail and webhook preferences")
async def put_prefs(body: PrefsIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = notify_mod.set_preferences(s, caller.user_id, email=body.email, email_mode=body.email_mode,
                                         webhook_url=body.webhook_url)
        return {"email": row.email, "email_mode": row.email_mode, "webhook_url": row.webhook_url,
                "webhook_secret": row.webhook_secret}

    return await _run(caller, work)


# --- statistics ------------------------------------------------------------------------------------------


@router.get("/stats", summary="Case statistics by forum, country, industry, province, outcome; response time")
async def get_stats(caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, stats_mod.summary)


@router.get("/stats/export.csv", summary="CSV export of case counts by one dimension (lang en or zh_CN)")
async def export_stats(dimension: str = Query("forum", json_schema_extra=one_of(*stats_mod.DIMENSIONS)),
                       lang: ReportLang = "en",
                       caller: Caller = Depends(require_org)) -> Response:
    text = await _run(caller, lambda s: stats_mod.csv_export(s, dimension, lang))
    return download_response(text, f"cases-by-{dimension}.csv", "text/csv; charset=utf-8")


@router.get("/stats/report.pdf", summary="Yearly statistics report as PDF (lang zh_CN or en; counts only, no names)")
async def stats_report_pdf(lang: ReportLang = "en",
                           year: int | None = Query(None, ge=2000, le=2100),
                           caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.disputes import report as report_mod

    pdf = await _run(caller, lambda s: report_mod.render_pdf(s, lang, year))
    name = f"dispute-statistics-{year or 'all'}-{'zh_CN' if lang.startswith('zh') else 'en'}.pdf"
    return download_response(pdf, name, "application/pdf")


@router.get("/stats/chart", summary="Vega-Lite (Altair) chart of case counts by one dimension")
async def chart_stats(dimension: str = Query("forum", json_schema_extra=one_of(*stats_mod.DIMENSIONS)),
                      caller: Caller = Depends(require_org)) -> dict[str, Any]:
    return await _run(caller, lambda s: stats_mod.chart(s, dimension))
