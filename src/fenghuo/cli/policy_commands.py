"""``fenghuo policy parse`` (the contract acceptance checks use) and ``fenghuo policy agencies``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from fenghuo.cli.common import fail, handle_errors, out_console, print_json, usage_error
from fenghuo.core.i18n import N_, _
from fenghuo.policy import (
    AgencyRegistry,
    Plan,
    PlanParseError,
    RegistryError,
    default_registry_path,
    load_registry,
    parse_file,
)

policy_app = typer.Typer(help=N_("Policy plans: parse plan texts and resolve the agencies they name."),
                         no_args_is_help=True)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        usage_error(_("%(value)s is not a date (YYYY-MM-DD)", value=value))


def _registry(path: Path | None, *, required: bool) -> AgencyRegistry | None:
    target = path if path is not None else default_registry_path()
    try:
        return load_registry(target)
    except RegistryError as exc:
        if path is not None or required:
            fail(_("cannot read the agency registry: %(error)s", error=str(exc)), 2 if path is not None else 1)
        print(_("Warning: agency registry not found at %(path)s; agency names are not resolved",
                path=target), file=sys.stderr)
        return None


@policy_app.command("parse", help=N_(
    "Parse a plan into parts, sections and measures with their lead and co-responsible agencies."))
def parse(
    path: Path = typer.Argument(..., metavar="FILE", help=N_("The plan: plain text, HTML or DOCX.")),
    fmt: str = typer.Option("json", "--format", help=N_("json (the contract) or table.")),
    on: str | None = typer.Option(None, "--on",
                                  help=N_("Also check each agency's validity on this date (YYYY-MM-DD).")),
    agencies_csv: Path | None = typer.Option(
        None, "--agencies",
        help=N_("Agency registry CSV (default: $FENGHUO_SHARED/data/policy/central_agencies.csv).")),
) -> None:
    if fmt not in ("table", "json"):
        usage_error(_("--format must be table or json"))
    when = _date(on)
    if not path.exists():
        usage_error(_("no such file: %(path)s", path=path))
    if not path.is_file():
        usage_error(_("not a file: %(path)s", path=path))
    registry = _registry(agencies_csv, required=False)
    try:
        plan = parse_file(path, registry=registry, resolve=registry is not None, on=when)
    except PlanParseError as exc:
        usage_error(_("%(path)s: %(message)s", path=path, message=exc.message))
    unknown = plan.unknown_agencies()
    if unknown:
        print(_("Warning: unknown agency names (not resolved): %(names)s", names="、".join(unknown)),
              file=sys.stderr)
    if fmt == "json":
        print_json(plan.to_dict())
        return
    _print_plan(plan)


def _print_plan(plan: Plan) -> None:
    title = plan.title or _("(untitled plan)")
    out_console.print(f"[bold]{title}[/bold]")
    table = Table(_("No."), _("Measure"), _("Lead"), _("Co-responsible"))
    for part in plan.parts:
        table.add_row(f"{part.number or ''}", f"[bold]{part.title}[/bold]", "", "")
        for measure in part.measures:
            table.add_row("", measure.title, "、".join(measure.lead), _co(measure.co, measure.open_ended))
        for section in part.sections:
            table.add_row(f"({section.number})", f"[bold]{section.title}[/bold]", "", "")
            for measure in section.measures:
                table.add_row(measure.number or "", measure.title, "、".join(measure.lead),
                              _co(measure.co, measure.open_ended))
    out_console.print(table)
    count = len(plan.measures())
    out_console.print(_("%(parts)s parts, %(sections)s sections, %(measures)s measures",
                        parts=len(plan.parts), sections=sum(len(p.sections) for p in plan.parts), measures=count))


def _co(names: list[str], open_ended: bool) -> str:
    return "、".join(names) + (_(" and others") if open_ended else "")


@policy_app.command("agencies", help=N_(
    "Resolve an agency name (full, short or alias; exact, never guessed), or list the registry."))
def agencies(
    name: str | None = typer.Argument(None, metavar="[NAME]", help=N_("A name as a plan writes it, or a registry id.")),
    on: str | None = typer.Option(None, "--on", help=N_("Was the body valid on this date (YYYY-MM-DD)?")),
    fmt: str = typer.Option("table", "--format", help=N_("table or json.")),
    agencies_csv: Path | None = typer.Option(
        None, "--agencies",
        help=N_("Agency registry CSV (default: $FENGHUO_SHARED/data/policy/central_agencies.csv).")),
) -> None:
    if fmt not in ("table", "json"):
        usage_error(_("--format must be table or json"))
    when = _date(on)
    registry = _registry(agencies_csv, required=True)
    assert registry is not None
    if name is None:
        _list(registry, fmt)
        return
    resolution = registry.resolve(name, when)
    if resolution.status == "unknown" and (record := registry.get(name.strip())) is not None:
        resolution = registry.resolve(record.full_name, when)
    if fmt == "json":
        print_json(resolution.to_dict())
        if resolution.status in ("unknown", "ambiguous"):
            raise typer.Exit(1)
        return
    if resolution.status == "unknown":
        fail(_("unknown agency: %(name)s (not in the registry; names are matched exactly, never guessed)",
               name=name))
    if resolution.status == "ambiguous":
        fail(_("ambiguous agency name: %(name)s could be %(ids)s",
               name=name, ids=", ".join(c.id for c in resolution.candidates)))
    if resolution.status == "generic":
        typer.echo(_("%(name)s is a generic actor (not one agency): it is kept as written", name=name))
        return
    record = resolution.record
    assert record is not None
    typer.echo(f"{record.id}: {record.full_name} ({record.short_name})")
    typer.echo(_("matched by: %(how)s", how=resolution.matched_by or ""))
    typer.echo(_("category: %(category)s; status: %(status)s", category=record.category, status=record.status))
    start, end = registry.validity(record)
    typer.echo(_("valid from: %(start)s; ended: %(end)s", start=str(start) if start else _("(not recorded)"),
                 end=str(end) if end else _("(still valid)")))
    if record.predecessors:
        typer.echo(_("predecessors: %(names)s", names="; ".join(record.predecessors)))
    if record.successors:
        typer.echo(_("successors: %(names)s", names="; ".join(record.successors)))
    if resolution.current_name and resolution.current_name != record.full_name:
        typer.echo(_("now: %(name)s", name=resolution.current_name))
    elif len(resolution.current) > 1:
        typer.echo(_("now split between: %(names)s", names="; ".join(c.full_name for c in resolution.current)))
    if when is not None:
        verdict = {True: _("yes"), False: _("no"), None: _("uncertain (the registry gives only a year or month)")}
        typer.echo(_("valid on %(date)s: %(verdict)s", date=when.isoformat(), verdict=verdict[resolution.valid_on]))
    if not record.confirmed:
        typer.echo(_("note: this row is unverified in the registry (%(evidence)s)", evidence=record.evidence))


def _list(registry: AgencyRegistry, fmt: str) -> None:
    records = list(registry.records.values())
    if fmt == "json":
        print_json([r.to_dict() for r in records])
        return
    table = Table(_("Id"), _("Full name"), _("Short name"), _("Category"), _("Status"), _("From"), _("To"),
                  _("Successor"))
    for r in records:
        table.add_row(r.id, r.full_name, r.short_name, r.category, r.status, str(r.valid_from or ""),
                      str(r.valid_to or ""), "; ".join(r.successors))
    out_console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


# --- implementation tracking (issue #6 points 4–6) ---------------------------------------------------------
# These commands act as the plan owner: ``--org`` names it for an import; afterwards the plan id is enough.


def _owner_of(plan_id: int) -> int:
    from fenghuo.core.db import session_scope
    from fenghuo.policy.models import PolicyPlan

    with session_scope(org_id=None, platform_admin=True) as session:
        plan = session.get(PolicyPlan, plan_id)
        if plan is None:
            fail(_("plan %(id)s not found", id=plan_id))
        return plan.organisation_id


def _org_ref(ref: str) -> int:
    from fenghuo.core.db import session_scope
    from fenghuo.core.orgs import get_organisation_by_ref

    with session_scope(org_id=None, platform_admin=True) as session:
        return get_organisation_by_ref(session, ref).id


@policy_app.command("track", help=N_(
    "Import a plan for tracking: one task per measure, one accountability row per responsible agency."))
@handle_errors
def track(
    path: Path = typer.Argument(..., metavar="FILE", help=N_("The plan: plain text, HTML or DOCX.")),
    org: str = typer.Option(..., "--org", help=N_("The plan owner (an administration): name or id.")),
    start_year: int | None = typer.Option(None, "--start-year",
                                          help=N_("Default: read from the title (十四五 → 2021).")),
    end_year: int | None = typer.Option(None, "--end-year", help=N_("Default: read from the title (十四五 → 2025).")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import tracking

    if not path.is_file():
        usage_error(_("no such file: %(path)s", path=path))
    init_db()
    owner = _org_ref(org)
    registry = _registry(None, required=False)
    try:
        plan = parse_file(path, registry=registry, resolve=registry is not None)
    except PlanParseError as exc:
        usage_error(_("%(path)s: %(message)s", path=path, message=exc.message))
    with session_scope(org_id=owner, actor_label="cli") as session:
        row = tracking.import_plan(session, plan, start_year=start_year, end_year=end_year, source_name=path.name)
        count = len(tracking.tasks(session, row.id))
        typer.echo(_("plan %(id)s: %(title)s, %(tasks)s tasks, %(start)s–%(end)s", id=row.id, title=row.title,
                     tasks=count, start=row.start_year, end=row.end_year))


@policy_app.command("link", help=N_(
    "Link a responsible agency to its organisation (it then sees and reports on its tasks)."))
@handle_errors
def link(
    agency: str = typer.Argument(..., help=N_("Registry id (cnipa) or name (国家知识产权局).")),
    org: str = typer.Option(..., "--org", help=N_("The plan owner: name or id.")),
    agency_org: str = typer.Option(..., "--agency-org", help=N_("The administration acting for the agency.")),
    email: str | None = typer.Option(None, "--email", help=N_("Where reminders go (default: its admins).")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import tracking

    init_db()
    owner, target = _org_ref(org), _org_ref(agency_org)
    with session_scope(org_id=owner, actor_label="cli") as session:
        row = tracking.link_agency(session, agency, target, email=email)
        typer.echo(_("%(agency)s (%(key)s) → organisation %(org)s", agency=row.agency_name, key=row.agency_key,
                     org=row.agency_org_id))


@policy_app.command("status", help=N_(
    "Dashboard of a plan: what each agency owes, or completion by part/section, with RAG reasons."))
@handle_errors
def status(
    plan_id: int = typer.Option(..., "--plan", help=N_("Plan id.")),
    view: str = typer.Option("agency", "--by", help=N_("agency, part, section, tasks or indicators.")),
    on: str | None = typer.Option(None, "--on", help=N_("Compute the status on this date (YYYY-MM-DD).")),
    fmt: str = typer.Option("table", "--format", help=N_("table or json.")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import dashboard, rag

    if fmt not in ("table", "json"):
        usage_error(_("--format must be table or json"))
    when = _date(on)
    init_db()
    with session_scope(org_id=_owner_of(plan_id), actor_label="cli") as session:
        rows = dashboard.view_rows(rag.plan_statuses(session, plan_id, when), view)
    if fmt == "json":
        print_json(rows)
        return
    if not rows:
        typer.echo(_("nothing to show"))
        return
    columns = [c for c in rows[0] if c not in ("actuals", "agency_key", "registry_id", "organisation_id", "id")]
    table = Table(*columns)
    for row in rows:
        table.add_row(*(str(row[c]) if row[c] is not None else "" for c in columns))
    out_console.print(table)


@policy_app.command("export", help=N_("Export dashboards as CSV or XLSX."))
@handle_errors
def export(
    plan_id: int = typer.Option(..., "--plan", help=N_("Plan id.")),
    view: str = typer.Option("agency", "--view", help=N_("agency, part, section, tasks or indicators (CSV).")),
    fmt: str = typer.Option("csv", "--format", help=N_("csv (one view) or xlsx (every view).")),
    output: Path = typer.Option(..., "--output", "-o", help=N_("File to write.")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import dashboard, rag

    if fmt not in ("csv", "xlsx"):
        usage_error(_("--format must be csv or xlsx"))
    init_db()
    with session_scope(org_id=_owner_of(plan_id), actor_label="cli") as session:
        status_ = rag.plan_statuses(session, plan_id)
        if fmt == "csv":
            output.write_text("\ufeff" + dashboard.to_csv(dashboard.view_rows(status_, view)), encoding="utf-8")
        else:
            output.write_bytes(dashboard.to_xlsx({v: dashboard.view_rows(status_, v) for v in dashboard.VIEWS}))
    typer.echo(_("wrote %(path)s", path=output))


@policy_app.command("remind", help=N_(
    "List (and e-mail) agencies with overdue tasks (催办); every reminder is recorded."))
@handle_errors
def remind(
    plan_id: int = typer.Option(..., "--plan", help=N_("Plan id.")),
    on: str | None = typer.Option(None, "--on", help=N_("Treat this date as today (YYYY-MM-DD).")),
    send: bool = typer.Option(True, "--send/--no-send", help=N_("E-mail when FENGHUO_SMTP_HOST is set.")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import reminders

    when = _date(on)
    init_db()
    with session_scope(org_id=_owner_of(plan_id), actor_label="cli") as session:
        rows = reminders.remind(session, plan_id, when, send=send)
        for row in rows:
            typer.echo(_("%(agency)s: %(n)s overdue task(s) %(ids)s — %(channel)s%(to)s", agency=row.agency_name,
                         n=len(row.task_ids), ids=row.task_ids, channel=row.channel,
                         to=f" {row.recipient}" if row.recipient else ""))
    if not rows:
        typer.echo(_("no agency has overdue tasks"))


@policy_app.command("report", help=N_(
    "Render the evaluation report with its charts (PDF; HTML when the output ends in .html)."))
@handle_errors
def report_cmd(
    evaluation_id: int = typer.Option(..., "--evaluation", help=N_("Evaluation id.")),
    lang: str = typer.Option("zh_CN", "--lang", help=N_("zh_CN or en.")),
    output: Path = typer.Option(..., "--output", "-o", help=N_("PDF (or .html) file to write.")),
) -> None:
    from fenghuo.core.db import init_db, session_scope
    from fenghuo.policy import report
    from fenghuo.policy.models import PolicyEvaluation

    init_db()
    with session_scope(org_id=None, platform_admin=True) as session:
        row = session.get(PolicyEvaluation, evaluation_id)
        if row is None:
            fail(_("evaluation %(id)s not found", id=evaluation_id))
        owner = row.organisation_id
    with session_scope(org_id=owner, actor_label="cli") as session:
        if output.suffix.lower() in (".html", ".htm"):
            output.write_text(report.render_html(session, evaluation_id, lang), encoding="utf-8")
        else:
            output.write_bytes(report.render_pdf(session, evaluation_id, lang))
    typer.echo(_("wrote %(path)s", path=output))
