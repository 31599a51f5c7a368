"""Reference data: derived from the shared WIPO lists, dated, with confirmation status."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fenghuo import reference
from fenghuo.cli.main import app as cli
from fenghuo.core.errors import NotFound
from tests.webkit import World, bearer

ROOT = Path(__file__).resolve().parents[2]


def test_names_in_both_languages() -> None:
    cn = reference.get_jurisdiction("cn")
    assert (cn.name_en, cn.name_zh) == ("China", "中国")
    assert reference.get_jurisdiction("EM").kind == "regional"
    with pytest.raises(NotFound):
        reference.get_jurisdiction("XX")


def test_memberships_are_dated() -> None:
    assert not reference.is_member("SA", "madrid", date(2026, 10, 7))
    assert reference.is_member("SA", "madrid", date(2026, 10, 8))
    assert reference.is_member("US", "pct", date(2026, 1, 1))


def test_hague_1960_only_states_are_not_designable_from_china() -> None:
    benin = reference.membership("BJ", "hague")
    assert benin is not None and not benin.designable_from_china
    armenia = reference.membership("AM", "hague")
    assert armenia is not None and armenia.designable_from_china


def test_unconfirmed_rows_keep_their_flag_and_source() -> None:
    wto = reference.membership("AF", "wto")
    assert wto is not None and not wto.is_confirmed and wto.source and wto.as_of is not None


def test_package_data_is_derived_from_shared(shared_dir: Path, tmp_path: Path) -> None:
    """Re-deriving from ../shared gives exactly the package data (nothing edited by hand)."""
    out = tmp_path / "data"
    script = (ROOT / "scripts" / "derive_reference_data.py").read_text()
    patched = script.replace('OUT = ROOT / "src" / "fenghuo" / "reference" / "data"', f"OUT = Path({str(out)!r})")
    path = tmp_path / "derive.py"
    path.write_text(patched)
    subprocess.run([sys.executable, str(path), str(shared_dir)], check=True, capture_output=True)
    for name in ("jurisdictions.csv", "memberships.csv"):
        assert (out / name).read_text() == (ROOT / "src/fenghuo/reference/data" / name).read_text()


def test_cli() -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["reference", "jurisdictions", "--treaty", "madrid", "--on", "2026-10-07", "--format",
                            "json"])
    assert r.exit_code == 0
    codes = {row["code"] for row in json.loads(r.output)}
    assert "CN" in codes and "SA" not in codes
    r = runner.invoke(cli, ["reference", "show", "SA"])
    assert r.exit_code == 0 and json.loads(r.output)["name_zh"] == "沙特阿拉伯"
    assert runner.invoke(cli, ["reference", "jurisdictions", "--treaty", "tripsx"]).exit_code == 2
    assert runner.invoke(cli, ["reference", "show", "XX"]).exit_code == 1


def test_api_and_page(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/reference/jurisdictions?treaty=hague&on=2026-01-01", headers=bearer(world.a.read_token))
    assert r.status_code == 200
    assert any(j["code"] == "OA" for j in r.json())
    r = client.get("/api/v1/reference/jurisdictions/SA", headers=bearer(world.a.read_token))
    madrid = [m for m in r.json()["memberships"] if m["treaty"] == "madrid"][0]
    assert madrid["in_force_from"] == "2026-10-08"
    assert client.get("/api/v1/reference/jurisdictions?treaty=x", headers=bearer(world.a.read_token)).status_code == 422
    from tests.webkit import login

    login(client, world.a.admin_email)
    page = client.get("/reference?treaty=wto")
    assert page.status_code == 200 and "not confirmed" in page.text and "Afghanistan" in page.text
    # The official source is named; the research trail (file names, mirrors, typos) stays in the data.
    assert "WIPO treaty status list" in page.text and "github.com" not in page.text and ".csv" not in page.text
    assert "foundd" not in page.text
