"""CLI help in the user's language (``FENGHUO_LANG``), translated when the command tree is built.

Why after building and not with ``_()`` at import: Typer takes ``help=`` strings (and docstrings)
when the commands are declared, i.e. on import, and tests or a long-lived process may switch the
locale afterwards. So help texts are declared in English, marked ``N_()`` for extraction, and
:func:`localize` walks the built Click tree once per invocation and translates every command's
help, every option's help and the panel titles through the Babel catalogue in the current locale
(from ``FENGHUO_LANG`` via :func:`fenghuo.core.i18n.get_locale`). A text without a catalogue entry
stays English rather than failing.
"""

from __future__ import annotations

from typing import Any

from fenghuo.core.i18n import N_, get_locale, translations

#: Texts of Typer/Click itself shown in help pages (marked here so the catalogue has them).
FRAMEWORK_TEXTS = {
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ABORTED_TEXT": N_("Aborted."),
}
HELP_OPTION_TEXT = N_("Show this message and exit.")
USAGE_PREFIX = N_("Usage: ")

_patched = False


def tr(text: str) -> str:
    """``text`` in the current locale when the catalogue has it, else unchanged."""
    return str(translations(get_locale()).gettext(text)) if text else text


def _patch_framework() -> None:
    """Route the help option's text and the usage prefix through :func:`tr` (once per process)."""
    global _patched
    if _patched:
        return
    from typer._click import core as click_core
    from typer._click import formatting

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None and option.help:
            option.help = tr(HELP_OPTION_TEXT) if option.help in (HELP_OPTION_TEXT, tr(HELP_OPTION_TEXT)) \
                else tr(option.help)
        return option

    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, tr(USAGE_PREFIX) if prefix is None else prefix)

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    _patched = True


def localize(command: Any) -> Any:
    """Translate the help of ``command`` (a built Click command or group) and everything below it."""
    import typer.rich_utils as rich_utils

    _patch_framework()
    for name, msgid in FRAMEWORK_TEXTS.items():
        setattr(rich_utils, name, tr(msgid))
    _walk(command)
    return command


def _walk(command: Any) -> None:
    for attr in ("help", "short_help", "epilog"):
        value = getattr(command, attr, None)
        if isinstance(value, str) and value:
            setattr(command, attr, tr(value))
    for param in getattr(command, "params", []):
        value = getattr(param, "help", None)
        if isinstance(value, str) and value:
            param.help = tr(value)
    for sub in (getattr(command, "commands", None) or {}).values():
        _walk(sub)
