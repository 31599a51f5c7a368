"""``fenghuo tm watch`` (no database: the acceptance contract), ``tm variants`` and ``tm fetch``.

Why ``watch`` needs no database: a user (or an acceptance check) with a portfolio CSV and a
folder of register files must get alerts in one command. The register is read straight into
memory (the "temporary store"), indexed, and watched; nothing is written except the output.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from fenghuo.cli.common import err_console, fail, out_console, progress_bar, usage_error
from fenghuo.core.i18n import N_, _
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.records import RecordError, RegisterRecord
from fenghuo.tm.sources.detect import iter_source

tm_app = typer.Typer(help=N_("Trademark early warning: watch registers, ingest, portfolios, alerts."),
                     no_args_is_help=True)
fetch_app = typer.Typer(help=N_("Download register files from offices."), no_args_is_help=True)

WATCH_COLUMNS = ("portfolio_mark_id", "office", "application_number", "mark", "applicant", "score", "level",
                 "reasons", "deadline", "remedy")


class WatchFormat(StrEnum):
    csv = "csv"
    json = "json"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


_progress = progress_bar


def read_register(paths: list[Path], empty: list[Path] | None = None) -> tuple[list[RegisterRecord],
                                                                              list[RecordError]]:
    """Every record of every path (files, folders, zips, mixed formats), de-duplicated by global id.

    A later file wins over an earlier one for the same mark, as an ingest would upsert it. Paths
    that yielded no record at all are appended to ``empty`` (a watch against them would be a silent
    all-clear).
    """
    by_id: dict[str, RegisterRecord] = {}
    errors: list[RecordError] = []
    with _progress() as progress:
        task = progress.add_task(_("Reading the register"), total=None)
        for path in paths:
            found = 0
            for item in iter_source(path):
                if isinstance(item, RecordError):
                    errors.append(item)
                else:
                    by_id[item.global_id] = item
                    found += 1
                progress.advance(task)
            if not found and empty is not None:
                empty.append(path)
    return list(by_id.values()), errors


def _write_rows(rows: list[dict[str, object]], fmt: WatchFormat, out: Path | None) -> None:
    if fmt == WatchFormat.json:
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=WATCH_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "reasons": " | ".join(str(r) for r in row["reasons"])})  # type: ignore[attr-defined]
        text = buffer.getvalue()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


@tm_app.command("watch", help=N_(
    "Watch a portfolio against register files: one row per alert with score, reasons, deadline and "
    "remedy.\n\nNeeds no database. Bad portfolio rows and bad register records are reported on standard\n"
    "error (naming the record and the field) and skipped; everything else is watched."))
def watch(
    portfolio: Path = typer.Option(..., "--portfolio", help=N_("Portfolio CSV: mark_id, mark, classes, owner "
                                   "[, jurisdictions, aliases].")),
    register: list[Path] = typer.Option(..., "--register", help=N_("Register files, folders or zips (EUIPO XML, "
                                        "ST.66, USPTO daily XML, CSV); several paths, or repeat the option.")),
    min_score: int | None = typer.Option(None, "--min-score", min=0, max=100,
                                         help=N_("Lowest score reported (default: the recommended 55).")),
    fmt: WatchFormat = typer.Option(WatchFormat.csv, "--format", help=N_("csv or json.")),
    out: Path | None = typer.Option(None, "--out", help=N_("Write to this file instead of standard output.")),
    engine: Engine = typer.Option(Engine.local, "--engine", help=N_("local process pool or a Dask cluster.")),
    scheduler: str | None = typer.Option(None, "--scheduler", help=N_("Dask scheduler address (default: a "
                                         "LocalCluster on this machine).")),
    workers: int | None = typer.Option(None, "--workers", min=1, help=N_("Worker processes (default: CPU count).")),
) -> None:
    from fenghuo.tm.watch import run_watch

    if not portfolio.is_file():
        usage_error(_("no such portfolio file: %(path)s", path=portfolio))
    missing = [str(p) for p in register if not p.exists()]
    if missing:
        usage_error(_("no such register path: %(path)s", path=", ".join(missing)))
    marks, portfolio_errors = read_portfolio(portfolio)
    for error in portfolio_errors:
        err_console.print(_("skipped portfolio %(error)s", error=str(error)), markup=False, highlight=False)
    if not marks:
        usage_error(_("the portfolio %(path)s has no valid mark", path=portfolio))
    empty: list[Path] = []
    records, register_errors = read_register(register, empty)
    for error in register_errors[:50]:
        err_console.print(_("skipped register %(error)s", error=str(error)), markup=False, highlight=False)
    if len(register_errors) > 50:
        err_console.print(_("… and %(n)s more register errors", n=len(register_errors) - 50))
    if empty:
        # No silent all-clear: "0 alerts" after an input that held no register record would be false comfort.
        fail(_("no register record could be read from %(path)s; nothing was watched against it (see the reasons "
               "above). Give EUIPO XML, ST.66, USPTO daily XML or register CSV files.",
               path=", ".join(str(p) for p in empty)), 1)
    with _progress() as progress:
        task = progress.add_task(_("Watching %(n)s marks", n=len(marks)), total=len(marks))
        result = run_watch(marks, records, min_score=min_score, engine=engine.value, scheduler=scheduler,
                           workers=workers, progress=lambda n: progress.advance(task, n))
    _write_rows([alert.row() for alert in result.alerts], fmt, out)
    stats = result.stats
    err_console.print(_("%(marks)s marks × %(records)s records: %(candidates)s candidates, %(assessed)s assessed, "
                        "%(alerts)s alerts in %(seconds).1f s", marks=stats.marks, records=stats.records,
                        candidates=stats.candidates, assessed=stats.assessed, alerts=stats.alerts,
                        seconds=stats.seconds), highlight=False)


@tm_app.command("variants", help=N_(
    "Show the variants a mark is watched under: pinyin, Cantonese, romanizations, translations."))
def variants(
    mark: str = typer.Argument(..., help=N_("The mark as written, e.g. 王老吉 or HISENSE.")),
    alias: list[str] = typer.Option([], "--alias", help=N_("An alias of your own (repeatable).")),
    fmt: WatchFormat = typer.Option(WatchFormat.csv, "--format", help=N_("csv (table) or json.")),
) -> None:
    from fenghuo.tm.variants import expand

    found = expand(mark, alias)
    if fmt == WatchFormat.json:
        sys.stdout.write(json.dumps([v.to_dict() for v in found], ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(_("Variant"), _("Kind"), _("Note"))
    for v in found:
        table.add_row(v.text, v.kind, v.note)
    out_console.print(table)


@fetch_app.command("uspto", help=N_(
    "Download the USPTO daily trademark applications file (apcYYMMDD.zip) for one day."))
def fetch_uspto(
    day: str = typer.Option(..., "--date", help=N_("Day of the daily applications file, YYYY-MM-DD.")),
    dest: Path = typer.Option(Path("."), "--dest", help=N_("Folder to save apcYYMMDD.zip into.")),
) -> None:
    from fenghuo.tm.sources.uspto.fetch import FetchError, fetch_daily

    try:
        when = date.fromisoformat(day)
    except ValueError:
        usage_error(_("%(value)s is not a date (YYYY-MM-DD)", value=day))
    if when > date.today():
        usage_error(_("%(value)s is in the future", value=day))
    try:
        path = fetch_daily(when, dest)
    except FetchError as exc:
        fail(str(exc))
    typer.echo(_("Saved %(path)s", path=path))


tm_app.add_typer(fetch_app, name="fetch")


def register(app: typer.Typer) -> None:
    app.add_typer(tm_app, name="tm")
