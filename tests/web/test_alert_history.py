"""Alert review history: every state change of a trademark or dispute alert is kept with who, when,
from → to and why, shown on the alert page and returned by the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import User
from tests.web.test_tm_api import _post_marks, register  # noqa: F401 - fixture
from tests.webkit import PASSWORD, World, bearer, csrf_of, login


def test_tm_alert_history_in_api_and_page(client: TestClient, world: World, register: None) -> None:  # noqa: F811
    token = world.a.write_token
    _post_marks(client, token)
    assert client.post("/api/v1/tm/runs", json={}, headers=bearer(token)).status_code == 201
    alert = client.get("/api/v1/tm/alerts", headers=bearer(token)).json()[0]
    url = f"/api/v1/tm/alerts/{alert['id']}"
    assert client.get(url, headers=bearer(token)).json()["history"] == []
    assert client.post(f"{url}/state", json={"state": "reviewing"}, headers=bearer(token)).status_code == 200
    refused = client.post(f"{url}/state", json={"state": "dismissed"}, headers=bearer(token))
    assert refused.status_code == 422  # a refused change leaves no trace
    done = client.post(f"{url}/state", json={"state": "dismissed", "reason": "licensed distributor"},
                       headers=bearer(token)).json()
    history = done["history"]
    assert [(h["from_state"], h["to_state"]) for h in history] == [("new", "reviewing"), ("reviewing", "dismissed")]
    assert history[1]["reason"] == "licensed distributor" and history[1]["user_id"] == world.a.admin_id
    assert history[1]["user"] == "alpha admin" and history[1]["at"]
    assert client.get(url, headers=bearer(token)).json()["history"] == history
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "history" in schema["AlertWithHistory"]["properties"] and "HistoryEntry" in schema
    # The page shows the same trace, with translated state labels.
    login(client, world.a.admin_email)
    page = client.get(f"/tm/alerts/{alert['id']}").text
    table = page.split('id="alert-history"')[1].split("</table>")[0]
    assert "alpha admin" in table and "licensed distributor" in table and "Under review" in table
    # Another organisation sees neither the alert nor its history.
    other = client.get(url, headers=bearer(world.b.write_token))
    assert other.status_code == 404


def test_dispute_alert_history_from_page_api_and_case(client: TestClient, world: World) -> None:
    # A guidance centre reports the event (an enterprise's own report would wait for review).
    with session_scope(org_id=None, platform_admin=True) as s:
        centre = orgs.create_organisation(s, "Guidance Centre", "guidance_centre")
        user = orgs.create_user(s, "centre@example.com", PASSWORD)
        orgs.add_member(s, centre.id, user.id, "admin")
        row = s.get(User, user.id)
        assert row is not None
        _t, centre_token = tokens.create_token(s, row, centre.id, "t", "read write")
    made = client.post("/api/v1/disputes/events", headers=bearer(centre_token), json={
        "kind": "itc337", "number": "337-TA-9", "title": "Certain pumps", "filed_on": "2025-06-27",
        "parties": [{"name": "Alpha Secret Org", "role": "respondent"}]})
    assert made.status_code in (200, 201), made.text
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/disputes").text)
    alerts = client.get("/api/v1/disputes/alerts", headers=bearer(world.a.write_token)).json()
    alert_id = alerts[0]["id"]
    page = client.get(f"/disputes/alerts/{alert_id}").text
    assert 'id="alert-history-empty"' in page and 'id="state-form"' in page
    bad = client.post(f"/disputes/alerts/{alert_id}/state", data={"state": "dismissed", "csrf_token": csrf})
    assert bad.status_code == 422 and 'data-field="reason"' in bad.text and 'id="state-form"' in bad.text
    ok = client.post(f"/disputes/alerts/{alert_id}/state", data={"state": "acknowledged", "reason": "seen",
                                                                  "csrf_token": csrf})
    assert ok.status_code == 200 and "Alert state saved." in ok.text
    table = ok.text.split('id="alert-history"')[1].split("</table>")[0]
    assert "New" in table and "Acknowledged" in table and "seen" in table and "alpha admin" in table
    client.post(f"/disputes/alerts/{alert_id}/case", data={"csrf_token": csrf})
    api = client.get(f"/api/v1/disputes/alerts/{alert_id}", headers=bearer(world.a.write_token)).json()
    assert [(h["from_state"], h["to_state"]) for h in api["history"]] == [
        ("new", "acknowledged"), ("acknowledged", "case_opened")]
    state = client.post(f"/api/v1/disputes/alerts/{alert_id}/state", json={"state": "dismissed", "reason": "settled"},
                        headers=bearer(world.a.write_token)).json()
    assert state["history"][-1]["reason"] == "settled" and state["history"][-1]["to_state"] == "dismissed"


def test_alert_ids_beyond_the_key_range_are_a_clear_422(client: TestClient, world: World) -> None:
    token = bearer(world.a.write_token)
    for r in (client.get("/api/v1/tm/alerts/99999999999999999999", headers=token),
              client.post("/api/v1/tm/alerts/99999999999999999999/state", json={"state": "new"}, headers=token),
              client.get("/api/v1/disputes/alerts/99999999999999999999", headers=token)):
        assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("alert_id")
