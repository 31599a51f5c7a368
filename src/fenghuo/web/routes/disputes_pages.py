"""Dispute pages: overview (alerts, cases, review queue, notifications, event form and import),
alert detail with its first clock, case file (clocks, tasks, documents, sharing, timeline) and
statistics. Forms carry the session's CSRF token; every session is the caller's (tenancy filter)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Organisation, OrgKind
from fenghuo.disputes import cases as cases_mod
from fenghuo.disputes import events as events_mod
from fenghuo.disputes import notify as notify_mod
from fenghuo.disputes import routing
from fenghuo.disputes import stats as stats_mod
from fenghuo.web.deps import Caller, caller_session, require_org
from fenghuo.web.routes.api_disputes import _intake
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)
PageId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _overview(caller: Caller, import_result: dict[str, Any] | None = None) -> dict[str, Any]:
    with caller_session(caller) as s:
        return {"alerts": [routing.alert_dict(a) for a in routing.list_alerts(s)],
                "cases": [cases_mod.case_dict(s, c) for c in cases_mod.list_cases(s)],
                "queue": [routing.match_dict(m) for m in routing.review_queue(s)],
                "notifications": [notify_mod.notification_dict(n) for n in notify_mod.list_notifications(
                    s, caller.user_id, unread_only=True)][:20],
                "kinds": events_mod.KINDS, "import_result": import_result}


@router.get("/disputes")
async def overview(request: Request, caller: Caller = Depends(require_org)) -> Response:
    return render(request, "disputes/overview.html", await run_in_threadpool(_overview, caller))


@router.post("/disputes/events")
async def report_event(request: Request, caller: Caller = Depends(require_org), kind: str = Form(...),
                       number: str = Form(..., max_length=120), title: str = Form("", max_length=500),
                       country: str = Form("", max_length=2), filed_on: str = Form(""), served_on: str = Form(""),
                       complainants: str = Form(""), respondents: str = Form(""), stores: str = Form("")) -> Response:
    def go() -> dict[str, Any]:
        raw = {"kind": kind, "number": number, "title": title, "country": country, "filed_on": filed_on,
               "served_on": served_on, "complainants": complainants, "respondents": respondents, "stores": stores}
        try:
            rec = events_mod.parse_record(raw, number or "form", source="form")
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
        return _intake(caller, records, errors)

    result = await run_in_threadpool(go)
    return render(request, "disputes/overview.html", await run_in_threadpool(_overview, caller, result))


@router.post("/disputes/matches/{match_id}/review")
async def review(request: Request, match_id: PageId, decision: str = Form(...),
                 caller: Caller = Depends(require_org)) -> Response:
    assert caller.org_id is not None
    await run_in_threadpool(routing.review_match, caller.org_id, caller.user_id, match_id, decision)
    return RedirectResponse("/disputes", status_code=303)


@router.get("/disputes/alerts/{alert_id}")
async def alert_page(request: Request, alert_id: PageId, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            return {"alert": routing.alert_dict(routing.get_alert(s, alert_id))}

    return render(request, "disputes/alert.html", await run_in_threadpool(load))


@router.post("/disputes/alerts/{alert_id}/case")
async def open_case(request: Request, alert_id: PageId, caller: Caller = Depends(require_org)) -> Response:
    def go() -> int:
        with caller_session(caller) as s:
            return cases_mod.open_from_alert(s, alert_id).id

    return RedirectResponse(f"/disputes/cases/{await run_in_threadpool(go)}", status_code=303)


@router.get("/disputes/cases/{case_id}")
async def case_page(request: Request, case_id: PageId, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            case = cases_mod.case_dict(s, cases_mod.get_case(s, case_id), detail=True)
            targets = [{"id": o.id, "name": o.name} for o in s.scalars(select(Organisation).where(
                Organisation.kind.in_([OrgKind.GUIDANCE_CENTRE.value, OrgKind.EXHIBITION_STATION.value,
                                       OrgKind.TRADE_PROMOTION.value]), Organisation.id != caller.org_id)
                .order_by(Organisation.name))]
            return {"case": case, "share_targets": targets}

    return render(request, "disputes/case.html", await run_in_threadpool(load))


@router.post("/disputes/cases/{case_id}/documents")
async def upload(request: Request, case_id: PageId, file: UploadFile = File(...),
                 caller: Caller = Depends(require_org)) -> Response:
    data = await file.read(cases_mod.MAX_DOCUMENT_BYTES + 1)

    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.add_document(s, case_id, file.filename or "upload", file.content_type or "", data)

    await run_in_threadpool(go)
    return RedirectResponse(f"/disputes/cases/{case_id}", status_code=303)


@router.post("/disputes/cases/{case_id}/share")
async def share(request: Request, case_id: PageId, grantee_organisation_id: int = Form(..., ge=1),
                caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.share_case(s, case_id, grantee_organisation_id)

    await run_in_threadpool(go)
    return RedirectResponse(f"/disputes/cases/{case_id}", status_code=303)


@router.post("/disputes/cases/{case_id}/clocks/{clock_id}/met")
async def clock_met(request: Request, case_id: PageId, clock_id: PageId,
                    caller: Caller = Depends(require_org)) -> Response:
    def go() -> None:
        with caller_session(caller) as s:
            cases_mod.meet_clock(s, case_id, clock_id)

    await run_in_threadpool(go)
    return RedirectResponse(f"/disputes/cases/{case_id}", status_code=303)


@router.get("/disputes/stats")
async def stats_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            return {"stats": stats_mod.summary(s), "dimensions": stats_mod.DIMENSIONS}

    return render(request, "disputes/stats.html", await run_in_threadpool(load))
