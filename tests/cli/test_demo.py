"""`fenghuo demo` / `serve` and the CLI contract points of issue 17: the port is bound before the
address is printed (a taken port is one clear line and exit 1), the shared register sample is loaded
when present and reported when not, `tm watch` never gives a silent all-clear, and help follows
FENGHUO_LANG."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fenghuo.cli.main import main


def fenghuo(*args: str, home: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FENGHUO_HOME": str(home), "COLUMNS": "200", "FENGHUO_LANG": lang}
    env.pop("FENGHUO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "fenghuo.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=600, stdin=subprocess.DEVNULL)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_help_follows_fenghuo_lang(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("FENGHUO_LANG", "zh_CN")
    code, out, _err = _run(["--help"], capsys)
    assert code == 0
    assert "海外知识产权预警" in out and "命令" in out and "商标预警" in out
    assert "Trademark early warning" not in out and "Show this message" not in out
    code, out, _err = _run(["tm", "watch", "--help"], capsys)
    assert "商标组合 CSV" in out and "显示本帮助并退出" in out
    monkeypatch.setenv("FENGHUO_LANG", "en")
    code, out, _err = _run(["--help"], capsys)
    assert "Trademark early warning" in out and "商标预警" not in out


def test_messages_follow_fenghuo_lang(tmp_path: Path) -> None:
    r = fenghuo("tm", "watch", "--portfolio", str(tmp_path / "nope.csv"), "--register", str(tmp_path),
                home=tmp_path / "home", lang="zh_CN")
    assert r.returncode == 2
    assert "错误" in r.stderr and "nope.csv" in r.stderr


def test_watch_refuses_a_register_path_without_records(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is not a register must not end in "0 alerts" and exit 0 (a silent all-clear)."""
    monkeypatch.setenv("FENGHUO_LANG", "en")
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text("mark_id,mark,classes,owner\nM1,HISENSE,9,Hisense\n", encoding="utf-8")
    not_register = tmp_path / "minutes.csv"
    not_register.write_text("date,topic\n2026-01-01,budget\n", encoding="utf-8")
    good = tmp_path / "register.csv"
    good.write_text("office,application_number,mark,classes,applicant,applicant_country,application_date,"
                    "publication_date,status\nEM,1,HISENSE,9,X GmbH,DE,2026-01-01,2026-02-01,pending\n",
                    encoding="utf-8")
    code, out, err = _run(["tm", "watch", "--portfolio", str(portfolio), "--register", str(good),
                           str(not_register)], capsys)
    assert code == 1
    assert str(not_register) in err and "no register record" in err
    assert "alerts in" not in err  # no "0 alerts" summary after a skipped input
    code, out, err = _run(["tm", "watch", "--portfolio", str(portfolio), "--register", str(good)], capsys)
    assert code == 0 and "HISENSE" in out


def test_watch_refuses_empty_marks(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LANG", "en")
    portfolio = tmp_path / "portfolio.csv"
    portfolio.write_text("mark_id,mark,classes,owner\nM1,   ,9,Hisense\n", encoding="utf-8")
    register = tmp_path / "register.csv"
    register.write_text("office,application_number,mark,classes,applicant,applicant_country,application_date,"
                        "publication_date,status\nEM,1,HISENSE,9,X GmbH,DE,2026-01-01,2026-02-01,pending\n",
                        encoding="utf-8")
    code, _out, err = _run(["tm", "watch", "--portfolio", str(portfolio), "--register", str(register)], capsys)
    assert code == 2
    assert "M1" in err and "field mark" in err


def test_taken_port_is_one_clear_line_and_exit_1(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    from fenghuo.cli.core_commands import bind_socket

    monkeypatch.setenv("FENGHUO_LANG", "en")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        with pytest.raises(typer.Exit) as exc:
            bind_socket("127.0.0.1", port)
        assert exc.value.exit_code == 1
        err = capsys.readouterr().err
        assert f"port {port}" in err and "already in use" in err
        assert "running at" not in capsys.readouterr().out
    finally:
        busy.close()
    sock = bind_socket("127.0.0.1", 0)  # a free port binds, and is listening before anything is printed
    try:
        probe = socket.create_connection(sock.getsockname()[:2], timeout=5)
        probe.close()
    finally:
        sock.close()


def test_demo_serve_on_a_taken_port_fails_before_loading(tmp_path: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        r = fenghuo("demo", "--serve", "--port", str(port), home=tmp_path / "home", lang="zh_CN")
    finally:
        busy.close()
    assert r.returncode == 1
    assert "已被占用" in r.stderr and str(port) in r.stderr
    assert "http://" not in r.stdout  # no address announced for a port that is not ours


def test_shared_sample_loaded_when_present_and_reported_when_not(db_engine: object, tmp_path: Path,
                                                                 shared_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fenghuo.tm.demo import load_shared_sample

    partial = tmp_path / "shared"
    st66 = partial / "data/trademarks/st66-samples"
    st66.mkdir(parents=True)
    for name in ("mytm-example.xml", "thtm-test.xml"):
        shutil.copyfile(shared_dir / "data/trademarks/st66-samples" / name, st66 / name)
    monkeypatch.setenv("FENGHUO_SHARED", str(partial))
    result = load_shared_sample()
    assert result.loaded == [st66]
    assert result.missing == [partial / "data/trademarks/euipo-xml"]
    assert result.stored >= 2
    again = load_shared_sample()  # idempotent: the same records, nothing new
    assert again.stored == result.stored


def test_demo_reports_a_missing_shared_sample(tmp_path: Path) -> None:
    env_shared = tmp_path / "no-shared"
    env = {**os.environ, "FENGHUO_HOME": str(tmp_path / "home"), "FENGHUO_SHARED": str(env_shared),
           "FENGHUO_LANG": "en", "COLUMNS": "200"}
    env.pop("FENGHUO_DATABASE_URL", None)
    r = subprocess.run([sys.executable, "-m", "fenghuo.cli.main", "demo"], capture_output=True, text=True, env=env,
                       timeout=900, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    assert "Shared register sample not found" in r.stdout and str(env_shared) in r.stdout
    assert "platform@demo.fenghuo.test" in r.stdout
