"""``/api/v1/tm``: portfolios, variants, alerts and their workflow, watch runs, relationships,
notification channels (organisation-owned) and the register, quarantine and applicant profiles
(public register data, shared by every organisation)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool

from fenghuo.core import limits
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.history import AlertWithHistory
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.tm import alerts as alerts_mod
from fenghuo.tm import liveness
from fenghuo.tm import portfolio as portfolio_mod
from fenghuo.tm.alerts import STATES as ALERT_STATES
from fenghuo.tm.models import (
    BusinessRelationship,
    NotificationChannel,
    QuarantinedRecord,
    RegisterMark,
    WatchedMark,
    WatchRun,
)
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.records import PortfolioMark
from fenghuo.tm.variants import VARIANT_KINDS
from fenghuo.web.deps import Caller, caller_session, platform_session, require_org
from fenghuo.web.params import DbId, IsoDate, QueryId, one_of

router = APIRouter(prefix="/api/v1/tm", tags=["trademark early warning"])

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
CSV_TYPES = {"text/csv", "application/csv", "application/vnd.ms-excel", "text/plain", "application/octet-stream"}


#: A country or office code (WIPO ST.3): two letters.
ST3Code = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]


class VariantIO(BaseModel):
    text: str = Field(min_length=1, max_length=limits.VARIANT_CHARS)
    kind: str = Field(default="user", max_length=20, json_schema_extra=one_of(*VARIANT_KINDS))
    note: str = Field(default="", max_length=limits.VARIANT_NOTE_CHARS)
    enabled: StrictBool = True


class VariantOut(BaseModel):
    """A stored variant as shown (no input caps: what was stored is always shown)."""

    text: str
    kind: str
    note: str = ""
    enabled: StrictBool = True


class MarkIn(BaseModel):
    mark_id: str = Field(min_length=1, max_length=limits.MARK_ID_CHARS, description="Your own id of the mark.")
    mark: str = Field(min_length=1, max_length=limits.MARK_CHARS)
    classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(default_factory=list, max_length=45,
                               description="Nice classes; empty watches every class.")
    owner: str = Field(default="", max_length=limits.NAME_CHARS,
                       description="Your company name (your own filings are skipped).")
    jurisdictions: list[ST3Code] = Field(
        default_factory=list, max_length=300, description="ST.3 codes; empty = everywhere.")
    aliases: list[Annotated[str, Field(max_length=limits.ALIAS_CHARS)]] = Field(default_factory=list,
                                                                                max_length=limits.ALIASES_MAX)


class MarkPatch(BaseModel):
    mark: str | None = Field(default=None, min_length=1, max_length=limits.MARK_CHARS)
    classes: list[Annotated[int, Field(ge=1, le=45)]] | None = Field(default=None, max_length=45)
    owner: str | None = Field(default=None, max_length=limits.NAME_CHARS)
    jurisdictions: list[ST3Code] | None = Field(default=None, max_length=300)
    aliases: list[Annotated[str, Field(max_length=limits.ALIAS_CHARS)]] | None = Field(
        default=None, max_length=limits.ALIASES_MAX)


class MarkOut(BaseModel):
    id: int
    mark_id: str
    mark: str
    classes: list[int]
    owner: str
    jurisdictions: list[str]
    aliases: list[str]
    variants: list[VariantOut]
    variants_edited: StrictBool
    active: StrictBool


class ImportOut(BaseModel):
    created: int
    updated: int
    errors: list[dict[str, str | None]]


class StateIn(BaseModel):
    state: str = Field(description="new, reviewing, action_taken or dismissed",
                       json_schema_extra=one_of(*ALERT_STATES))
    reason: str | None = Field(default=None, max_length=2000, description="Required to dismiss.")


class RunIn(BaseModel):
    min_score: int | None = Field(default=None, ge=0, le=100, strict=True)


class RunOut(BaseModel):
    id: int
    started_at: datetime
    finished_at: datetime | None
    engine: str
    min_score: int
    marks_watched: int
    records_scanned: int
    candidates: int
    pairs_assessed: int
    alerts_new: int
    alerts_updated: int
    status: str
    error: str | None


class RelationshipIn(BaseModel):
    counterpart_name: str = Field(min_length=1, max_length=500)
    relation: str = Field(default="distributor", description="distributor, agent or licensee",
                          json_schema_extra=one_of("distributor", "agent", "licensee"))
    country: str | None = Field(default=None, min_length=2, max_length=2)
    since: IsoDate | None = None
    until: IsoDate | None = None
    note: str | None = Field(default=None, max_length=2000)


class RelationshipOut(BaseModel):
    id: int
    counterpart_name: str
    relation: str
    country: str | None
    since: IsoDate | None
    until: IsoDate | None
    note: str | None


class ChannelIn(BaseModel):
    kind: str = Field(description="email or webhook", json_schema_extra=one_of("email", "webhook"))
    target: str = Field(min_length=3, max_length=500)
    mode: str = Field(default="immediate", description="immediate or digest",
                      json_schema_extra=one_of("immediate", "digest"))
    min_level: str = Field(default="medium", description="high, medium or low",
                           json_schema_extra=one_of("high", "medium", "low"))


class ChannelOut(BaseModel):
    id: int
    kind: str
    target: str
    mode: str
    min_level: str
    active: StrictBool
    last_sent_at: datetime | None
    secret: str | None = Field(default=None, description="Webhook signing secret, only in the create response.")


async def read_portfolio_upload(file: UploadFile, *, require_name: bool) -> bytes:
    """The bytes of an uploaded portfolio CSV within the size and type limits (API and page alike).

    ``require_name``: a browser always sends a file name; an API client may leave it out."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=MAX_UPLOAD_BYTES // (1024 * 1024)),
                               field="file", record=file.filename or "upload")
    name = file.filename or ("" if require_name else "upload.csv")
    if (file.content_type or "").split(";")[0] not in CSV_TYPES or not name.lower().endswith((".csv", ".txt")):
        raise ValidationFailed(_("upload a .csv file (got %(type)s)", type=file.content_type or "?"), field="file",
                               record=file.filename or "upload")
    return data


def _mark_out(row: WatchedMark) -> MarkOut:
    return MarkOut(id=row.id, mark_id=row.mark_id, mark=row.mark, classes=list(row.classes or []),
                   owner=row.owner or "", jurisdictions=list(row.jurisdictions or []),
                   aliases=list(row.aliases or []), variants=[VariantOut(**v) for v in row.variants or []],
                   variants_edited=row.variants_edited, active=row.active)


def _run_out(row: WatchRun) -> RunOut:
    # A run whose process died shows as interrupted at once (a GET writes nothing; the next run stores it).
    stale = liveness.stale_reason(row)
    return RunOut(id=row.id, started_at=row.started_at, finished_at=row.finished_at, engine=row.engine,
                  min_score=row.min_score, marks_watched=row.marks_watched, records_scanned=row.records_scanned,
                  candidates=row.candidates, pairs_assessed=row.pairs_assessed, alerts_new=row.alerts_new,
                  alerts_updated=row.alerts_updated, status="interrupted" if stale else row.status,
                  error=stale or (row.error if row.status != "running" else None))  # not the owner marker


# --- portfolio -------------------------------------------------------------------------------------------


@router.get("/marks", response_model=list[MarkOut], summary="Your watched marks")
async def list_marks(caller: Caller = Depends(require_org)) -> list[MarkOut]:
    def load() -> list[MarkOut]:
        with caller_session(caller) as s:
            return [_mark_out(m) for m in portfolio_mod.list_marks(s)]

    return await run_in_threadpool(load)


@router.post("/marks", response_model=MarkOut, status_code=201, summary="Watch a mark (create or update by mark_id)")
async def create_mark(body: MarkIn, caller: Caller = Depends(require_org)) -> MarkOut:
    def create() -> MarkOut:
        assert caller.org_id is not None
        with caller_session(caller) as s:
            row, _created = portfolio_mod.upsert_mark(s, caller.org_id, PortfolioMark(
                body.mark_id.strip(), body.mark.strip(), tuple(body.classes), body.owner.strip(),
                tuple(j.upper() for j in body.jurisdictions), tuple(a.strip() for a in body.aliases if a.strip())))
            return _mark_out(row)

    return await run_in_threadpool(create)


@router.post("/marks/import", response_model=ImportOut, summary="Import marks from a portfolio CSV")
async def import_marks(file: UploadFile = File(..., description="CSV: mark_id, mark, classes, owner "
                                                "[, jurisdictions, aliases]; at most 2 MB"),
                       caller: Caller = Depends(require_org)) -> ImportOut:
    data = await read_portfolio_upload(file, require_name=False)

    def run() -> ImportOut:
        import tempfile
        from pathlib import Path

        assert caller.org_id is not None
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "portfolio.csv"
            path.write_bytes(data)
            marks, errors = read_portfolio(path)
        with caller_session(caller) as s:
            created, updated = portfolio_mod.import_marks(s, caller.org_id, marks)
        return ImportOut(created=created, updated=updated, errors=[
            {"record": e.record, "field": e.field, "message": e.reason} for e in errors])

    return await run_in_threadpool(run)


@router.get("/marks/{mark_id:int}", response_model=MarkOut, summary="One watched mark with its variants")
async def get_mark(mark_id: DbId, caller: Caller = Depends(require_org)) -> MarkOut:
    def load() -> MarkOut:
        with caller_session(caller) as s:
            return _mark_out(portfolio_mod.get_mark(s, mark_id))

    return await run_in_threadpool(load)


@router.patch("/marks/{mark_id:int}", response_model=MarkOut, summary="Change a watched mark")
async def patch_mark(mark_id: DbId, body: MarkPatch, caller: Caller = Depends(require_org)) -> MarkOut:
    def change() -> MarkOut:
        assert caller.org_id is not None
        with caller_session(caller) as s:
            row = portfolio_mod.get_mark(s, mark_id)
            merged = PortfolioMark(row.mark_id, body.mark if body.mark is not None else row.mark,
                                   tuple(body.classes if body.classes is not None else row.classes or []),
                                   body.owner if body.owner is not None else row.owner,
                                   tuple(j.upper() for j in (body.jurisdictions if body.jurisdictions is not None
                                                             else row.jurisdictions or [])),
                                   tuple(body.aliases if body.aliases is not None else row.aliases or []))
            updated, _created = portfolio_mod.upsert_mark(s, caller.org_id, merged)
            return _mark_out(updated)

    return await run_in_threadpool(change)


@router.delete("/marks/{mark_id:int}", status_code=204, summary="Stop watching a mark (alerts are kept)")
async def delete_mark(mark_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def delete() -> None:
        with caller_session(caller) as s:
            portfolio_mod.deactivate(s, portfolio_mod.get_mark(s, mark_id))

    await run_in_threadpool(delete)
    return Response(status_code=204)


@router.put("/marks/{mark_id:int}/variants", response_model=MarkOut, summary="Replace the variants with your edits")
async def put_variants(mark_id: DbId, body: list[VariantIO], caller: Caller = Depends(require_org)) -> MarkOut:
    def change() -> MarkOut:
        with caller_session(caller) as s:
            row = portfolio_mod.set_variants(s, portfolio_mod.get_mark(s, mark_id), [v.model_dump() for v in body])
            return _mark_out(row)

    return await run_in_threadpool(change)


@router.post("/marks/{mark_id:int}/variants/reset", response_model=MarkOut, summary="Regenerate the variants")
async def reset_variants(mark_id: DbId, caller: Caller = Depends(require_org)) -> MarkOut:
    def change() -> MarkOut:
        with caller_session(caller) as s:
            return _mark_out(portfolio_mod.reset_variants(s, portfolio_mod.get_mark(s, mark_id)))

    return await run_in_threadpool(change)


# --- alerts ----------------------------------------------------------------------------------------------


@router.get("/alerts", summary="Alert inbox (most urgent deadline first)")
async def list_alerts(
    level: str | None = Query(None, description="high, medium or low",
                              json_schema_extra=one_of("high", "medium", "low", None)),
    state: str | None = Query(None, description="new, reviewing, action_taken or dismissed",
                              json_schema_extra=one_of(*ALERT_STATES, None)),
    office: str | None = Query(None, max_length=8),
    nice_class: int | None = Query(None, alias="class", ge=1, le=45),
    deadline_before: IsoDate | None = Query(None),
    watched_mark_id: QueryId = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=DB_ID_MAX),
    caller: Caller = Depends(require_org),
) -> list[dict[str, Any]]:
    flt = alerts_mod.AlertFilter(level, office, nice_class, state, deadline_before, watched_mark_id)

    def load() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            return [alerts_mod.alert_dict(a) for a in alerts_mod.list_alerts(s, flt, limit=limit, offset=offset)]

    return await run_in_threadpool(load)


@router.get("/alerts/{alert_id:int}", summary="One alert: both marks, reasons, deadline, remedy and review history",
            response_model=AlertWithHistory)
async def get_alert(alert_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            alert = alerts_mod.get_alert(s, alert_id)
            return {**alerts_mod.alert_dict(alert), "history": alerts_mod.alert_history(s, alert)}

    return await run_in_threadpool(load)


@router.post("/alerts/{alert_id:int}/state", summary="Move an alert through the review workflow (kept in its history)",
             response_model=AlertWithHistory)
async def set_alert_state(alert_id: DbId, body: StateIn, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def change() -> dict[str, Any]:
        with caller_session(caller) as s:
            alert = alerts_mod.set_state(s, alerts_mod.get_alert(s, alert_id), body.state, body.reason)
            return {**alerts_mod.alert_dict(alert), "history": alerts_mod.alert_history(s, alert)}

    return await run_in_threadpool(change)


# --- runs ------------------------------------------------------------------------------------------------


@router.get("/runs", response_model=list[RunOut], summary="Watch-run history")
async def list_runs(caller: Caller = Depends(require_org)) -> list[RunOut]:
    def load() -> list[RunOut]:
        with caller_session(caller) as s:
            return [_run_out(r) for r in s.scalars(select(WatchRun).order_by(WatchRun.id.desc()).limit(200))]

    return await run_in_threadpool(load)


@router.post("/runs", response_model=RunOut, status_code=201, summary="Run the watch now")
async def start_run(body: RunIn, caller: Caller = Depends(require_org)) -> RunOut:
    def run() -> RunOut:
        from fenghuo.tm.runs import run_for_org

        assert caller.org_id is not None
        return _run_out(run_for_org(caller.org_id, min_score=body.min_score, user_id=caller.user_id, workers=1))

    return await run_in_threadpool(run)


@router.get("/runs/{run_id:int}", response_model=RunOut, summary="One watch run")
async def get_run(run_id: DbId, caller: Caller = Depends(require_org)) -> RunOut:
    def load() -> RunOut:
        with caller_session(caller) as s:
            row = s.scalar(select(WatchRun).where(WatchRun.id == run_id))
            if row is None:
                raise NotFound(_("No such watch run: %(id)s", id=run_id))
            return _run_out(row)

    return await run_in_threadpool(load)


# --- relationships and channels --------------------------------------------------------------------------


@router.get("/relationships", response_model=list[RelationshipOut], summary="Your partners abroad")
async def list_relationships(caller: Caller = Depends(require_org)) -> list[RelationshipOut]:
    def load() -> list[RelationshipOut]:
        with caller_session(caller) as s:
            return [RelationshipOut.model_validate(r, from_attributes=True)
                    for r in s.scalars(select(BusinessRelationship).order_by(BusinessRelationship.id))]

    return await run_in_threadpool(load)


@router.post("/relationships", response_model=RelationshipOut, status_code=201,
             summary="Record a distributor, agent or licensee (Paris Art. 6septies evidence)")
async def create_relationship(body: RelationshipIn, caller: Caller = Depends(require_org)) -> RelationshipOut:
    if body.relation not in ("distributor", "agent", "licensee"):
        raise ValidationFailed(_("must be one of %(values)s", values="distributor, agent, licensee"),
                               field="relation")

    def create() -> RelationshipOut:
        from fenghuo.tm.squatters import relationship_key

        with caller_session(caller) as s:
            row = BusinessRelationship(organisation_id=caller.org_id, counterpart_name=body.counterpart_name.strip(),
                                       counterpart_key=relationship_key(body.counterpart_name),
                                       relation=body.relation, country=body.country.upper() if body.country else None,
                                       since=body.since, until=body.until, note=body.note)
            s.add(row)
            s.flush()
            return RelationshipOut.model_validate(row, from_attributes=True)

    return await run_in_threadpool(create)


@router.delete("/relationships/{relationship_id:int}", status_code=204, summary="Delete a relationship")
async def delete_relationship(relationship_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def delete() -> None:
        with caller_session(caller) as s:
            row = s.scalar(select(BusinessRelationship).where(BusinessRelationship.id == relationship_id))
            if row is None:
                raise NotFound(_("No such relationship: %(id)s", id=relationship_id))
            s.delete(row)

    await run_in_threadpool(delete)
    return Response(status_code=204)


@router.get("/channels", response_model=list[ChannelOut], summary="Notification channels")
async def list_channels(caller: Caller = Depends(require_org)) -> list[ChannelOut]:
    def load() -> list[ChannelOut]:
        with caller_session(caller) as s:
            return [ChannelOut(id=c.id, kind=c.kind, target=c.target, mode=c.mode, min_level=c.min_level,
                               active=c.active, last_sent_at=c.last_sent_at)
                    for c in s.scalars(select(NotificationChannel).order_by(NotificationChannel.id))]

    return await run_in_threadpool(load)


@router.post("/channels", response_model=ChannelOut, status_code=201, summary="Add an e-mail or webhook channel")
async def create_channel(body: ChannelIn, caller: Caller = Depends(require_org)) -> ChannelOut:
    def create() -> ChannelOut:
        from fenghuo.tm.notify import create_channel as create

        assert caller.org_id is not None
        with caller_session(caller) as s:
            c = create(s, caller.org_id, body.kind, body.target, mode=body.mode, min_level=body.min_level)
            return ChannelOut(id=c.id, kind=c.kind, target=c.target, mode=c.mode, min_level=c.min_level,
                              active=c.active, last_sent_at=c.last_sent_at, secret=c.secret)

    return await run_in_threadpool(create)


@router.delete("/channels/{channel_id:int}", status_code=204, summary="Remove a channel")
async def delete_channel(channel_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def delete() -> None:
        from fenghuo.tm.notify import delete_channel as remove

        with caller_session(caller) as s:
            remove(s, channel_id)

    await run_in_threadpool(delete)
    return Response(status_code=204)


# --- the public register ---------------------------------------------------------------------------------


def register_dict(row: RegisterMark) -> dict[str, Any]:
    return {"id": row.id, "global_id": row.global_id, "office": row.office,
            "application_number": row.application_number, "registration_number": row.registration_number,
            "mark": row.mark_text, "feature": row.feature, "status": row.status, "office_status": row.office_status,
            "classes": row.nice_classes, "applicant": row.applicant_name, "applicant_country": row.applicant_country,
            "applicant_key": row.applicant_key,
            "application_date": row.application_date.isoformat() if row.application_date else None,
            "publication_date": row.publication_date.isoformat() if row.publication_date else None,
            "registration_date": row.registration_date.isoformat() if row.registration_date else None}


@router.get("/register", summary="Search the ingested register")
async def search_register(
    q: str | None = Query(None, max_length=200, description="Text in the mark or the applicant"),
    office: str | None = Query(None, max_length=8),
    limit: int = Query(50, ge=1, le=500),
    caller: Caller = Depends(require_org),
) -> list[dict[str, Any]]:
    def load() -> list[dict[str, Any]]:
        with platform_session(caller) as s:
            query = select(RegisterMark).order_by(RegisterMark.id).limit(limit)
            if q:
                like = f"%{q.strip()}%"
                query = query.where(or_(RegisterMark.mark_text.ilike(like), RegisterMark.applicant_name.ilike(like),
                                        RegisterMark.application_number == q.strip()))
            if office:
                query = query.where(RegisterMark.office == office.upper())
            return [register_dict(r) for r in s.scalars(query)]

    return await run_in_threadpool(load)


@router.get("/register/{register_id:int}", summary="One register record, as normalized")
async def get_register_mark(register_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        with platform_session(caller) as s:
            row = s.get(RegisterMark, register_id)
            if row is None:
                raise NotFound(_("No such register record: %(id)s", id=register_id))
            return {**register_dict(row), "record": row.record}

    return await run_in_threadpool(load)


@router.get("/register/applicants/{applicant_key}", summary="Applicant profile: filings and squatting evidence")
async def applicant_profile(applicant_key: str, caller: Caller = Depends(require_org)) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        from fenghuo.tm.squatters import evidence_for

        with platform_session(caller) as s:
            filings = list(s.scalars(select(RegisterMark).where(RegisterMark.applicant_key == applicant_key)
                                     .order_by(RegisterMark.application_date)))
            if not filings:
                raise NotFound(_("No such applicant: %(key)s", key=applicant_key))
            evidence = evidence_for(s, applicant_key, caller.org_id)
            return {"applicant_key": applicant_key, "name": filings[0].applicant_name,
                    "country": evidence.country, "filings": [register_dict(r) for r in filings],
                    "evidence": evidence.messages(), "strength": round(evidence.strength, 2),
                    "other_organisations": evidence.other_organisations,
                    "chinese_like": evidence.chinese_like, "relationships": evidence.relationships,
                    "fair_filings": [{"mark": m, "fair": f} for m, f in evidence.fair_filings]}

    return await run_in_threadpool(load)


@router.get("/quarantine", summary="Register records that could not be ingested")
async def list_quarantine(caller: Caller = Depends(require_org)) -> list[dict[str, Any]]:
    def load() -> list[dict[str, Any]]:
        with platform_session(caller) as s:
            rows = s.scalars(select(QuarantinedRecord).where(QuarantinedRecord.resolved_at.is_(None))
                             .order_by(QuarantinedRecord.id).limit(1000))
            return [{"id": r.id, "source": r.source, "record": r.record, "field": r.field, "reason": r.reason}
                    for r in rows]

    return await run_in_threadpool(load)

