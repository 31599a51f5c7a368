"""``/api/v1/filing``: route planning and PPH checks (computations on public reference data) and
the organisation's docket (saved plans, deadlines, iCalendar export)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, StrictBool
from starlette.concurrency import run_in_threadpool

from fenghuo.filing import docket as docket_mod
from fenghuo.filing.application import Application, make_application, parse_targets
from fenghuo.web.deps import Caller, caller_session, require_caller, require_org
from fenghuo.web.downloads import download_response
from fenghuo.web.params import DbId, IsoDate, one_of

router = APIRouter(prefix="/api/v1/filing", tags=["overseas filing planner"])


def _target_codes() -> list[str]:
    from fenghuo.reference import list_jurisdictions

    return sorted(j.code for j in list_jurisdictions() if j.code != "CN")


#: A target office or country: the OpenAPI document lists the codes the planner knows.
TargetCode = Annotated[str, Field(max_length=8, json_schema_extra={"enum": _target_codes()})]


class ApplicationIn(BaseModel):
    type: Literal["invention", "utility_model", "design", "trademark"] = Field(
        description="invention, utility_model, design or trademark")
    filed: IsoDate = Field(description="Chinese filing date YYYY-MM-DD")
    targets: list[TargetCode] = Field(min_length=1, max_length=60,
                                      description="ST.3 codes, e.g. [\"US\", \"EP\", \"SA\"]")
    priority: IsoDate | None = Field(default=None, description="Earliest priority date, if any")
    pct_number: str | None = Field(default=None, max_length=40, description="PCT/CN2026/000123")
    pct_filed: IsoDate | None = None
    madrid_number: str | None = Field(default=None, max_length=40)
    madrid_date: IsoDate | None = None
    as_of: IsoDate | None = Field(default=None, description="Planning date (default today)")
    title: str = Field(default="", max_length=300)


class PlanIn(ApplicationIn):
    reminder_email: str | None = Field(default=None, max_length=320)


class RecomputeIn(BaseModel):
    as_of: IsoDate | None = None


class ClaimsIn(BaseModel):
    allowed: str = Field(min_length=1, max_length=200_000, description="Claims CNIPA found allowable")
    examined: str = Field(min_length=1, max_length=200_000, description="Claims to be examined")


class EntryPatch(BaseModel):
    done: StrictBool


def _iso(value: IsoDate | None) -> str | None:
    return value.isoformat() if value is not None else None


def _application(body: ApplicationIn) -> tuple[Application, list[str], date]:
    app = make_application(body.type, body.filed.isoformat(), priority=_iso(body.priority),
                           pct_number=body.pct_number, pct_filed=_iso(body.pct_filed),
                           madrid_number=body.madrid_number, madrid_date=_iso(body.madrid_date), title=body.title)
    return app, parse_targets(body.targets), body.as_of or date.today()


@router.post("/plan")
async def compute_plan(body: ApplicationIn, caller: Caller = Depends(require_caller)) -> dict[str, Any]:
    """Routes per target with deadlines and fees (nothing saved)."""
    from fenghuo.filing.planner import plan

    def run() -> dict[str, Any]:
        app, targets, day = _application(body)
        return plan(app, targets, day).to_dict()

    return await run_in_threadpool(run)


@router.get("/pph/check")
async def pph_check(office: str = Query(..., pattern=r"^\s*[A-Za-z]{2}\s*$", max_length=8),
                    programme: str | None = Query(None, max_length=20,
                                                  json_schema_extra=one_of("bilateral", "ip5", "pct-pph", None)),
                    caller: Caller = Depends(require_caller)) -> dict[str, object]:
    from fenghuo.filing.pph import check

    return check(office, programme).to_dict()


@router.get("/pph/partners")
async def pph_partners(caller: Caller = Depends(require_caller)) -> list[dict[str, object]]:
    from fenghuo.filing.pph import PROGRAMMES, partners

    return [{"code": p.code, "office": p.office, "programmes": {k: p.offers(k) for k in PROGRAMMES},
             "start_date": p.start_date, "status": p.status, "confirmed": p.confirmed, "source": p.source,
             "as_of": p.as_of} for p in partners().values()]


@router.post("/pph/claims")
async def pph_claims(body: ClaimsIn, caller: Caller = Depends(require_caller)) -> dict[str, object]:
    from fenghuo.filing.claims import correspond

    rows = await run_in_threadpool(correspond, body.allowed, body.examined)
    return {"all_correspond": all(r.corresponds for r in rows), "claims": [r.to_dict() for r in rows]}


@router.get("/plans")
async def list_plans(caller: Caller = Depends(require_org)) -> list[dict[str, object]]:
    def load() -> list[dict[str, object]]:
        with caller_session(caller) as s:
            return [docket_mod.plan_dict(p) for p in docket_mod.list_plans(s)]

    return await run_in_threadpool(load)


@router.post("/plans", status_code=201)
async def save_plan(body: PlanIn, caller: Caller = Depends(require_org)) -> dict[str, object]:
    def save() -> dict[str, object]:
        assert caller.org_id is not None
        app, targets, day = _application(body)
        with caller_session(caller) as s:
            row = docket_mod.save_plan(s, caller.org_id, app, targets, day, title=body.title,
                                       reminder_email=body.reminder_email)
            return {**docket_mod.plan_dict(row, with_result=True),
                    "entries": [docket_mod.entry_dict(e) for e in docket_mod.list_entries(s, plan_id=row.id)]}

    return await run_in_threadpool(save)


@router.get("/plans/{plan_id:int}")
async def get_plan(plan_id: DbId, caller: Caller = Depends(require_org)) -> dict[str, object]:
    def load() -> dict[str, object]:
        with caller_session(caller) as s:
            row = docket_mod.get_plan(s, plan_id)
            return {**docket_mod.plan_dict(row, with_result=True),
                    "entries": [docket_mod.entry_dict(e) for e in
                                docket_mod.list_entries(s, plan_id=row.id, include_cancelled=True)]}

    return await run_in_threadpool(load)


@router.post("/plans/{plan_id:int}/recompute")
async def recompute_plan(plan_id: DbId, body: RecomputeIn, caller: Caller = Depends(require_org)) -> dict[str, int]:
    def run() -> dict[str, int]:
        with caller_session(caller) as s:
            return docket_mod.recompute(s, docket_mod.get_plan(s, plan_id),
                                        as_of=body.as_of).to_dict()

    return await run_in_threadpool(run)


@router.delete("/plans/{plan_id:int}", status_code=204)
async def delete_plan(plan_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            docket_mod.delete_plan(s, plan_id)

    await run_in_threadpool(run)
    return Response(status_code=204)


@router.get("/docket")
async def docket(start: IsoDate | None = None, end: IsoDate | None = None, include_cancelled: bool = False,
                 caller: Caller = Depends(require_org)) -> list[dict[str, object]]:
    def load() -> list[dict[str, object]]:
        with caller_session(caller) as s:
            return [docket_mod.entry_dict(e) for e in
                    docket_mod.list_entries(s, include_cancelled=include_cancelled, start=start, end=end)]

    return await run_in_threadpool(load)


@router.patch("/docket/{entry_id:int}")
async def patch_entry(entry_id: DbId, body: EntryPatch, caller: Caller = Depends(require_org)) -> dict[str, object]:
    def run() -> dict[str, object]:
        with caller_session(caller) as s:
            return docket_mod.entry_dict(docket_mod.set_done(s, entry_id, body.done))

    return await run_in_threadpool(run)


@router.get("/docket.ics")
async def docket_ics(caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.filing.ics import to_ics

    def load() -> bytes:
        with caller_session(caller) as s:
            return to_ics(docket_mod.list_entries(s, include_cancelled=True))

    return download_response(await run_in_threadpool(load), "fenghuo-docket.ics", "text/calendar; charset=utf-8")
