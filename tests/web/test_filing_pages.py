"""Filing pages: plan in the browser, save to the docket, calendar month view, PPH check."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.webkit import World, csrf_of, login


def test_plan_save_calendar_and_ics(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/filing")
    assert page.status_code == 200 and 'id="plan-form"' in page.text
    csrf = csrf_of(page.text)
    form = {"csrf_token": csrf, "type": "trademark", "filed": "2026-03-02", "targets": "SA,US",
            "as_of": "2026-09-01", "title": "JADE RABBIT"}
    result = client.post("/filing", data=form)
    assert result.status_code == 200 and "Saudi Arabia: Madrid in force only from 2026-10-08" in result.text
    assert "official fees only" in result.text and "28 Apr 2023" in result.text  # the fee table date, in words
    saved = client.post("/filing/plans", data=form, follow_redirects=False)
    assert saved.status_code == 303
    plan_page = client.get(saved.headers["location"])
    assert plan_page.status_code == 200 and "R-PAR-TMDS" in plan_page.text
    month = client.get("/filing/calendar", params={"month": "2026-09"})
    assert month.status_code == 200 and "file claiming the Chinese priority" in month.text
    assert client.get("/filing/calendar", params={"month": "2026-13"}).status_code == 422
    ics = client.get("/filing/docket.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    # Missing CSRF token is refused.
    assert client.post("/filing", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 403


def test_bad_form_names_the_field(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/filing").text)
    r = client.post("/filing", data={"csrf_token": csrf, "type": "design", "filed": "2026-03-02",
                                     "pct_number": "PCT/CN2026/000123", "pct_filed": "2026-04-01", "targets": "US"})
    assert r.status_code == 422 and "PCT" in r.text


def test_pph_page(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/filing/pph")
    assert page.status_code == 200 and "unconfirmed" in page.text
    r = client.post("/filing/pph", data={"csrf_token": csrf_of(page.text), "office": "JP", "programme": "pct-pph",
                                         "allowed": "1. A cup with a lid and a handle.",
                                         "examined": "1. A cup with a lid and a handle.\n2. A cup."})
    assert r.status_code == 200 and "Claim correspondence table" in r.text and "broader" in r.text
    assert "WO/ISA" in r.text
