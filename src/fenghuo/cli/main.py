"""The ``fenghuo`` command: one Typer group per domain, registered here.

Each domain's CLI module exposes ``register(app: typer.Typer) -> None`` which adds its
commands or groups. Why a registry instead of imports scattered over domains: ``main``
stays the one place that lists what the CLI offers, and ``fenghuo --help`` is stable.
"""

from __future__ import annotations

import importlib

import typer

from fenghuo.core.i18n import N_, _

app = typer.Typer(
    name="fenghuo",
    help=N_("Fenghuo 烽火: overseas IP early warning, filing planner, disputes and plan tracking."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, required): every module below defines ``register(app)``.
_COMMAND_MODULES: tuple[str, ...] = (
    "fenghuo.cli.core_commands",  # db, org, user, token, serve, demo
    "fenghuo.cli.reference_commands",  # reference jurisdictions / treaties
    "fenghuo.cli.deadline_commands",  # deadline
    "fenghuo.cli.tm_commands",  # tm watch (no database)
    "fenghuo.cli.tm_store_commands",  # tm ingest / quarantine / portfolio / run / alerts
    "fenghuo.cli.policy_commands",  # policy parse / agencies / plans
    "fenghuo.cli.dispute_commands",  # disputes events / cases / stations / insurance
    "fenghuo.cli.filing_commands",  # plan-filing / pph / docket
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a domain not built yet
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(app)


_register_all()


#: Options that take several values after one flag (``--register A B``) as well as repeats.
VARIADIC_OPTIONS = frozenset({"--register"})


def expand_variadic(argv: list[str]) -> list[str]:
    """``--register A B --x`` → ``--register A --register B --x`` (Click options take one value)."""
    out: list[str] = []
    current: str | None = None
    for arg in argv:
        if arg == "--":
            current = None
            out.append(arg)
        elif arg in VARIADIC_OPTIONS:
            current = arg
            out.append(arg)
        elif current and not arg.startswith("-") and out[-1] != current:
            out.extend((current, arg))
        else:
            if arg.startswith("-"):
                current = None
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    """Entry point: rich help, but usage errors as ONE line on stderr with exit code 2."""
    import sys

    from typer._click import exceptions as cx  # Typer vendors click

    from fenghuo.cli.i18n import localize

    command = localize(typer.main.get_command(app))  # help in FENGHUO_LANG's language
    argv = expand_variadic(list(sys.argv[1:] if argv is None else argv))
    try:
        rv = command.main(args=argv, prog_name="fenghuo", standalone_mode=False)
    except cx.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else "", file=sys.stderr)
        sys.exit(2)
    except cx.UsageError as exc:
        path = exc.ctx.command_path if exc.ctx else "fenghuo"
        print(_("%(command)s: error: %(message)s", command=path, message=exc.format_message()), file=sys.stderr)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print(_("Aborted."), file=sys.stderr)
        sys.exit(1)
    except cx.ClickException as exc:
        print(_("Error: %(message)s", message=exc.format_message()), file=sys.stderr)
        sys.exit(exc.exit_code)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
