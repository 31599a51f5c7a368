"""Every CLI help text has a zh_CN translation, so ``FENGHUO_LANG=zh_CN fenghuo … --help`` shows no English.

Walks the whole Click tree Typer builds from :data:`fenghuo.cli.main.app`: a command or group without
help, or a command/option/argument help that the zh_CN catalogue does not translate, fails here (mark
the text ``N_()``, run ``scripts/update_catalogs.py`` with a translations JSON and compile).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from fenghuo.cli.main import app
from fenghuo.core.i18n import translations


def _walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from _walk(sub, f"{path} {name}")


def _texts() -> list[tuple[str, str]]:
    """(where, English help) for every command and every option/argument that has help."""
    root = typer.main.get_command(app)
    out: list[tuple[str, str]] = []
    for path, command in _walk(root, "fenghuo"):
        out.append((path, command.help or ""))
        for param in command.params:
            if getattr(param, "help", None):
                out.append((f"{path} {param.opts[0] if param.opts else param.name}", param.help))
    return out


def test_the_tree_is_walked() -> None:
    where = {w for w, _ in _texts()}
    for expected in ("fenghuo disputes insurance claim", "fenghuo docket add-plan", "fenghuo policy track --org",
                     "fenghuo reference show", "fenghuo calendar load", "fenghuo deadline --from", "fenghuo tm"):
        assert expected in where


def test_every_command_has_help() -> None:
    missing = [where for where, text in _texts() if not text.strip()]
    assert not missing, f"commands without help: {missing}"


def test_every_help_text_is_translated_to_chinese() -> None:
    zh = translations("zh_CN")
    untranslated = [f"{where}: {text!r}" for where, text in _texts() if text and zh.gettext(text) == text]
    assert not untranslated, "CLI help without a zh_CN translation:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("args", [["disputes"], ["disputes", "insurance", "issue"], ["docket", "add-plan"],
                                  ["policy", "track"], ["reference", "jurisdictions"], ["calendar", "load"],
                                  ["pph", "check"]])
def test_help_pages_are_chinese(args: list[str], monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from fenghuo.cli.main import main

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("FENGHUO_LANG", "zh_CN")
    with pytest.raises(SystemExit) as exc:
        main([*args, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    zh = translations("zh_CN")
    command = typer.main.get_command(app)
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert zh.gettext(command.help) in out
    assert "Show this message and exit." not in out
