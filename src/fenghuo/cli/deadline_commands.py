"""``fenghuo deadline`` (the contract acceptance checks use) and ``fenghuo calendar load``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer
from rich.table import Table

from fenghuo.cli.common import fail, out_console, print_json, usage_error
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import N_, _
from fenghuo.deadlines import compute, load_closed_dates, rules

calendar_app = typer.Typer(help=N_("Office calendars (closed dates)."), no_args_is_help=True)


def deadline(
    rule_id: str | None = typer.Argument(None, metavar="RULE_ID", help=N_("A rule id, e.g. R-PCT-NP (see --list).")),
    from_: str | None = typer.Option(None, "--from", help=N_("Trigger date YYYY-MM-DD (or YYYY-MM-DDTHH:MM).")),
    office: str | None = typer.Option(None, "--office", help=N_("ST.3 office code, e.g. CN, EP, US, DE.")),
    fmt: str = typer.Option("table", "--format", help=N_("table or json.")),
    at: str | None = typer.Option(None, "--at", help=N_("Time of the trigger (HH:MM) for hour-based clocks.")),
    temporary_relief: bool = typer.Option(False, "--temporary-relief", help=N_("ITC 337: temporary relief sought.")),
    perishable: bool = typer.Option(False, "--perishable", help=N_("EU customs: perishable goods.")),
    list_rules: bool = typer.Option(False, "--list", help=N_("List every rule id with its title.")),
) -> None:
    if list_rules:
        table = Table(_("Rule"), _("Title"), _("Computation"), _("Source"))
        for rule in rules().values():
            table.add_row(rule.rule_id, rule.title, rule.computation, rule.source)
        out_console.print(table)
        return
    if rule_id is None:
        usage_error(_("give a RULE_ID (or --list)"))
    if from_ is None:
        usage_error(_("--from YYYY-MM-DD is required"))
    if fmt not in ("table", "json"):
        usage_error(_("--format must be table or json"))
    try:
        trigger: date | datetime = datetime.fromisoformat(from_) if "T" in from_ else date.fromisoformat(from_)
        if at:
            trigger = datetime.combine(trigger if isinstance(trigger, date) else trigger.date(),
                                       datetime.strptime(at, "%H:%M").time())
    except ValueError:
        usage_error(_("%(value)s is not a date (YYYY-MM-DD)", value=from_ + (f" {at}" if at else "")))
    try:
        result = compute(rule_id, trigger, office, temporary_relief=temporary_relief, perishable=perishable)
    except NotFound as exc:
        usage_error(str(exc))
    except ValidationFailed as exc:
        usage_error(exc.message)
    data = result.to_dict()
    if fmt == "json":
        print_json(data)
        return
    out_console.print(f"[bold]{result.rule.rule_id}[/bold] {result.rule.title}")
    out_console.print(_("due: %(due)s (raw %(raw)s)%(prov)s", due=data["due"], raw=data["raw"],
                        prov=_(" — provisional") if result.provisional else ""))
    table = Table(_("Date"), _("Step"))
    for step in result.trace:
        table.add_row(step.day, step.note)
    out_console.print(table)
    out_console.print(_("Source: %(source)s", source=result.rule.source))


@calendar_app.command("load", help=N_(
    "Load an office's closed dates; later deadlines on that calendar are recomputed from them."))
def calendar_load(
    office: str = typer.Argument(..., help=N_("ST.3 office code.")),
    path: Path = typer.Argument(..., help=N_("CSV with columns office,date,reason (WIPO closed-dates form).")),
) -> None:
    if not path.is_file():
        usage_error(_("no such file: %(path)s", path=path))
    try:
        count = load_closed_dates(office, path)
    except ValidationFailed as exc:
        fail(f"{exc.record}: {exc.field}: {exc.message}", 2)
    typer.echo(_("Loaded %(n)s closed dates for %(office)s", n=count, office=office.upper()))


def register(app: typer.Typer) -> None:
    app.command("deadline", help=N_(
        "Compute a deadline with its rule, raw date, due date and every day skipped (trace)."))(deadline)
    app.add_typer(calendar_app, name="calendar")
