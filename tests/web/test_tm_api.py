"""`/api/v1/tm` in-process: portfolio, variants, upload limits, runs, alert workflow, register,
applicant profiles, channels — and the permissions of read tokens and viewers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fenghuo.tm.ingest import ingest_paths
from tests.tm_store.conftest import PORTFOLIO_CSV, REGISTER_CSV
from tests.webkit import World, bearer


@pytest.fixture
def register(world: World, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    ingest_paths([path])


def _post_marks(client: TestClient, token: str) -> dict[str, Any]:
    r = client.post("/api/v1/tm/marks/import", headers=bearer(token),
                    files={"file": ("portfolio.csv", PORTFOLIO_CSV.encode() + b"BAD,,x,,,\n", "text/csv")})
    assert r.status_code == 200, r.text
    return r.json()


def test_portfolio_import_run_and_alert_workflow(client: TestClient, world: World, register: None) -> None:
    token = world.a.write_token
    imported = _post_marks(client, token)
    assert imported["created"] == 4 and imported["errors"][0]["field"] == "mark"
    marks = client.get("/api/v1/tm/marks", headers=bearer(token)).json()
    assert {m["mark_id"] for m in marks} == {"M1", "M2", "M3", "M4"}
    run = client.post("/api/v1/tm/runs", json={}, headers=bearer(token))
    assert run.status_code == 201 and run.json()["alerts_new"] >= 4 and run.json()["status"] == "done"
    assert client.get(f"/api/v1/tm/runs/{run.json()['id']}", headers=bearer(token)).json()["records_scanned"] == 6
    alerts = client.get("/api/v1/tm/alerts", headers=bearer(token)).json()
    yili = next(a for a in alerts if a["register_mark"]["mark"] == "YILI")
    assert yili["watched_mark"]["mark"] == "伊利" and yili["deadline"] and yili["deadline_detail"]["trace"]
    assert any("pinyin of 伊利 is YILI" in r["message"] for r in yili["reasons"])
    high = client.get("/api/v1/tm/alerts", params={"level": "high", "office": "US"}, headers=bearer(token)).json()
    assert {a["register_mark"]["mark"] for a in high} <= {"HERO"}
    assert client.get("/api/v1/tm/alerts", params={"level": "urgent"}, headers=bearer(token)).status_code == 422
    url = f"/api/v1/tm/alerts/{yili['id']}/state"
    bad = client.post(url, json={"state": "dismissed"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    ok = client.post(url, json={"state": "dismissed", "reason": "licensed distributor"}, headers=bearer(token))
    assert ok.status_code == 200 and ok.json()["state"] == "dismissed"
    detail = client.get(f"/api/v1/tm/alerts/{yili['id']}", headers=bearer(token)).json()
    assert detail["dismiss_reason"] == "licensed distributor"
    # The change is in the audit log, with before and after.
    audit = client.get("/api/v1/audit", params={"object_type": "tm_alerts"}, headers=bearer(token)).json()
    assert any(e["action"] == "update" and e["after"].get("state") == "dismissed" for e in audit)


def test_variants_can_be_edited_and_reset(client: TestClient, world: World) -> None:
    token = world.a.write_token
    created = client.post("/api/v1/tm/marks", json={"mark_id": "W1", "mark": "王老吉", "classes": [32]},
                          headers=bearer(token))
    assert created.status_code == 201
    mark = created.json()
    assert {"WANGLAOJI", "WONG LO KAT"} <= {v["text"] for v in mark["variants"]}
    edited = [dict(v, enabled=v["kind"] != "wade_giles") for v in mark["variants"]]
    edited.append({"text": "WLJ", "kind": "user", "note": "our abbreviation", "enabled": True})
    r = client.put(f"/api/v1/tm/marks/{mark['id']}/variants", json=edited, headers=bearer(token))
    assert r.status_code == 200 and r.json()["variants_edited"]
    assert any(v["text"] == "WLJ" for v in r.json()["variants"])
    assert not next(v for v in r.json()["variants"] if v["kind"] == "wade_giles")["enabled"]
    bad = client.put(f"/api/v1/tm/marks/{mark['id']}/variants", json=[{"text": "X", "kind": "magic"}],
                     headers=bearer(token))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "variants"
    reset = client.post(f"/api/v1/tm/marks/{mark['id']}/variants/reset", headers=bearer(token)).json()
    assert not reset["variants_edited"] and not any(v["text"] == "WLJ" for v in reset["variants"])
    patched = client.patch(f"/api/v1/tm/marks/{mark['id']}", json={"classes": [32, 33]}, headers=bearer(token))
    assert patched.json()["classes"] == [32, 33]
    assert client.delete(f"/api/v1/tm/marks/{mark['id']}", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/tm/marks", headers=bearer(token)).json() == []


@pytest.mark.parametrize(("name", "content", "ctype"), [
    ("portfolio.xlsx", b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("big.csv", b"mark_id,mark\n" + b"x" * (2 * 1024 * 1024 + 10), "text/csv"),
])
def test_upload_limits(client: TestClient, world: World, name: str, content: bytes, ctype: str) -> None:
    r = client.post("/api/v1/tm/marks/import", headers=bearer(world.a.write_token),
                    files={"file": (name, content, ctype)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    assert client.get("/api/v1/tm/marks", headers=bearer(world.a.write_token)).json() == []


def test_bad_mark_input_names_the_field(client: TestClient, world: World) -> None:
    r = client.post("/api/v1/tm/marks", json={"mark_id": "Z", "mark": "ZED", "classes": [46]},
                    headers=bearer(world.a.write_token))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "classes.0"  # the item, not just the list
    r = client.post("/api/v1/tm/marks", json={"mark_id": "Z", "mark": "ZED", "jurisdictions": ["EUR"]},
                    headers=bearer(world.a.write_token))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "jurisdictions.0"


def test_read_tokens_and_viewers_cannot_write(client: TestClient, world: World) -> None:
    body = {"mark_id": "R1", "mark": "READONLY"}
    for token in (world.a.read_token, world.a.viewer_token):
        assert client.post("/api/v1/tm/marks", json=body, headers=bearer(token)).status_code == 403
        assert client.get("/api/v1/tm/marks", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/tm/marks").status_code == 401


def test_register_search_and_applicant_profile(client: TestClient, world: World, register: None) -> None:
    token = world.a.write_token
    found = client.get("/api/v1/tm/register", params={"q": "dairy"}, headers=bearer(token)).json()
    assert {r["mark"] for r in found} == {"YILI", "WONG LO KAT", "HAIXIN"}
    one = client.get(f"/api/v1/tm/register/{found[0]['id']}", headers=bearer(token)).json()
    assert one["record"]["office"] == "EM"
    key = found[0]["applicant_key"]
    profile = client.get(f"/api/v1/tm/register/applicants/{key}", headers=bearer(token)).json()
    assert len(profile["filings"]) == 3 and set(profile["chinese_like"]) == {"YILI", "HAIXIN"}
    assert client.get("/api/v1/tm/register/applicants/NOBODY", headers=bearer(token)).status_code == 404


def test_relationship_raises_squatter_evidence(client: TestClient, world: World, register: None) -> None:
    token = world.a.write_token
    r = client.post("/api/v1/tm/relationships", json={"counterpart_name": "Dairy Traders Kft.",
                                                      "relation": "distributor", "country": "HU"},
                    headers=bearer(token))
    assert r.status_code == 201
    profile = client.get("/api/v1/tm/register/applicants/DAIRY TRADERS KFT", headers=bearer(token)).json()
    assert profile["relationships"] == ["distributor"] and any("6septies" in e for e in profile["evidence"])
    # Organisation B has no such relationship: the same public profile shows no 6septies evidence to B.
    other = client.get("/api/v1/tm/register/applicants/DAIRY TRADERS KFT", headers=bearer(world.b.write_token))
    assert other.json()["relationships"] == []
    bad = client.post("/api/v1/tm/relationships", json={"counterpart_name": "X", "relation": "friend"},
                      headers=bearer(token))
    assert bad.status_code == 422


def test_webhook_channel_secret_shown_once(client: TestClient, world: World) -> None:
    token = world.a.write_token
    r = client.post("/api/v1/tm/channels", json={"kind": "webhook", "target": "https://hooks.example/x"},
                    headers=bearer(token))
    assert r.status_code == 201 and len(r.json()["secret"]) > 30
    listed = client.get("/api/v1/tm/channels", headers=bearer(token)).json()
    assert listed[0]["target"] == "https://hooks.example/x" and listed[0]["secret"] is None
    assert client.delete(f"/api/v1/tm/channels/{r.json()['id']}", headers=bearer(token)).status_code == 204
