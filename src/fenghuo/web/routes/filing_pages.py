"""Filing planner pages: the planner form and side-by-side result, saved plans, the docket calendar
(month view) with iCalendar download, and the PPH check with claim correspondence."""

from __future__ import annotations

import calendar as pycal
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.filing import docket as docket_mod
from fenghuo.filing.application import make_application, parse_date, parse_targets
from fenghuo.web import flash
from fenghuo.web.deps import Caller, caller_session, require_org
from fenghuo.web.downloads import download_response
from fenghuo.web.params import DbId

router = APIRouter(include_in_schema=False)
TYPES = ("invention", "utility_model", "design", "trademark")


def _form_application(form: dict[str, str]) -> tuple[Any, list[str], date]:
    app = make_application(form.get("type", ""), form.get("filed", ""), priority=form.get("priority") or None,
                           pct_number=form.get("pct_number") or None, pct_filed=form.get("pct_filed") or None,
                           madrid_number=form.get("madrid_number") or None,
                           madrid_date=form.get("madrid_date") or None, title=form.get("title", ""))
    return app, parse_targets(form.get("targets", "")), parse_date(form.get("as_of"), "as_of") or date.today()


async def _form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {k: str(v).strip() for k, v in data.items() if k != "csrf_token"}


@router.get("/filing")
async def planner_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> list[Any]:
        with caller_session(caller) as s:
            return docket_mod.list_plans(s)

    return render(request, "filing/planner.html", {"types": TYPES, "form": {"type": "invention"},
                                                   "plans": await run_in_threadpool(load), "result": None})


@router.post("/filing")
async def planner_compute(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.filing.planner import plan
    from fenghuo.web.templating import render

    form = await _form(request)

    def run() -> tuple[dict[str, Any], list[Any]]:
        app, targets, day = _form_application(form)
        with caller_session(caller) as s:
            return plan(app, targets, day).to_dict(), docket_mod.list_plans(s)

    result, plans = await run_in_threadpool(run)
    return render(request, "filing/planner.html", {"types": TYPES, "form": form, "result": result, "plans": plans})


@router.get("/filing/plans")
async def plans_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    """The saved plans (the collection the planner's "Save to docket" posts to)."""
    from fenghuo.web.templating import render

    def load() -> list[Any]:
        with caller_session(caller) as s:
            return docket_mod.list_plans(s)

    return render(request, "filing/plans.html", {"plans": await run_in_threadpool(load)})


@router.post("/filing/plans")
async def save_plan(request: Request, caller: Caller = Depends(require_org)) -> Response:
    form = await _form(request)

    def run() -> int:
        assert caller.org_id is not None
        app, targets, day = _form_application(form)
        with caller_session(caller) as s:
            return docket_mod.save_plan(s, caller.org_id, app, targets, day, title=form.get("title", ""),
                                        reminder_email=form.get("reminder_email") or None).id

    pk = await run_in_threadpool(run)
    return flash.redirect(f"/filing/plans/{pk}", _("Plan saved to the docket; its deadlines are in the calendar."))


@router.get("/filing/plans/{plan_pk}")
async def plan_page(request: Request, plan_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = docket_mod.get_plan(s, plan_pk)
            return {"plan": docket_mod.plan_dict(row, with_result=True),
                    "entries": [docket_mod.entry_dict(e) for e in
                                docket_mod.list_entries(s, plan_id=row.id, include_cancelled=True)]}

    data = await run_in_threadpool(load)
    return render(request, "filing/plan.html", {**data, "result": data["plan"]["result"]})


@router.post("/filing/plans/{plan_pk}/recompute")
async def recompute_plan(request: Request, plan_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            docket_mod.recompute(s, docket_mod.get_plan(s, plan_pk))

    await run_in_threadpool(run)
    return flash.redirect(f"/filing/plans/{plan_pk}", _("Plan recomputed with today's rules and fees."))


@router.post("/filing/plans/{plan_pk}/delete")
async def delete_plan(request: Request, plan_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    def run() -> None:
        with caller_session(caller) as s:
            docket_mod.delete_plan(s, plan_pk)

    await run_in_threadpool(run)
    return flash.redirect("/filing/plans", _("Plan deleted."))


def _month(value: str | None) -> date:
    if not value:
        return date.today().replace(day=1)
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a month (YYYY-MM)", value=value[:20]), field="month",
                               record="calendar") from None


@router.get("/filing/calendar")
async def calendar_page(request: Request, month: str | None = Query(None, max_length=7),
                        caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    first = _month(month)
    last = first.replace(day=pycal.monthrange(first.year, first.month)[1])

    def load() -> list[dict[str, object]]:
        with caller_session(caller) as s:
            return [docket_mod.entry_dict(e) for e in docket_mod.list_entries(s, start=first, end=last)]

    entries = await run_in_threadpool(load)
    by_day: dict[int, list[dict[str, object]]] = {}
    for e in entries:
        by_day.setdefault(date.fromisoformat(str(e["due"])).day, []).append(e)
    weeks = pycal.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)
    prev_month = date(first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1, 1)
    next_month = date(first.year + (first.month == 12), 1 if first.month == 12 else first.month + 1, 1)
    return render(request, "filing/calendar.html", {"first": first, "weeks": weeks, "by_day": by_day,
                                                    "prev": prev_month.strftime("%Y-%m"),
                                                    "next": next_month.strftime("%Y-%m"), "entries": entries})


@router.get("/filing/docket.ics")
async def docket_ics(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.filing.ics import to_ics

    def load() -> bytes:
        with caller_session(caller) as s:
            return to_ics(docket_mod.list_entries(s, include_cancelled=True))

    return download_response(await run_in_threadpool(load), "fenghuo-docket.ics", "text/calendar; charset=utf-8")


@router.get("/filing/pph")
async def pph_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.filing.pph import partners
    from fenghuo.web.templating import render

    return render(request, "filing/pph.html", {"partners": list(partners().values()), "check": None,
                                               "claims": None, "form": {}})


@router.post("/filing/pph")
async def pph_post(request: Request, office: str = Form("", max_length=8), programme: str = Form("", max_length=20),
                   allowed: str = Form("", max_length=200_000), examined: str = Form("", max_length=200_000),
                   caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.filing.claims import correspond
    from fenghuo.filing.pph import check, partners
    from fenghuo.web.templating import render

    result = check(office, programme or None).to_dict() if office.strip() else None
    rows = None
    if allowed.strip() or examined.strip():
        rows = [r.to_dict() for r in await run_in_threadpool(correspond, allowed, examined)]
    return render(request, "filing/pph.html", {"partners": list(partners().values()), "check": result,
                                               "claims": rows, "form": {"office": office, "programme": programme,
                                                                        "allowed": allowed, "examined": examined}})
