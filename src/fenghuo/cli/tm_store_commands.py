"""``fenghuo tm ingest | quarantine | portfolio | run | alerts | review | relationship | fair | notify``.

These work on the database (``FENGHUO_HOME`` / ``FENGHUO_DATABASE_URL``): the register is
shared by every organisation; portfolios, runs, alerts and channels belong to ``--org``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select

from fenghuo.cli.common import err_console, fail, handle_errors, out_console, print_json, usage_error
from fenghuo.cli.tm_commands import Engine, _progress, tm_app
from fenghuo.core.db import init_db, session_scope
from fenghuo.core.i18n import N_, _
from fenghuo.core.orgs import get_organisation_by_ref

portfolio_app = typer.Typer(help=N_("Your watched marks."), no_args_is_help=True)
relationship_app = typer.Typer(help=N_("Distributors, agents and licensees abroad (squatting evidence)."),
                               no_args_is_help=True)
fair_app = typer.Typer(help=N_("Trade fairs (filings soon after one are a squatting signal)."), no_args_is_help=True)
notify_app = typer.Typer(help=N_("Alert notifications: e-mail and signed webhooks, immediate or daily digest."),
                         no_args_is_help=True)


class Fmt(StrEnum):
    table = "table"
    json = "json"


def _org_id(ref: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as session:
        return get_organisation_by_ref(session, ref).id


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        usage_error(_("%(option)s: %(value)s is not a date (YYYY-MM-DD)", option=option, value=value))


@tm_app.command("ingest", help=N_(
    "Store register records: idempotent upserts, bad records quarantined with their reason."))
@handle_errors
def ingest(
    paths: list[Path] = typer.Argument(..., help=N_("Register files, folders or zips (EUIPO XML, ST.66, USPTO daily "
                                       "XML, CSV).")),
    batch_size: int = typer.Option(500, "--batch-size", min=1, help=N_("Records per committed batch.")),
) -> None:
    from fenghuo.tm.ingest import ingest_paths

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        usage_error(_("no such path: %(path)s", path=", ".join(missing)))
    init_db()
    with _progress() as progress:
        task = progress.add_task(_("Ingesting"), total=None)
        summary = ingest_paths(paths, batch_size=batch_size, progress=lambda n: progress.advance(task, n))
    typer.echo(_("Ingest run %(run)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                 "%(quarantined)s quarantined", run=summary.run_id, created=summary.created, updated=summary.updated,
                 unchanged=summary.unchanged, quarantined=summary.quarantined))
    if summary.quarantined:
        err_console.print(_("See `fenghuo tm quarantine` for the reasons."))


@tm_app.command("quarantine", help=N_(
    "List register records that could not be ingested, with the record, field and reason."))
@handle_errors
def quarantine(
    show_all: bool = typer.Option(False, "--all", help=N_("Include records that were fixed and re-ingested.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format"),
) -> None:
    from fenghuo.tm.models import QuarantinedRecord

    init_db()
    with session_scope(org_id=None, platform_admin=True) as session:
        query = select(QuarantinedRecord).order_by(QuarantinedRecord.id)
        if not show_all:
            query = query.where(QuarantinedRecord.resolved_at.is_(None))
        rows = list(session.scalars(query))
    data = [{"id": r.id, "run": r.ingest_run_id, "source": r.source, "record": r.record, "field": r.field,
             "reason": r.reason, "resolved": r.resolved_at is not None} for r in rows]
    if fmt == Fmt.json:
        print_json(data)
        return
    table = Table(_("Source"), _("Record"), _("Field"), _("Reason"))
    for item in data:
        table.add_row(str(item["source"]), str(item["record"]), str(item["field"]), str(item["reason"]))
    out_console.print(table)
    out_console.print(_("%(n)s quarantined record(s)", n=len(data)))


@tm_app.command("runs", help=N_("List ingest runs, newest first; runs whose process died are shown as interrupted."))
@handle_errors
def runs(
    limit: int = typer.Option(20, "--limit", min=1, max=1000),
    fmt: Fmt = typer.Option(Fmt.table, "--format"),
) -> None:
    from fenghuo.tm.ingest import list_runs

    init_db()
    data = list_runs(limit=limit)
    if fmt == Fmt.json:
        print_json(data)
        return
    statuses = {"running": _("running"), "done": _("done"), "failed": _("failed"), "interrupted": _("interrupted")}
    table = Table(_("Run"), _("Started"), _("Status"), _("Created"), _("Updated"), _("Unchanged"),
                  _("Quarantined"), _("Note"))
    for item in data:
        started = item["started_at"]
        status = str(item["status"])
        table.add_row(str(item["id"]), f"{started:%Y-%m-%d %H:%M}" if started else "", statuses.get(status, status),
                      str(item["created"]), str(item["updated"]), str(item["unchanged"]), str(item["quarantined"]),
                      str(item["error"] or ""))
    out_console.print(table)


@portfolio_app.command("import", help=N_(
    "Create or update watched marks from a CSV; bad rows are reported and skipped."))
@handle_errors
def portfolio_import(
    path: Path = typer.Argument(..., help=N_("CSV: mark_id, mark, classes, owner [, jurisdictions, aliases].")),
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
) -> None:
    from fenghuo.tm.portfolio import import_marks
    from fenghuo.tm.portfolio_csv import read_portfolio

    if not path.is_file():
        usage_error(_("no such file: %(path)s", path=path))
    init_db()
    org_id = _org_id(org)
    marks, errors = read_portfolio(path)
    for error in errors:
        err_console.print(_("skipped portfolio %(error)s", error=str(error)), markup=False, highlight=False)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        created, updated = import_marks(session, org_id, marks)
    typer.echo(_("%(created)s marks created, %(updated)s updated, %(skipped)s rows skipped", created=created,
                 updated=updated, skipped=len(errors)))
    if errors and not marks:
        raise typer.Exit(2)


@portfolio_app.command("list", help=N_("List the organisation's watched marks."))
@handle_errors
def portfolio_list(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format"),
    variants: bool = typer.Option(False, "--variants", help=N_("Show every variant a mark is watched under.")),
) -> None:
    from fenghuo.tm.portfolio import list_marks

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id) as session:
        rows = list_marks(session)
        data = [{"id": r.id, "mark_id": r.mark_id, "mark": r.mark, "classes": r.classes, "owner": r.owner,
                 "jurisdictions": r.jurisdictions, "aliases": r.aliases, "variants": r.variants} for r in rows]
    if fmt == Fmt.json:
        print_json(data)
        return
    table = Table(_("Mark id"), _("Mark"), _("Classes"), _("Owner"), _("Variants"))
    for item in data:
        shown = ", ".join(v["text"] for v in item["variants"] if v.get("enabled", True))  # type: ignore[attr-defined]
        table.add_row(str(item["mark_id"]), str(item["mark"]), ", ".join(map(str, item["classes"])),  # type: ignore[call-overload]
                      str(item["owner"]), shown if variants else str(len(item["variants"])))  # type: ignore[arg-type]
    out_console.print(table)


@tm_app.command("run", help=N_(
    "Watch the organisation's marks against the stored register and store the alerts."))
@handle_errors
def run(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    min_score: int | None = typer.Option(None, "--min-score", min=0, max=100, help=N_("Default: 55.")),
    engine: Engine = typer.Option(Engine.local, "--engine", help=N_("local process pool or a Dask cluster.")),
    scheduler: str | None = typer.Option(None, "--scheduler", help=N_("Dask scheduler address.")),
    workers: int | None = typer.Option(None, "--workers", min=1),
    notify: bool = typer.Option(True, "--notify/--no-notify", help=N_("Send new alerts to immediate channels.")),
) -> None:
    from fenghuo.tm.notify import notify_new
    from fenghuo.tm.runs import run_for_org

    init_db()
    org_id = _org_id(org)
    with _progress() as progress:
        task = progress.add_task(_("Watching"), total=None)
        result = run_for_org(org_id, min_score=min_score, watch_engine=engine.value, scheduler=scheduler,
                             workers=workers, progress=lambda n: progress.advance(task, n))
    typer.echo(_("Watch run %(run)s: %(marks)s marks, %(records)s records, %(new)s new alerts, %(updated)s updated",
                 run=result.id, marks=result.marks_watched, records=result.records_scanned, new=result.alerts_new,
                 updated=result.alerts_updated))
    if notify:
        try:
            sent = notify_new(org_id)
        except Exception as exc:  # a mail server down must not lose the run
            err_console.print(_("notifications failed: %(error)s", error=str(exc)), markup=False)
        else:
            if sent:
                typer.echo(_("%(n)s alerts notified", n=sent))


@tm_app.command("alerts", help=N_("The alert inbox, most urgent deadline first."))
@handle_errors
def alerts(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    level: str | None = typer.Option(None, "--level", help=N_("high, medium or low.")),
    state: str | None = typer.Option(None, "--state", help=N_("new, reviewing, action_taken or dismissed.")),
    office: str | None = typer.Option(None, "--office", help=N_("ST.3 office code.")),
    nice_class: int | None = typer.Option(None, "--class", help=N_("Nice class of the register mark.")),
    before: str | None = typer.Option(None, "--deadline-before", help=N_("Deadline on or before YYYY-MM-DD.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format"),
) -> None:
    from fenghuo.tm.alerts import AlertFilter, alert_dict, list_alerts

    init_db()
    org_id = _org_id(org)
    flt = AlertFilter(level, office, nice_class, state, _date(before, "--deadline-before"))
    with session_scope(org_id=org_id) as session:
        data = [alert_dict(a) for a in list_alerts(session, flt, limit=10_000)]
    if fmt == Fmt.json:
        print_json(data)
        return
    table = Table("#", _("Score"), _("Your mark"), _("Their mark"), _("Office"), _("Applicant"), _("Deadline"),
                  _("State"))
    for a in data:
        reg, ours = a["register_mark"], a["watched_mark"]
        table.add_row(str(a["id"]), f"{a['score']} {a['level']}", str(ours["mark"]), str(reg["mark"]),  # type: ignore[index]
                      f"{reg['office']} {reg['application_number']}", str(reg["applicant"] or ""),  # type: ignore[index]
                      str(a["deadline"] or ""), str(a["state"]))
    out_console.print(table)


@tm_app.command("review", help=N_("Move an alert through the review workflow."))
@handle_errors
def review(
    alert_id: int = typer.Argument(..., help=N_("Alert id (see `tm alerts`).")),
    state: str = typer.Argument(..., help=N_("new, reviewing, action_taken or dismissed.")),
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    reason: str | None = typer.Option(None, "--reason", help=N_("Why (required to dismiss).")),
) -> None:
    from fenghuo.tm.alerts import get_alert, set_state

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        set_state(session, get_alert(session, alert_id), state, reason)
    typer.echo(_("Alert %(id)s is now %(state)s", id=alert_id, state=state))


@relationship_app.command("add", help=N_(
    "Record a business partner abroad: its filing of your mark is Art. 6septies evidence."))
@handle_errors
def relationship_add(
    counterpart: str = typer.Argument(..., help=N_("The partner's name as it files abroad.")),
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    relation: str = typer.Option("distributor", "--relation", help=N_("distributor, agent or licensee.")),
    country: str | None = typer.Option(None, "--country", help=N_("ST.3 country code.")),
) -> None:
    from fenghuo.tm.models import BusinessRelationship
    from fenghuo.tm.squatters import relationship_key

    if relation not in ("distributor", "agent", "licensee"):
        usage_error(_("--relation must be distributor, agent or licensee"))
    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        row = BusinessRelationship(organisation_id=org_id, counterpart_name=counterpart,
                                   counterpart_key=relationship_key(counterpart), relation=relation,
                                   country=country.upper() if country else None)
        session.add(row)
        session.flush()
        typer.echo(_("Relationship %(id)s recorded", id=row.id))


@fair_app.command("add", help=N_("Record a trade fair attended by Chinese exhibitors."))
@handle_errors
def fair_add(
    name: str = typer.Argument(..., help=N_("Name of the fair.")),
    start: str = typer.Option(..., "--start", help=N_("First day, YYYY-MM-DD.")),
    end: str = typer.Option(..., "--end", help=N_("Last day, YYYY-MM-DD.")),
    country: str | None = typer.Option(None, "--country", help=N_("ST.3 country code.")),
    city: str | None = typer.Option(None, "--city"),
) -> None:
    from fenghuo.tm.models import TradeFair

    first, last = _date(start, "--start"), _date(end, "--end")
    assert first is not None and last is not None
    if last < first:
        usage_error(_("--end is before --start"))
    init_db()
    with session_scope(org_id=None, platform_admin=True, actor_label="cli") as session:
        row = TradeFair(name=name, country=country.upper() if country else None, city=city, start_date=first,
                        end_date=last)
        session.add(row)
        session.flush()
        typer.echo(_("Trade fair %(id)s recorded", id=row.id))


@notify_app.command("add", help=N_(
    "Add a notification channel (a webhook's signing secret is printed once)."))
@handle_errors
def notify_add(
    kind: str = typer.Argument(..., help=N_("email or webhook.")),
    target: str = typer.Argument(..., help=N_("E-mail address or webhook URL.")),
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    mode: str = typer.Option("immediate", "--mode", help=N_("immediate or digest.")),
    min_level: str = typer.Option("medium", "--min-level", help=N_("high, medium or low.")),
) -> None:
    from fenghuo.tm.notify import create_channel

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        row = create_channel(session, org_id, kind, target, mode=mode, min_level=min_level)
        typer.echo(_("Channel %(id)s added", id=row.id))
        if row.secret:
            typer.echo(_("Signing secret (shown once): %(secret)s", secret=row.secret))


@notify_app.command("send", help=N_(
    "Send pending alerts now (run `--digest` once a day, e.g. from cron or the Huey worker)."))
@handle_errors
def notify_send(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    digest: bool = typer.Option(False, "--digest", help=N_("Send the daily digests instead of immediate alerts.")),
) -> None:
    from fenghuo.tm.notify import notify_new, send_digests

    init_db()
    org_id = _org_id(org)
    try:
        sent = send_digests(org_id) if digest else notify_new(org_id)
    except Exception as exc:
        fail(_("notifications failed: %(error)s", error=str(exc)))
    typer.echo(_("%(n)s alerts notified", n=sent))


tm_app.add_typer(portfolio_app, name="portfolio")
tm_app.add_typer(relationship_app, name="relationship")
tm_app.add_typer(fair_app, name="fair")
tm_app.add_typer(notify_app, name="notify")


def register(app: typer.Typer) -> None:
    """Commands attach to ``tm_app`` (registered by ``tm_commands``)."""
