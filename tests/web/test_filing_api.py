"""`/api/v1/filing`: planning, PPH, the docket and its iCalendar export; other tenants see nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.webkit import World, bearer

BODY = {"type": "invention", "filed": "2026-03-02", "targets": ["US", "JP"], "as_of": "2026-03-10",
        "title": "CN2026 charger"}


def test_plan_and_pph_endpoints(client: TestClient, world: World) -> None:
    h = bearer(world.a.read_token)
    r = client.post("/api/v1/filing/plan", json={**BODY, "targets": ["SA"], "type": "trademark",
                                                 "as_of": "2026-09-01"}, headers=bearer(world.a.write_token))
    assert r.status_code == 200
    madrid = next(x for x in r.json()["targets"][0]["routes"] if x["route"] == "madrid")
    assert madrid["status"] == "closed" and "2026-10-08" in madrid["reason"]
    bad = client.post("/api/v1/filing/plan", json={**BODY, "targets": ["US", "ZZ"]}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "targets"
    assert bad.json()["errors"][0]["record"] == "ZZ"
    check = client.get("/api/v1/filing/pph/check", params={"office": "PL"}, headers=h).json()
    assert check["eligible"] == "unconfirmed" and check["partner"]["confirmed"] == "unconfirmed"
    claims = client.post("/api/v1/filing/pph/claims", json={"allowed": "1. A cup with a lid and a handle.",
                                                            "examined": "1. A cup with a lid."}, headers=h).json()
    assert claims["all_correspond"] is False and "broader" in claims["claims"][0]["reason"]


def test_docket_lifecycle_and_isolation(client: TestClient, world: World) -> None:
    h = bearer(world.a.write_token)
    r = client.post("/api/v1/filing/plans", json={**BODY, "reminder_email": "ip@alpha.example"}, headers=h)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert len(plan["entries"]) == 6 and plan["result"]["targets"][0]["code"] == "US"
    plan_id, entry_id = plan["id"], plan["entries"][0]["id"]
    assert client.post(f"/api/v1/filing/plans/{plan_id}/recompute", json={}, headers=h).json()["unchanged"] == 6
    done = client.patch(f"/api/v1/filing/docket/{entry_id}", json={"done": True}, headers=h).json()
    assert done["done"] is True and done["sequence"] == 1
    ics = client.get("/api/v1/filing/docket.ics", headers=h)
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 6 and {str(e["UID"]) for e in events} == {e["uid"] for e in plan["entries"]}
    # Organisation B sees none of it.
    hb = bearer(world.b.write_token)
    assert client.get(f"/api/v1/filing/plans/{plan_id}", headers=hb).status_code == 404
    assert client.get("/api/v1/filing/docket", headers=hb).json() == []
    assert b"CN2026" not in client.get("/api/v1/filing/docket.ics", headers=hb).content
    # Read-only tokens cannot save.
    assert client.post("/api/v1/filing/plans", json=BODY, headers=bearer(world.a.read_token)).status_code == 403
    assert client.delete(f"/api/v1/filing/plans/{plan_id}", headers=h).status_code == 204
    assert client.get("/api/v1/filing/docket", headers=h).json() == []
