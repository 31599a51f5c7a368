"""Helpers every CLI group shares: error handling with the documented exit codes, output.

Exit codes: 0 success, 1 failure (not found, conflict, permission), 2 usage error (bad option
value, bad input file) — always with one clear line on stderr.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from fenghuo.core.errors import Conflict, FenghuoError, NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _

F = TypeVar("F", bound=Callable[..., Any])

err_console = Console(stderr=True)
out_console = Console()


def progress_bar() -> Progress:
    """A rich progress bar on stderr (hidden when stderr is not a terminal, so pipes and logs stay clean).

    Domain functions take a ``progress(n)`` callback and never print; commands wire it to this bar.
    """
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=True,
                    disable=not err_console.is_terminal)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit with ``code``."""
    print(_("Error: %(message)s", message=message), file=sys.stderr)
    raise typer.Exit(code)


def usage_error(message: str) -> NoReturn:
    fail(message, 2)


def handle_errors(func: F) -> F:
    """Map domain errors onto exit codes and one clear line (no tracebacks for known errors)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            where = ""
            if exc.record:
                where += _("record %(record)s: ", record=exc.record)
            if exc.field:
                where += _("field %(field)s: ", field=exc.field)
            usage_error(where + exc.message)
        except (NotFound, Conflict, PermissionDenied) as exc:
            fail(str(exc), 1)
        except FenghuoError as exc:
            fail(str(exc), 1)

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
