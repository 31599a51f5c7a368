"""Dispute API: a permission matrix per organisation kind and role, insurance visibility on both
sides, stations with the 24-hour clock, notifications by SMTP and signed webhook, statistics CSV."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import User
from fenghuo.tm.notify import verify
from tests.webkit import World, bearer


def _org_token(name: str, kind: str, role: str = "admin", **kw: Any) -> tuple[int, str, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind, **kw)
        user = orgs.create_user(s, f"{name.split()[0].lower()}-{role}@example.com", "correct-horse-battery")
        orgs.add_member(s, org.id, user.id, role)
        row = s.get(User, user.id)
        assert row is not None
        _t, token = tokens.create_token(s, row, org.id, "t", "read write")
        return org.id, token, user.id


@pytest.fixture
def kinds(world: World) -> dict[str, tuple[int, str, int]]:
    centre = _org_token("Centre", "guidance_centre")
    return {"centre": centre,
            "branch": _org_token("Branch", "guidance_centre", parent_id=centre[0], region="Zhejiang"),
            "station": _org_token("Station", "exhibition_station"),
            "insurer": _org_token("Insurer", "insurer"),
            "insurer2": _org_token("Rival", "insurer"),
            "administration": _org_token("Office", "administration")}


def test_permission_matrix_per_kind_and_role(client: TestClient, world: World,
                                             kinds: dict[str, tuple[int, str, int]]) -> None:
    a = bearer(world.a.write_token)
    case = client.post("/api/v1/disputes/cases", headers=a, json={"title": "US suit", "kind": "us_district",
                                                                  "trigger": "2025-11-06"}).json()
    assert [c["due"] for c in case["clocks"]] == ["2025-11-28", "2026-11-06"]
    station_body = {"fair": "Canton Fair", "starts_on": "2025-04-15", "ends_on": "2025-04-19"}
    policy_body = {"number": "P-1", "insured_org_id": world.a.org_id, "limit_amount": "500000",
                   "starts_on": "2025-01-01", "ends_on": "2025-12-31", "countries": ["US"]}
    # who may create what: (kind, path, body) -> expected status
    expectations = [
        ("enterprise-viewer", "/api/v1/disputes/cases", {"title": "x", "kind": "itc337"}, 403),
        ("enterprise-read-token", "/api/v1/disputes/cases", {"title": "x", "kind": "itc337"}, 403),
        ("enterprise", "/api/v1/disputes/stations", station_body, 403),
        ("insurer", "/api/v1/disputes/stations", station_body, 403),
        ("station", "/api/v1/disputes/stations", station_body, 201),
        ("enterprise", "/api/v1/disputes/policies", policy_body, 403),
        ("station", "/api/v1/disputes/policies", policy_body, 403),
        ("insurer", "/api/v1/disputes/policies", policy_body, 201),
        ("branch", f"/api/v1/disputes/cases/{case['id']}/stage", {"stage": "response"}, 404),
    ]
    heads = {"enterprise": a, "enterprise-viewer": bearer(world.a.viewer_token),
             "enterprise-read-token": bearer(world.a.read_token),
             **{k: bearer(v[1]) for k, v in kinds.items()}}
    for who, path, body, status in expectations:
        r = client.post(path, headers=heads[who], json=body)
        assert r.status_code == status, (who, path, r.text)
    share = client.post(f"/api/v1/disputes/cases/{case['id']}/share", headers=a,
                        json={"grantee_organisation_id": kinds["branch"][0]})
    assert share.status_code == 201
    branch = heads["branch"]
    assert client.get(f"/api/v1/disputes/cases/{case['id']}", headers=branch).json()["owned"] is False
    assert client.post(f"/api/v1/disputes/cases/{case['id']}/stage", headers=branch,
                       json={"stage": "response"}).status_code == 403  # shared read-only
    for who in ("centre", "station", "insurer", "administration"):
        assert client.get(f"/api/v1/disputes/cases/{case['id']}", headers=heads[who]).status_code == 404
    # administration sees counts over all cases, never names
    stats = client.get("/api/v1/disputes/stats", headers=heads["administration"]).json()
    # one case across organisations: suppressed (issue #9), never a name
    assert stats["total"] is None and stats["total_suppressed"] is True and "US suit" not in json.dumps(stats)
    assert client.get("/api/v1/disputes/stats", headers=bearer(world.b.write_token)).json()["total"] == 0
    revoke = client.delete(f"/api/v1/disputes/cases/{case['id']}/share/{share.json()['grant_id']}", headers=a)
    assert revoke.status_code == 204
    assert client.get(f"/api/v1/disputes/cases/{case['id']}", headers=branch).status_code == 404


def test_insurance_each_side_sees_only_its_own(client: TestClient, world: World,
                                               kinds: dict[str, tuple[int, str, int]]) -> None:
    ins, rival, a, b = (bearer(kinds["insurer"][1]), bearer(kinds["insurer2"][1]), bearer(world.a.write_token),
                        bearer(world.b.write_token))
    body = {"number": "P-1", "insured_org_id": world.a.org_id, "limit_amount": "500000.00",
            "starts_on": "2025-01-01", "ends_on": "2025-12-31", "countries": ["US"]}
    policy = client.post("/api/v1/disputes/policies", headers=ins, json=body).json()
    assert client.post("/api/v1/disputes/policies", headers=ins, json=body).status_code == 422  # same number
    bad = client.post("/api/v1/disputes/policies", headers=ins, json={**body, "number": "P-2",
                                                                     "limit_amount": "lots"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "limit_amount"
    assert client.get("/api/v1/disputes/policies", headers=a).json() == []  # an offer until A accepts it
    assert [p["number"] for p in client.get("/api/v1/disputes/policy-offers", headers=a).json()] == ["P-1"]
    assert client.post(f"/api/v1/disputes/policies/{policy['id']}/answer", headers=a,
                       json={"decision": "accept"}).json()["status"] == "accepted"
    assert [p["number"] for p in client.get("/api/v1/disputes/policies", headers=a).json()] == ["P-1"]
    assert client.get("/api/v1/disputes/policies", headers=rival).json() == []
    assert client.get("/api/v1/disputes/policies", headers=b).json() == []
    case = client.post("/api/v1/disputes/cases", headers=a, json={"title": "c", "kind": "itc337", "country": "US"})
    claim = client.post(f"/api/v1/disputes/policies/{policy['id']}/claims", headers=a,
                        json={"costs_incurred": "12000.50", "currency": "USD", "case_id": case.json()["id"]})
    assert claim.status_code == 201, claim.text
    assert client.post(f"/api/v1/disputes/policies/{policy['id']}/claims", headers=ins,
                       json={"costs_incurred": "1"}).status_code == 403
    assert [c["costs_incurred"] for c in client.get("/api/v1/disputes/claims", headers=ins).json()] == ["12000.50"]
    assert client.get("/api/v1/disputes/claims", headers=rival).json() == []
    decided = client.post(f"/api/v1/disputes/claims/{claim.json()['id']}/decision", headers=ins,
                          json={"status": "accepted"})
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert client.post(f"/api/v1/disputes/claims/{claim.json()['id']}/decision", headers=a,
                       json={"status": "paid"}).status_code == 403


def test_station_complaint_clock_checklist_outcome_stats(client: TestClient, world: World,
                                                         kinds: dict[str, tuple[int, str, int]]) -> None:
    st = bearer(kinds["station"][1])
    station = client.post("/api/v1/disputes/stations", headers=st, json={
        "fair": "Canton Fair 137", "starts_on": "2025-04-15", "ends_on": "2025-04-19", "staff": ["Li"]}).json()
    bad = client.post("/api/v1/disputes/stations", headers=st, json={
        "fair": "X", "starts_on": "2025-04-15", "ends_on": "2025-04-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ends_on"
    url = f"/api/v1/disputes/stations/{station['id']}/complaints"
    c1 = client.post(url, headers=st, json={"complainant": "Patentee", "respondent": "Booth Co", "booth": "9.1A",
                                            "received_at": "2025-04-19T16:45:00+08:00"}).json()
    assert c1["answer_due_at"].startswith("2025-04-20T16:45")
    client.post(url, headers=st, json={"complainant": "Other", "respondent": "Booth Co"})
    early = client.post(f"/api/v1/disputes/complaints/{c1['id']}", headers=st, json={"outcome": "covered"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "checklist"
    ticked = client.post(f"/api/v1/disputes/complaints/{c1['id']}", headers=st, json={
        "checklist": {"certificate": True, "in_force": True, "comparison": True},
        "answered_at": "2025-04-20T10:00:00+08:00", "outcome": "covered"})
    assert ticked.status_code == 200 and ticked.json()["outcome"] == "covered"
    stats = client.get(f"/api/v1/disputes/stations/{station['id']}", headers=st).json()["stats"]
    assert stats["complaints"] == 2 and stats["answered_on_time"] == 1 and stats["repeat_respondents"] == ["Booth Co"]
    assert client.get(f"/api/v1/disputes/stations/{station['id']}",
                      headers=bearer(world.a.write_token)).status_code == 404


def test_notifications_smtp_webhook_and_digest(client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch,
                                               kinds: dict[str, tuple[int, str, int]]) -> None:
    from aiosmtpd.controller import Controller

    from fenghuo.disputes import notify

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("FENGHUO_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FENGHUO_SMTP_PORT", str(port))
        a = bearer(world.a.write_token)
        prefs = client.put("/api/v1/disputes/notifications/preferences", headers=a, json={
            "email": "alpha-admin@example.com", "email_mode": "immediate", "webhook_url": "https://hooks.example/x"})
        assert prefs.status_code == 200 and prefs.json()["webhook_secret"]
        bad = client.put("/api/v1/disputes/notifications/preferences", headers=a,
                         json={"email_mode": "immediate", "email": "nope"})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
        client.post("/api/v1/disputes/events", headers=bearer(kinds["centre"][1]), json={  # a centre: alerts at once
            "kind": "itc337", "number": "337-TA-5", "filed_on": "2025-06-27",
            "parties": [{"name": "Alpha Secret Org", "role": "respondent"}]})
        inbox = client.get("/api/v1/disputes/notifications?unread=true", headers=a).json()
        assert len(inbox) == 1 and "2025-07-17" in inbox[0]["title"]
        posted: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda r: (posted.append(r), httpx.Response(204))[1])
        sent = notify.deliver(world.a.org_id, client=httpx.Client(transport=transport))
        assert sent == 2 and len(received) == 1 and b"337-TA-5" in received[0].content
        req = posted[0]
        assert verify(prefs.json()["webhook_secret"], req.headers["X-Fenghuo-Timestamp"], req.content,
                      req.headers["X-Fenghuo-Signature"])
        assert notify.deliver(world.a.org_id, client=httpx.Client(transport=transport)) == 0  # nothing new
        client.put("/api/v1/disputes/notifications/preferences", headers=a, json={
            "email": "alpha-admin@example.com", "email_mode": "digest"})
        assert notify.deliver(world.a.org_id, digest=True) == 1 and b"digest" in received[-1].content
        read = client.post(f"/api/v1/disputes/notifications/{inbox[0]['id']}/read", headers=a)
        assert read.status_code == 200 and read.json()["read_at"]
    finally:
        controller.stop()


def test_stats_csv_in_both_languages_and_chart(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    for forum in ("USITC", "USITC", "N.D. Ill."):
        client.post("/api/v1/disputes/cases", headers=a, json={"title": "c", "kind": "itc337", "forum": forum})
    en = client.get("/api/v1/disputes/stats/export.csv?dimension=forum&lang=en", headers=a)
    assert en.status_code == 200 and en.text.splitlines()[:2] == ["dimension,value,cases", "Forum,USITC,2"]
    zh = client.get("/api/v1/disputes/stats/export.csv?dimension=province&lang=zh_CN", headers=a)
    assert zh.text.lstrip("\ufeff").splitlines()[:2] == ["维度,取值,案件数", "省份,浙江,3"]
    assert client.get("/api/v1/disputes/stats/export.csv?dimension=colour", headers=a).status_code == 422
    chart = client.get("/api/v1/disputes/stats/chart?dimension=forum", headers=a).json()
    assert chart["mark"]["type"] == "bar" and {"value": "USITC", "cases": 2} in chart["data"]["values"]


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_stats_report_pdf_in_both_languages_counts_without_names(client: TestClient, world: World,
                                                                 kinds: dict[str, tuple[int, str, int]]) -> None:
    a = bearer(world.a.write_token)
    for forum in ("USITC", "USITC", "EDTX"):
        r = client.post("/api/v1/disputes/cases", headers=a,
                        json={"title": "Secret suit", "kind": "itc337", "forum": forum, "country": "US"})
        assert r.status_code == 201, r.text
    zh = client.get("/api/v1/disputes/stats/report.pdf?lang=zh_CN", headers=a)
    assert zh.status_code == 200 and zh.headers["content-type"] == "application/pdf"
    assert zh.content.startswith(b"%PDF") and len(zh.content) > 2000
    zh_text = _pdf_text(zh.content)
    assert "纠纷统计" in zh_text and "案件数" in zh_text and "USITC" in zh_text
    en_text = _pdf_text(client.get("/api/v1/disputes/stats/report.pdf?lang=en", headers=a).content)
    assert "Dispute statistics" in en_text and "Cases: 3" in en_text and "纠纷统计" not in en_text
    centre = bearer(kinds["centre"][1])
    for lang in ("en", "zh_CN"):
        r = client.get(f"/api/v1/disputes/stats/report.pdf?lang={lang}", headers=centre)
        text = _pdf_text(r.content)
        assert r.status_code == 200 and "USITC" in text and "EDTX" in text
        assert world.a.org_name not in text and "Secret suit" not in text
    centre_text = _pdf_text(client.get("/api/v1/disputes/stats/report.pdf", headers=centre).content)
    assert "Cases: <5" in centre_text and "cells with fewer than 5 are suppressed" in centre_text  # across tenants
    assert client.get("/api/v1/disputes/stats/report.pdf?lang=fr", headers=a).status_code == 422
    other = _pdf_text(client.get("/api/v1/disputes/stats/report.pdf", headers=bearer(world.b.write_token)).content)
    assert "Cases: 0" in other and "USITC" not in other
    page = client.get("/disputes/stats", headers=a)
    if page.status_code == 200:
        assert "/api/v1/disputes/stats/report.pdf?lang=zh_CN" in page.text


def test_a_read_grant_on_a_complaint_does_not_allow_editing_it(client: TestClient, world: World,
                                                               kinds: dict[str, tuple[int, str, int]]) -> None:
    """Shared read-only through the platform's grants, a complaint stays the station's to change."""
    st = bearer(kinds["station"][1])
    station = client.post("/api/v1/disputes/stations", headers=st, json={
        "fair": "Canton Fair 138", "starts_on": "2025-10-15", "ends_on": "2025-10-19"}).json()
    complaint = client.post(f"/api/v1/disputes/stations/{station['id']}/complaints", headers=st,
                            json={"complainant": "Patentee", "respondent": "Alpha booth"}).json()
    shared = client.post("/api/v1/grants", headers=st, json={
        "object_type": "disputes_fair_complaints", "object_id": complaint["id"],
        "grantee_organisation_id": world.a.org_id, "permission": "read"})
    assert shared.status_code == 201, shared.text
    a = bearer(world.a.write_token)
    attempt = client.post(f"/api/v1/disputes/complaints/{complaint['id']}", headers=a,
                          json={"outcome": "withdrawn"})
    assert attempt.status_code == 403 and "another organisation" in attempt.json()["detail"]
    again = client.get(f"/api/v1/disputes/stations/{station['id']}", headers=st).json()
    [unchanged] = [c for c in again["complaints"] if c["id"] == complaint["id"]]
    assert unchanged["outcome"] != "withdrawn"
