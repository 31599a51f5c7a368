"""The ``fenghuo`` command: one Typer group per domain, registered here.

Each domain's CLI module exposes ``register(app: typer.Typer) -> None`` which adds its
commands or groups. Why a registry instead of imports scattered over domains: ``main``
stays the one place that lists what the CLI offers, and ``fenghuo --help`` is stable.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="fenghuo",
    help="Fenghuo 烽火: overseas IP early warning, filing planner, disputes and plan tracking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# (module, required): every module below defines ``register(app)``.
_COMMAND_MODULES: tuple[str, ...] = (
    "fenghuo.cli.core_commands",  # db, org, user, token, serve, demo
    "fenghuo.cli.reference_commands",  # reference jurisdictions / treaties
    "fenghuo.cli.deadline_commands",  # deadline
    "fenghuo.cli.tm_commands",  # tm ...
    "fenghuo.cli.policy_commands",  # policy ...
)


def _register_all() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a domain not built yet
            if exc.name == name:
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
