"""``fenghuo plan-filing``, ``fenghuo pph check|claims|partners`` and ``fenghuo docket …``.

Scriptable on purpose: ``--format json`` prints the whole plan; the text format prints one line per
route, deadline and fee row so ``grep`` works. Bad input exits 2 with one line naming the record
and field; a missing organisation or plan exits 1.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from fenghuo.cli.common import handle_errors, print_json, usage_error
from fenghuo.core.db import init_db, session_scope
from fenghuo.core.i18n import N_, _, lazy_gettext
from fenghuo.core.labels import label
from fenghuo.core.orgs import get_organisation_by_ref
from fenghuo.filing.application import Application, make_application, parse_date, parse_targets
from fenghuo.filing.planner import CLOSED, FilingPlan
from fenghuo.reference.citations import cite

# Labels used inside f-strings (Babel cannot see calls inside f-strings; lazy so they follow the locale).
L_CLAIM = lazy_gettext("claim")
L_CLOSED = lazy_gettext("closed")
L_DEADLINE = lazy_gettext("deadline")
L_ELIGIBLE = lazy_gettext("eligible")
L_FEES = lazy_gettext("fees")
L_UNCONFIRMED = lazy_gettext("unconfirmed")
L_WARNING = lazy_gettext("warning")


pph_app = typer.Typer(help=N_("PPH with CNIPA as the earlier office: eligibility, checklist, claim correspondence."),
                      no_args_is_help=True)
docket_app = typer.Typer(help=N_("Saved filing plans: deadlines, iCalendar export, e-mail reminders."),
                         no_args_is_help=True)


class Fmt(StrEnum):
    table = "table"
    json = "json"


def _application(app_type: str, filed: str, priority: str | None, pct: str | None, pct_filed: str | None,
                 madrid: str | None, madrid_date: str | None, title: str = "") -> Application:
    return make_application(app_type, filed, priority=priority, pct_number=pct, pct_filed=pct_filed,
                            madrid_number=madrid, madrid_date=madrid_date, title=title)


def _as_of(value: str | None) -> date:
    return parse_date(value, "as_of") or date.today()


def _fee_source(source: str, confirmed: str, as_of: str) -> str:
    """The official source of a fee, never the research trail kept in the fee table."""
    c = cite(source, confirmed, as_of)
    return _("(fee table date %(date)s, %(status)s; source: %(source)s)", date=as_of,
             status=label("confirmation", c.status), source=c.title())


def print_plan(result: FilingPlan) -> None:
    """One line per route / deadline / fee row (stable, greppable)."""
    a = result.application
    typer.echo(_("Filing plan for a Chinese %(type)s filed %(filed)s (priority date %(prio)s), as of %(as_of)s",
                 type=label("app_type", a.app_type), filed=a.filed.isoformat(), prio=a.priority_date.isoformat(),
                 as_of=result.as_of.isoformat()))
    for target in result.targets:
        typer.echo("")
        typer.echo(f"{target.code} {target.name}")
        for route in target.routes:
            if route.status == CLOSED:
                typer.echo(f"  [{L_CLOSED}] {route.route}: {route.reason}")
                continue
            typer.echo(f"  [{route.status}] {route.route}: {route.label} — {route.reason}")
            for d in route.deadlines:
                flag = _(" (provisional)") if d.provisional else ""
                typer.echo(f"      {L_DEADLINE} {d.rule_id} {d.due.isoformat()}{flag} {d.label}"
                           + (f" — {d.note}" if d.note else ""))
            if route.fees is not None:
                typer.echo(f"      {L_FEES}: {route.fees.summary()}")
                for fee in route.fees.lines:
                    typer.echo(f"        {fee.currency} {fee.amount} {fee.item} "
                               + _fee_source(fee.source, fee.confirmed, fee.as_of))
                for missing in route.fees.missing:
                    typer.echo("        " + _("not in the fee table: %(what)s", what=missing))
            for warning in route.warnings:
                typer.echo(f"      {L_WARNING}: {warning}")
        rows = target.comparison(result.as_of)
        if rows:
            typer.echo("  " + _("compare (first deadline | last deadline | months to decide | fees):"))
            for row in rows:
                typer.echo(f"    {row['route']}: {row['first_deadline'] or '-'} | {row['last_deadline'] or '-'} | "
                           f"{row['months_to_decide'] if row['months_to_decide'] is not None else '-'} | "
                           f"{row['fees'] or '-'}")


@handle_errors
def plan_filing(
    app_type: str = typer.Option(..., "--type", help=N_("invention, utility_model, design or trademark.")),
    filed: str = typer.Option(..., "--filed", help=N_("Chinese filing date YYYY-MM-DD.")),
    targets: str = typer.Option(..., "--targets", help=N_("Comma-separated ST.3 codes, e.g. US,EP,SA,BR,JP.")),
    priority: str | None = typer.Option(None, "--priority", help=N_("Earlier priority date claimed, YYYY-MM-DD.")),
    pct: str | None = typer.Option(None, "--pct", help=N_("PCT application number, e.g. PCT/CN2026/000123.")),
    pct_filed: str | None = typer.Option(None, "--pct-filed", help=N_("International filing date of the PCT.")),
    madrid: str | None = typer.Option(None, "--madrid", help=N_("International registration number (Madrid).")),
    madrid_date: str | None = typer.Option(None, "--madrid-date", help=N_("International registration date.")),
    as_of: str | None = typer.Option(None, "--as-of", help=N_("Planning date (default today): memberships and "
                                        "closed periods are judged on it.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("table or json.")),
) -> None:
    from fenghuo.filing.planner import plan

    application = _application(app_type, filed, priority, pct, pct_filed, madrid, madrid_date)
    result = plan(application, parse_targets(targets), _as_of(as_of))
    if fmt == Fmt.json:
        print_json(result.to_dict())
    else:
        print_plan(result)


@pph_app.command("check", help=N_(
    "Can a CNIPA allowance support a PPH request at OFFICE? With the document checklist."))
@handle_errors
def pph_check(
    office: str = typer.Option(..., "--office", help=N_("Office of later examination, e.g. JP, US, EP.")),
    programme: str | None = typer.Option(None, "--programme", help=N_("bilateral, ip5 or pct-pph.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("table or json.")),
) -> None:
    from fenghuo.filing.pph import check

    result = check(office, programme)
    if fmt == Fmt.json:
        print_json(result.to_dict())
        return
    typer.echo(f"{result.office}: {L_ELIGIBLE}: {result.eligible} — {result.summary}")
    if result.partner:
        typer.echo("  " + _("partner row confirmed: %(c)s; source: %(s)s (%(d)s)", c=result.partner.confirmed,
                            s=result.partner.source, d=result.partner.as_of))
    for warning in result.warnings:
        typer.echo(f"  {L_WARNING}: {warning}")
    typer.echo(_("Checklist:"))
    for item in result.checklist:
        typer.echo(f"  - {item}")


@pph_app.command("partners", help=N_("CNIPA's PPH partners with programmes and confirmation status."))
@handle_errors
def pph_partners(fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("table or json."))) -> None:
    from fenghuo.filing.pph import PROGRAMMES, partners

    rows = [{"code": p.code, "office": p.office, **{k: p.offers(k) for k in PROGRAMMES},
             "start_date": p.start_date, "status": p.status, "confirmed": p.confirmed} for p in partners().values()]
    if fmt == Fmt.json:
        print_json(rows)
        return
    for r in rows:
        flag = "" if r["confirmed"] == "yes" else f" [{L_UNCONFIRMED}: {r['confirmed']}]"
        typer.echo(f"{r['code']} {r['office']}: bilateral {r['bilateral']}, ip5 {r['ip5']}, pct-pph {r['pct-pph']}"
                   f"{flag}")


def _read(path: Path, option: str) -> str:
    if not path.is_file():
        usage_error(_("%(option)s: no such file: %(path)s", option=option, path=path))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        usage_error(_("%(option)s: %(path)s is not UTF-8 text", option=option, path=path))


@pph_app.command("claims", help=N_(
    "Claim correspondence table; exit 1 when a claim does not sufficiently correspond."))
@handle_errors
def pph_claims(
    allowed: Path = typer.Option(..., "--allowed", help=N_("Text file with the claims CNIPA found allowable.")),
    examined: Path = typer.Option(..., "--examined", help=N_("Text file with the claims to be examined.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("table or json.")),
) -> None:
    from fenghuo.filing.claims import correspond

    rows = correspond(_read(allowed, "--allowed"), _read(examined, "--examined"))
    if fmt == Fmt.json:
        print_json([r.to_dict() for r in rows])
    else:
        for r in rows:
            verdict = _("corresponds") if r.corresponds else _("DOES NOT CORRESPOND")
            typer.echo(f"{L_CLAIM} {r.number} → {r.allowed}: {verdict} — {r.reason}")
    if not all(r.corresponds for r in rows):
        raise typer.Exit(1)


def _org_id(ref: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as session:
        return get_organisation_by_ref(session, ref).id


@docket_app.command("add-plan", help=N_(
    "Save a plan to the organisation's docket (one entry per deadline of every open route)."))
@handle_errors
def docket_add_plan(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    app_type: str = typer.Option(..., "--type", help=N_("invention, utility_model, design or trademark.")),
    filed: str = typer.Option(..., "--filed", help=N_("Chinese filing date YYYY-MM-DD.")),
    targets: str = typer.Option(..., "--targets", help=N_("Comma-separated ST.3 codes, e.g. US,EP,SA,BR,JP.")),
    priority: str | None = typer.Option(None, "--priority", help=N_("Earlier priority date claimed, YYYY-MM-DD.")),
    pct: str | None = typer.Option(None, "--pct", help=N_("PCT application number, e.g. PCT/CN2026/000123.")),
    pct_filed: str | None = typer.Option(None, "--pct-filed", help=N_("International filing date of the PCT.")),
    madrid: str | None = typer.Option(None, "--madrid", help=N_("International registration number (Madrid).")),
    madrid_date: str | None = typer.Option(None, "--madrid-date", help=N_("International registration date.")),
    as_of: str | None = typer.Option(None, "--as-of", help=N_("Planning date (default today).")),
    title: str = typer.Option("", "--title", help=N_("Your reference, e.g. the CN application number.")),
    email: str | None = typer.Option(None, "--email", help=N_("Where reminders for this plan go.")),
) -> None:
    from fenghuo.filing.docket import save_plan

    application = _application(app_type, filed, priority, pct, pct_filed, madrid, madrid_date, title)
    codes = parse_targets(targets)
    day = _as_of(as_of)
    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        record = save_plan(session, org_id, application, codes, day, title=title, reminder_email=email)
        count = len(record.entries) if record.entries else 0
        typer.echo(_("Plan %(id)s saved with %(n)s deadline(s)", id=record.id, n=count))


@docket_app.command("list", help=N_("The docket's deadlines in date order."))
@handle_errors
def docket_list(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    plan_id: int | None = typer.Option(None, "--plan", help=N_("Only this plan's deadlines.")),
    show_all: bool = typer.Option(False, "--all", help=N_("Include cancelled deadlines.")),
    fmt: Fmt = typer.Option(Fmt.table, "--format", help=N_("table or json.")),
) -> None:
    from fenghuo.filing.docket import entry_dict, list_entries

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id) as session:
        rows = [entry_dict(e) for e in list_entries(session, include_cancelled=show_all, plan_id=plan_id)]
    if fmt == Fmt.json:
        print_json(rows)
        return
    for r in rows:
        flags = "".join([_(" provisional") if r["provisional"] else "", _(" done") if r["done"] else "",
                         f" {r['status']}" if r["status"] != "active" else ""])
        typer.echo(f"{r['id']} {r['due']} {r['rule_id']} plan {r['plan_id']}: {r['label']}{flags}")


@docket_app.command("recompute", help=N_(
    "Recompute a plan on the current calendars; moved deadlines keep their UID and bump SEQUENCE."))
@handle_errors
def docket_recompute(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    plan_id: int = typer.Option(..., "--plan", help=N_("Filing plan id (see docket list).")),
    as_of: str | None = typer.Option(None, "--as-of", help=N_("New planning date (default: the plan's).")),
) -> None:
    from fenghuo.filing.docket import get_plan, recompute

    day = parse_date(as_of, "as_of")
    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        summary = recompute(session, get_plan(session, plan_id), as_of=day)
    typer.echo(_("%(created)s new, %(moved)s moved, %(cancelled)s cancelled, %(unchanged)s unchanged",
                 **summary.to_dict()))


@docket_app.command("ics", help=N_(
    "Write the docket as iCalendar to stdout (``> docket.ics``); cancelled deadlines are included as such."))
@handle_errors
def docket_ics(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    plan_id: int | None = typer.Option(None, "--plan", help=N_("Only this plan's deadlines.")),
    alarm_days: int = typer.Option(30, "--alarm-days", min=0, max=366, help=N_("Calendar alarm N days before.")),
) -> None:
    from fenghuo.filing.docket import list_entries
    from fenghuo.filing.ics import to_ics

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id) as session:
        data = to_ics(list_entries(session, include_cancelled=True, plan_id=plan_id), alarm_days=alarm_days)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


@docket_app.command("remind", help=N_(
    "E-mail reminders via SMTP (FENGHUO_SMTP_HOST); each due date is reminded once."))
@handle_errors
def docket_remind(
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    days: int = typer.Option(30, "--days", help=N_("Remind of deadlines within this many days.")),
    to: str | None = typer.Option(None, "--to", help=N_("Send every reminder here (default: each plan's address).")),
    today: str | None = typer.Option(None, "--today", help=N_("Pretend today is this date (YYYY-MM-DD).")),
) -> None:
    from fenghuo.filing.remind import remind

    day = parse_date(today, "today") or date.today()
    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        try:
            sent = remind(session, day, days, to=to)
        except (RuntimeError, OSError) as exc:
            from fenghuo.cli.common import fail

            fail(str(exc), 1)
    total = sum(sent.values())
    typer.echo(_("%(n)s reminder(s) sent to %(r)s recipient(s)", n=total, r=len(sent)))


@docket_app.command("done", help=N_("Mark a deadline as met (no more reminders; the calendar alarm is dropped)."))
@handle_errors
def docket_done(
    entry_id: int = typer.Argument(..., help=N_("Docket entry id (see docket list).")),
    org: str = typer.Option(..., "--org", help=N_("Organisation name or id.")),
    undo: bool = typer.Option(False, "--undo", help=N_("Mark as not done.")),
) -> None:
    from fenghuo.filing.docket import set_done

    init_db()
    org_id = _org_id(org)
    with session_scope(org_id=org_id, actor_label="cli") as session:
        row = set_done(session, entry_id, not undo)
        typer.echo(_("Entry %(id)s: done=%(done)s", id=row.id, done=row.done))


def register(app: typer.Typer) -> None:
    app.command("plan-filing", help=N_(
        "Open routes per target with every deadline and an official-fee estimate; closed routes say why."))(plan_filing)
    app.add_typer(pph_app, name="pph")
    app.add_typer(docket_app, name="docket")
