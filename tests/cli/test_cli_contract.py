"""The CLI contract: every command has --help, usage errors exit 2 with one line, failures exit 1,
and every command group is documented in the README (as sqlite-utils does for its commands)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fenghuo.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _walk(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    command = typer.main.get_command(group)
    paths: list[tuple[str, ...]] = []

    def visit(cmd: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            visit(sub, (*path, name))

    visit(command, prefix)
    return paths


COMMANDS = _walk(app)


def test_there_are_commands() -> None:
    names = {p[0] for p in COMMANDS if p}
    assert {"db", "org", "user", "token", "serve", "demo"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "fenghuo")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_every_top_level_group_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in sorted({p[0] for p in COMMANDS if p}):
        assert f"fenghuo {name}" in readme, f"`fenghuo {name}` is not documented in README.md"


def _run(*args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "FENGHUO_HOME": str(env_home)}
    env.pop("FENGHUO_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_usage_error_is_one_line_exit_2(tmp_path: Path) -> None:
    result = _run("org", "create", "X", "--kind", "bogus", env_home=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--kind" in lines[0]
    result = _run("no-such-command", env_home=tmp_path)
    assert result.returncode == 2 and "No such command" in result.stderr


def test_failure_is_one_line_exit_1(tmp_path: Path) -> None:
    assert _run("org", "create", "Dup", env_home=tmp_path).returncode == 0
    result = _run("org", "create", "Dup", env_home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "already exists" in result.stderr
