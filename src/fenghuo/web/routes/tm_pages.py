"""Early-warning pages: overview, portfolio and variants, alert inbox and detail, applicant
profiles, watch-run history, partners and notification channels."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.tm import alerts as alerts_mod
from fenghuo.tm import portfolio as portfolio_mod
from fenghuo.tm.models import BusinessRelationship, NotificationChannel, RegisterMark, WatchRun
from fenghuo.tm.portfolio_csv import parse_classes, read_portfolio
from fenghuo.tm.records import PortfolioMark, RecordError
from fenghuo.tm.variants import VARIANT_KINDS
from fenghuo.web import flash
from fenghuo.web.deps import Caller, caller_session, platform_session, require_org
from fenghuo.web.forms import add_list_redirects
from fenghuo.web.params import DbId
from fenghuo.web.routes.api_tm import read_portfolio_upload, register_dict

router = APIRouter(include_in_schema=False)


def _today() -> date:
    return date.today()


def _overview_charts(counts: dict[str, int], open_alerts: list[Any]) -> dict[str, str]:
    """Open alerts by risk level and by office (server-side SVG; "no data yet" when none are open)."""
    from collections import Counter

    from fenghuo.core.labels import label
    from fenghuo.reports.charts import RAG_COLOURS, bar_chart

    offices = Counter(a.register_mark.office for a in open_alerts)
    return {
        "levels": bar_chart([(label("risk_level", k), counts.get(k, 0)) for k in alerts_mod.LEVELS],
                            title=_("Open alerts by risk level"), value_title=_("Number of alerts"),
                            color=RAG_COLOURS["red"]),
        "offices": bar_chart(offices.most_common(12), title=_("Open alerts by office"),
                             value_title=_("Number of alerts"), color="#2c6e9b"),
    }


@router.get("/tm")
async def overview(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            open_alerts = alerts_mod.list_alerts(s, alerts_mod.AlertFilter(), limit=10_000)
            urgent = [alerts_mod.alert_dict(a) for a in open_alerts
                      if a.state in ("new", "reviewing")][:10]
            last_run = s.scalar(select(WatchRun).order_by(WatchRun.id.desc()).limit(1))
            counts = alerts_mod.counts_by_level(s)
            open_now = [a for a in open_alerts if a.state in ("new", "reviewing")]
            return {"counts": counts, "urgent": urgent, "charts": _overview_charts(counts, open_now),
                    "marks": len(portfolio_mod.list_marks(s)), "last_run": last_run, "today": _today().isoformat()}

    return render(request, "tm/overview.html", await run_in_threadpool(load))


@router.post("/tm/run")
async def run_now(request: Request, caller: Caller = Depends(require_org)) -> Response:
    def run() -> int:
        from fenghuo.tm.runs import run_for_org

        assert caller.org_id is not None
        return run_for_org(caller.org_id, user_id=caller.user_id, workers=1).id

    await run_in_threadpool(run)
    return flash.redirect("/tm/runs", _("Watch run finished: new alerts are in the inbox."))


# --- portfolio -------------------------------------------------------------------------------------------


@router.get("/tm/portfolio")
async def portfolio_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> list[Any]:
        with caller_session(caller) as s:
            return portfolio_mod.list_marks(s)

    return render(request, "tm/portfolio.html", {"marks": await run_in_threadpool(load),
                                                 "errors": request.query_params.get("errors")})


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(",", ";").split(";") if v.strip())


@router.post("/tm/portfolio")
async def add_mark(
    request: Request,
    mark_id: str = Form(..., max_length=100),
    mark: str = Form(..., max_length=500),
    classes: str = Form(""),
    owner: str = Form("", max_length=500),
    jurisdictions: str = Form(""),
    aliases: str = Form(""),
    caller: Caller = Depends(require_org),
) -> Response:
    def add() -> int:
        assert caller.org_id is not None
        try:
            nice = parse_classes(classes, mark_id, "form")
        except RecordError as exc:
            raise ValidationFailed(exc.reason, field="classes", record=mark_id) from None
        with caller_session(caller) as s:
            row, _created = portfolio_mod.upsert_mark(s, caller.org_id, PortfolioMark(
                mark_id.strip(), mark.strip(), nice, owner.strip(), tuple(j.upper() for j in _split(jurisdictions)),
                _split(aliases)))
            return row.id

    pk = await run_in_threadpool(add)
    return flash.redirect(f"/tm/portfolio/{pk}", _("Mark %(mark)s saved.", mark=mark.strip()))


@router.post("/tm/portfolio/import")
async def import_csv(request: Request, file: UploadFile = File(...), caller: Caller = Depends(require_org)) -> Response:
    data = await read_portfolio_upload(file, require_name=True)

    def run() -> tuple[int, list[RecordError]]:
        assert caller.org_id is not None
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (file.filename or "portfolio.csv")
            path.write_bytes(data)
            marks, errors = read_portfolio(path)
        with caller_session(caller) as s:
            created, updated = portfolio_mod.import_marks(s, caller.org_id, marks)
        return created + updated, errors

    imported, errors = await run_in_threadpool(run)
    done = _("%(n)s marks imported.", n=imported)
    if errors:
        from fenghuo.web.templating import render

        def load() -> list[Any]:
            with caller_session(caller) as s:
                return portfolio_mod.list_marks(s)

        note = _("%(n)s marks imported, %(bad)s rows set aside — see the rows below, correct them and upload again.",
                 n=imported, bad=len(errors))
        return render(request, "tm/portfolio.html", {"marks": await run_in_threadpool(load),
                                                     "import_errors": errors,
                                                     "messages": [("warning", note)]}, status=200)
    return flash.redirect("/tm/portfolio", done)


@router.get("/tm/portfolio/{mark_pk}")
async def mark_page(request: Request, mark_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            row = portfolio_mod.get_mark(s, mark_pk)
            found = alerts_mod.list_alerts(s, alerts_mod.AlertFilter(watched_mark_id=row.id), limit=200)
            return {"mark": row, "alerts": [alerts_mod.alert_dict(a) for a in found], "kinds": VARIANT_KINDS}

    return render(request, "tm/mark.html", await run_in_threadpool(load))


@router.post("/tm/portfolio/{mark_pk}/variants")
async def save_variants(request: Request, mark_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    form = await request.form()
    texts = [str(v) for v in form.getlist("text")]
    kinds = [str(v) for v in form.getlist("kind")]
    notes = [str(v) for v in form.getlist("note")]
    enabled = {str(v) for v in form.getlist("enabled")}
    variants = [{"text": t, "kind": k, "note": n, "enabled": str(i) in enabled}
                for i, (t, k, n) in enumerate(zip(texts, kinds, notes, strict=False)) if t.strip()]
    new_text = str(form.get("new_text") or "").strip()
    if new_text:
        variants.append({"text": new_text, "kind": "user", "note": _("added by you"), "enabled": True})

    def save() -> None:
        with caller_session(caller) as s:
            portfolio_mod.set_variants(s, portfolio_mod.get_mark(s, mark_pk), variants)

    await run_in_threadpool(save)
    return flash.redirect(f"/tm/portfolio/{mark_pk}", _("Variants saved."))


@router.post("/tm/portfolio/{mark_pk}/variants/reset")
async def reset_variants(request: Request, mark_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    def reset() -> None:
        with caller_session(caller) as s:
            portfolio_mod.reset_variants(s, portfolio_mod.get_mark(s, mark_pk))

    await run_in_threadpool(reset)
    return flash.redirect(f"/tm/portfolio/{mark_pk}", _("Variants reset to the generated ones."))


@router.post("/tm/portfolio/{mark_pk}/delete")
async def delete_mark(request: Request, mark_pk: DbId, caller: Caller = Depends(require_org)) -> Response:
    def delete() -> None:
        with caller_session(caller) as s:
            portfolio_mod.deactivate(s, portfolio_mod.get_mark(s, mark_pk))

    await run_in_threadpool(delete)
    return flash.redirect("/tm/portfolio", _("Mark removed from the watch list."))


# --- alerts ----------------------------------------------------------------------------------------------


def _opt_int(value: str | None, field: str) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValidationFailed(_("not a number: %(value)s", value=value[:40]), field=field) from None
    if abs(number) > DB_ID_MAX:
        raise ValidationFailed(_("%(value)s is out of range", value=value[:20]), field=field)
    return number


def _opt_date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=value), field=field) from None


@router.get("/tm/alerts")
async def alerts_page(
    request: Request,
    level: str | None = Query(None),
    state: str | None = Query(None),
    office: str | None = Query(None, max_length=8),
    nice_class: str | None = Query(None, alias="class"),
    deadline_before: str | None = Query(None),
    caller: Caller = Depends(require_org),
) -> Response:
    from fenghuo.web.templating import render

    flt = alerts_mod.AlertFilter(level or None, office or None, _opt_int(nice_class, "class"), state or None,
                                 _opt_date(deadline_before, "deadline_before"))

    def load() -> list[dict[str, Any]]:
        with caller_session(caller) as s:
            return [alerts_mod.alert_dict(a) for a in alerts_mod.list_alerts(s, flt, limit=500)]

    return render(request, "tm/alerts.html", {
        "alerts": await run_in_threadpool(load), "levels": alerts_mod.LEVELS, "states": alerts_mod.STATES,
        "f": {"level": level or "", "state": state or "", "office": office or "", "class": nice_class or "",
              "deadline_before": deadline_before or ""}, "today": _today().isoformat()})


@router.get("/tm/alerts/{alert_id}")
async def alert_page(request: Request, alert_id: DbId, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            alert = alerts_mod.get_alert(s, alert_id)
            return {"a": alerts_mod.alert_dict(alert), "record": alert.register_mark.record,
                    "variants": alert.watched_mark.variants, "history": alerts_mod.alert_history(s, alert)}

    return render(request, "tm/alert.html", {**await run_in_threadpool(load), "states": alerts_mod.STATES,
                                             "today": _today().isoformat()})


@router.post("/tm/alerts/{alert_id}/state")
async def alert_state(request: Request, alert_id: DbId, state: str = Form(...), reason: str = Form(""),
                      caller: Caller = Depends(require_org)) -> Response:
    def change() -> None:
        with caller_session(caller) as s:
            alerts_mod.set_state(s, alerts_mod.get_alert(s, alert_id), state, reason)

    await run_in_threadpool(change)
    return flash.redirect(f"/tm/alerts/{alert_id}", _("Alert state saved."))


# --- applicants, runs, settings ----------------------------------------------------------------------------


@router.get("/tm/applicants/{applicant_key}")
async def applicant_page(request: Request, applicant_key: str, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.tm.squatters import evidence_for
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with platform_session(caller) as s:
            filings = list(s.scalars(select(RegisterMark).where(RegisterMark.applicant_key == applicant_key)
                                     .order_by(RegisterMark.application_date)))
            if not filings:
                raise NotFound(_("No such applicant: %(key)s", key=applicant_key))
            evidence = evidence_for(s, applicant_key, caller.org_id)
            return {"key": applicant_key, "name": filings[0].applicant_name,
                    "filings": [register_dict(r) for r in filings],
                    "evidence": evidence.messages(), "strength": round(evidence.strength * 100),
                    "country": evidence.country}

    return render(request, "tm/applicant.html", await run_in_threadpool(load))


@router.get("/tm/runs")
async def runs_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> list[WatchRun]:
        with caller_session(caller) as s:
            return list(s.scalars(select(WatchRun).order_by(WatchRun.id.desc()).limit(100)))

    return render(request, "tm/runs.html", {"runs": await run_in_threadpool(load)})


@router.get("/tm/settings")
async def settings_page(request: Request, caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def load() -> dict[str, Any]:
        with caller_session(caller) as s:
            return {"relationships": list(s.scalars(select(BusinessRelationship).order_by(BusinessRelationship.id))),
                    "channels": list(s.scalars(select(NotificationChannel).order_by(NotificationChannel.id)))}

    return render(request, "tm/settings.html", {**await run_in_threadpool(load),
                                                "secret": None})


@router.post("/tm/settings/relationships")
async def add_relationship(request: Request, counterpart_name: str = Form(..., min_length=1, max_length=500),
                           relation: str = Form("distributor"), country: str = Form("", max_length=2),
                           caller: Caller = Depends(require_org)) -> Response:
    if relation not in ("distributor", "agent", "licensee"):
        raise ValidationFailed(_("must be one of %(values)s", values="distributor, agent, licensee"),
                               field="relation")

    def add() -> None:
        from fenghuo.tm.squatters import relationship_key

        with caller_session(caller) as s:
            s.add(BusinessRelationship(organisation_id=caller.org_id, counterpart_name=counterpart_name.strip(),
                                       counterpart_key=relationship_key(counterpart_name), relation=relation,
                                       country=country.upper() or None))

    await run_in_threadpool(add)
    return flash.redirect("/tm/settings", _("Business partner added."))


@router.post("/tm/settings/channels")
async def add_channel(request: Request, kind: str = Form(...), target: str = Form(..., max_length=500),
                      mode: str = Form("immediate"), min_level: str = Form("medium"),
                      caller: Caller = Depends(require_org)) -> Response:
    from fenghuo.web.templating import render

    def add() -> str | None:
        from fenghuo.tm.notify import create_channel

        assert caller.org_id is not None
        with caller_session(caller) as s:
            return create_channel(s, caller.org_id, kind, target, mode=mode, min_level=min_level).secret

    secret = await run_in_threadpool(add)
    if secret:  # shown once, never in a URL
        def load() -> dict[str, Any]:
            with caller_session(caller) as s:
                return {"relationships": list(s.scalars(select(BusinessRelationship))),
                        "channels": list(s.scalars(select(NotificationChannel).order_by(NotificationChannel.id)))}

        return render(request, "tm/settings.html", {**await run_in_threadpool(load), "secret": secret})
    return flash.redirect("/tm/settings", _("Notification channel added."))


# Collection paths that take posts answer GET with the page that lists their items.
add_list_redirects(router, [
    ("/tm/portfolio/import", "/tm/portfolio"), ("/tm/portfolio/{mark_pk}/variants", "/tm/portfolio/{mark_pk}"),
    ("/tm/settings/relationships", "/tm/settings"), ("/tm/settings/channels", "/tm/settings"),
], require_org)
