"""Event intake trust (issue #9): an organisation that is not a guidance centre, a station or a
platform feed cannot plant alerts in another enterprise's inbox, nor learn from the answer whether
a name belongs to a registered enterprise. Its events wait for a centre's review (API, page, CLI)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import AuditEntry, User
from tests.webkit import PASSWORD, World, bearer, csrf_of, login


def _org(name: str, kind: str, **kw: Any) -> tuple[int, str, str]:
    """An organisation with an admin user; returns its id, a write token and the user's e-mail."""
    email = f"{name.split()[0].lower()}@example.com"
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind, **kw)
        user = orgs.create_user(s, email, PASSWORD)
        orgs.add_member(s, org.id, user.id, "admin")
        row = s.get(User, user.id)
        assert row is not None
        _t, token = tokens.create_token(s, row, org.id, "t", "read write")
        return org.id, token, email


def _event(number: str, respondent: str) -> dict[str, Any]:
    return {"kind": "itc337", "number": number, "title": "Certain widgets", "filed_on": "2025-06-27",
            "parties": [{"name": respondent, "role": "respondent"}]}


def test_planted_event_raises_nothing_and_answers_no_counts(client: TestClient, world: World) -> None:
    """The reported attack: B names A as respondent; A got alerts with deadlines and B read {"alerts": 2}."""
    a, b = bearer(world.a.write_token), bearer(world.b.write_token)
    _org("Zhejiang Branch", "guidance_centre", region="Zhejiang")
    planted = client.post("/api/v1/disputes/events", headers=b, json=_event("337-TA-9001", "Alpha Secret Org"))
    nobody = client.post("/api/v1/disputes/events", headers=b, json=_event("337-TA-9002", "Nobody Registered Ltd"))
    assert planted.status_code == nobody.status_code == 201
    assert set(planted.json()) == {"id", "status"} and planted.json()["status"] == "pending"
    # Identity probing: the answer is the same whether the name belongs to an enterprise or not.
    assert {k: v for k, v in planted.json().items() if k != "id"} == \
        {k: v for k, v in nobody.json().items() if k != "id"}
    assert client.get("/api/v1/disputes/alerts", headers=a).json() == []
    assert client.get("/api/v1/disputes/notifications", headers=a).json() == []
    assert client.get("/api/v1/disputes/matches", headers=b).json() == []
    mine = {e["number"]: e["review_status"] for e in client.get("/api/v1/disputes/events", headers=b).json()}
    assert mine == {"337-TA-9001": "pending", "337-TA-9002": "pending"}
    imported = client.post("/api/v1/disputes/events/import", headers=b, files={"file": (
        "e.json", json.dumps([_event("337-TA-9003", "Alpha Secret Org")]).encode(), "application/json")})
    assert imported.status_code == 200 and "alerts" not in imported.json() and "queued" not in imported.json()
    assert imported.json()["events"][0]["status"] == "pending"
    assert client.get("/api/v1/disputes/alerts", headers=a).json() == []


def test_centre_reviews_accept_alerts_reject_says_why(client: TestClient, world: World) -> None:
    a, b = bearer(world.a.write_token), bearer(world.b.write_token)
    centre_id, centre_token, _e = _org("Guidance Centre", "guidance_centre")
    centre = bearer(centre_token)
    first = client.post("/api/v1/disputes/events", headers=b, json=_event("337-TA-9101", "Alpha Secret Org")).json()
    second = client.post("/api/v1/disputes/events", headers=b, json=_event("337-TA-9102", "Alpha Secret Org")).json()
    # Only centres see and decide the queue; others learn nothing (403 for the list, 404 for the object).
    assert client.get("/api/v1/disputes/intake", headers=b).status_code == 403
    assert client.post(f"/api/v1/disputes/intake/{first['id']}/review", headers=a,
                       json={"decision": "accept"}).status_code == 404
    queue = client.get("/api/v1/disputes/intake", headers=centre).json()
    assert [(e["number"], e["submitter"]) for e in queue] == [("337-TA-9102", "Beta Org"), ("337-TA-9101", "Beta Org")]
    no_reason = client.post(f"/api/v1/disputes/intake/{second['id']}/review", headers=centre,
                            json={"decision": "reject"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    rejected = client.post(f"/api/v1/disputes/intake/{second['id']}/review", headers=centre,
                           json={"decision": "reject", "reason": "No docket with this number at the USITC"})
    assert rejected.status_code == 200 and rejected.json()["review_status"] == "rejected"
    accepted = client.post(f"/api/v1/disputes/intake/{first['id']}/review", headers=centre,
                           json={"decision": "accept"})
    assert accepted.status_code == 200 and accepted.json()["alerts"] == 1  # counts go to the centre only
    again = client.post(f"/api/v1/disputes/intake/{first['id']}/review", headers=centre, json={"decision": "reject",
                                                                                               "reason": "x"})
    assert again.status_code == 422
    alerts = client.get("/api/v1/disputes/alerts", headers=a).json()
    assert [x["number"] for x in alerts] == ["337-TA-9101"] and alerts[0]["clock_due"] == "2025-07-17"
    # The submitter sees its own submissions and their status, never the matches.
    mine = {e["number"]: (e["review_status"], e["review_reason"])
            for e in client.get("/api/v1/disputes/events", headers=b).json()}
    assert mine == {"337-TA-9101": ("accepted", None),
                    "337-TA-9102": ("rejected", "No docket with this number at the USITC")}
    assert client.get("/api/v1/disputes/matches", headers=b).json() == []
    told = [n["title"] for n in client.get("/api/v1/disputes/notifications", headers=b).json()]
    assert any("337-TA-9101" in t and "accepted" in t for t in told) and not any("Alpha" in t for t in told)
    with session_scope(org_id=None, platform_admin=True) as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.organisation_id == centre_id)))
    assert {"disputes.event_accepted", "disputes.event_rejected"} <= actions
    # Changing an accepted event sends it back to review: no new alert for the new name.
    changed = client.post("/api/v1/disputes/events", headers=b, json={
        **_event("337-TA-9101", "Alpha Secret Org"), "title": "Now naming someone else too"})
    assert changed.json() == {"id": first["id"], "status": "pending"}
    assert len(client.get("/api/v1/disputes/alerts", headers=a).json()) == 1


def test_centres_and_stations_are_processed_at_once(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    _c, centre_token, _e = _org("Guidance Centre", "guidance_centre")
    _s, station_token, _e2 = _org("Canton Station", "exhibition_station")
    by_centre = client.post("/api/v1/disputes/events", headers=bearer(centre_token),
                            json=_event("337-TA-9201", "Alpha Secret Org")).json()
    assert by_centre["status"] == "accepted" and by_centre["alerts"] == 1
    by_station = client.post("/api/v1/disputes/events", headers=bearer(station_token), json={
        "kind": "exhibition_complaint", "number": "CF-1", "forum": "Canton Fair", "country": "CN",
        "received_at": "2025-04-19T16:45:00+08:00", "parties": [{"name": "Alpha Secret Org"}]}).json()
    assert set(by_station) == {"id", "status"} and by_station["status"] == "accepted"  # no counts for stations
    assert {x["number"] for x in client.get("/api/v1/disputes/alerts", headers=a).json()} == {"337-TA-9201", "CF-1"}


def test_pages_submit_review_and_status(client: TestClient, world: World) -> None:
    _c, _t, centre_email = _org("Guidance Centre", "guidance_centre")
    login(client, world.b.admin_email)
    page = client.get("/disputes")
    made = client.post("/disputes/events", data={
        "csrf_token": csrf_of(page.text), "kind": "itc337", "number": "337-TA-9301", "filed_on": "2025-06-27",
        "respondents": "Alpha Secret Org"})
    assert made.status_code == 200 and "alert(s)" not in made.text and 'id="pending-notice"' in made.text
    assert 'class="review-pending"' in made.text and 'id="intake"' not in made.text
    client.post("/logout", data={"csrf_token": csrf_of(made.text)})
    client.cookies.clear()
    login(client, centre_email)
    overview = client.get("/disputes")
    assert 'id="intake"' in overview.text and "337-TA-9301" in overview.text and "Beta Org" in overview.text
    event_id = overview.text.split('action="/disputes/intake/')[1].split("/")[0]
    bad = client.post(f"/disputes/intake/{event_id}/review", data={"csrf_token": csrf_of(overview.text),
                                                                   "decision": "reject"})
    assert bad.status_code == 422
    done = client.post(f"/disputes/intake/{event_id}/review", data={"csrf_token": csrf_of(overview.text),
                                                                    "decision": "accept"}, follow_redirects=False)
    assert done.status_code == 303
    with session_scope(org_id=world.a.org_id) as s:
        from fenghuo.disputes.models import DisputeAlert

        assert [x.number for x in s.scalars(select(DisputeAlert))] == ["337-TA-9301"]


def test_cli_intake_and_review(world: World) -> None:
    from typer.testing import CliRunner

    from fenghuo.cli.main import app
    from fenghuo.disputes import events as events_mod

    centre_id, _t, _e = _org("Guidance Centre", "guidance_centre")
    with session_scope(org_id=world.b.org_id) as s:
        rec = events_mod.parse_record(_event("337-TA-9401", "Alpha Secret Org"), "x")
        summary = events_mod.store_records(s, [rec])
    assert summary.pending_ids == summary.event_ids
    runner = CliRunner()
    listed = runner.invoke(app, ["disputes", "intake", "--org", str(centre_id)])
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["number"] == "337-TA-9401"
    denied = runner.invoke(app, ["disputes", "intake", "--org", str(world.b.org_id)])
    assert denied.exit_code == 1
    no_reason = runner.invoke(app, ["disputes", "intake-review", str(summary.event_ids[0]), "reject",
                                    "--org", str(centre_id)])
    assert no_reason.exit_code == 2
    accepted = runner.invoke(app, ["disputes", "intake-review", str(summary.event_ids[0]), "accept",
                                   "--org", str(centre_id)])
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.output)["alerts"] == 1
