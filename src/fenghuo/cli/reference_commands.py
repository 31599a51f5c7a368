"""``fenghuo reference``: browse jurisdictions and dated treaty memberships."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from fenghuo import reference
from fenghuo.cli.common import handle_errors, out_console, print_json, usage_error
from fenghuo.core.i18n import N_, _, get_locale
from fenghuo.core.labels import label

reference_app = typer.Typer(help=N_("Reference data: jurisdictions and treaty memberships."), no_args_is_help=True)


@reference_app.command("jurisdictions", help=N_(
    "List jurisdictions, optionally only the parties to a treaty on a date."))
@handle_errors
def jurisdictions(
    treaty: str | None = typer.Option(None, "--treaty", help=N_("paris, pct, madrid, hague or wto.")),
    on: str | None = typer.Option(None, "--on",
                                  help=N_("Membership in force on this date (YYYY-MM-DD); default today.")),
    fmt: str = typer.Option("table", "--format", help=N_("table or json.")),
) -> None:
    if treaty and treaty not in reference.TREATIES:
        usage_error(_("unknown treaty %(treaty)s (one of: %(treaties)s)", treaty=treaty,
                      treaties=", ".join(reference.TREATIES)))
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        usage_error(_("%(value)s is not a date (YYYY-MM-DD)", value=on))
    rows = reference.list_jurisdictions(treaty, day)
    if fmt == "json":
        print_json([{"code": j.code, "name_en": j.name_en, "name_zh": j.name_zh, "kind": j.kind} for j in rows])
        return
    table = Table(_("Code"), _("Name"), _("Kind"))
    for j in rows:
        table.add_row(j.code, j.name(get_locale()), label("jurisdiction_kind", j.kind))
    out_console.print(table)


@reference_app.command("show", help=N_("One jurisdiction with its memberships, sources and confirmation status."))
@handle_errors
def show(code: str = typer.Argument(..., help=N_("ST.3 code, e.g. SA or EM."))) -> None:
    j = reference.get_jurisdiction(code)
    print_json({
        "code": j.code, "name_en": j.name_en, "name_zh": j.name_zh, "kind": j.kind,
        "memberships": [
            {"treaty": m.treaty, "in_force_from": m.in_force_from, "status": m.status, "detail": m.detail,
             "confirmed": m.confirmed, "unconfirmed": not m.is_confirmed, "source": m.source, "as_of": m.as_of}
            for m in reference.memberships(j.code)
        ],
    })


def register(app: typer.Typer) -> None:
    app.add_typer(reference_app, name="reference")
