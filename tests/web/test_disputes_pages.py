"""Dispute pages: report an event by form, import a file with a bad row, open the alert and its case,
upload a document (type and size limits) and share the case, all with CSRF-protected forms."""

from __future__ import annotations

from fastapi.testclient import TestClient

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from tests.disputes.conftest import FIXTURES
from tests.webkit import World, csrf_of, login


def test_event_form_alert_case_document_share(client: TestClient, world: World) -> None:
    from sqlalchemy import select

    from fenghuo.disputes.models import DisputeEvent
    from fenghuo.disputes.routing import review_event

    with session_scope(org_id=None, platform_admin=True) as s:
        centre = orgs.create_organisation(s, "Centre", "guidance_centre").id
        branch = orgs.create_organisation(s, "Zhejiang Branch", "guidance_centre", region="Zhejiang",
                                          parent_id=centre).id
    login(client, world.a.admin_email)
    page = client.get("/disputes")
    assert page.status_code == 200 and 'id="event-form"' in page.text and "fenghuo" in page.text.lower()
    csrf = csrf_of(page.text)
    bad = client.post("/disputes/events", data={"kind": "itc337", "number": "337-TA-7", "csrf_token": csrf,
                                                "filed_on": "2025-06-27"})
    assert bad.status_code == 422 and "respondents is required for" in bad.text
    made = client.post("/disputes/events", data={"kind": "itc337", "number": "337-TA-7", "csrf_token": csrf,
                                                 "title": "Certain widgets", "filed_on": "2025-06-27",
                                                 "respondents": "Alpha Secret Org"})
    # An enterprise's report waits for the guidance centre (issue #9); accepted, it alerts A and its branch.
    assert made.status_code == 200 and "alert(s)" not in made.text and 'id="pending-notice"' in made.text
    assert 'class="review-pending"' in made.text
    with session_scope(org_id=world.a.org_id) as s:
        pending = s.scalar(select(DisputeEvent).where(DisputeEvent.number == "337-TA-7"))
        assert pending is not None and pending.review_status == "pending"
        pending_id = pending.id
    assert review_event(centre, None, pending_id, "accept")["alerts"] == 2  # A and its Zhejiang branch
    made = client.get("/disputes")
    assert "2025-07-17" in made.text and "R-US-ITC337-ANSWER" in made.text
    imported = client.post("/disputes/events/import", data={"csrf_token": csrf},
                           files={"file": ("events.csv", (FIXTURES / "events.csv").read_bytes(), "text/csv")})
    assert imported.status_code == 200 and "field filed_on" in imported.text and "4 created" in imported.text
    alert_link = made.text.split('href="/disputes/alerts/')[1].split('"')[0]
    alert = client.get(f"/disputes/alerts/{alert_link}")
    assert alert.status_code == 200 and "Open a case" in alert.text
    opened = client.post(f"/disputes/alerts/{alert_link}/case", data={"csrf_token": csrf}, follow_redirects=False)
    assert opened.status_code == 303
    case_url = opened.headers["location"]
    case = client.get(case_url)
    assert case.status_code == 200 and "R-US-ITC337-ANSWER" in case.text and "Zhejiang Branch" in case.text
    wrong = client.post(f"{case_url}/documents", data={"csrf_token": csrf},
                        files={"file": ("evil.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert wrong.status_code == 422 and "accepted documents" in wrong.text
    fake_pdf = client.post(f"{case_url}/documents", data={"csrf_token": csrf},
                           files={"file": ("answer.pdf", b"not a pdf", "application/pdf")})
    assert fake_pdf.status_code == 422
    big = client.post(f"{case_url}/documents", data={"csrf_token": csrf},
                      files={"file": ("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "application/pdf")})
    assert big.status_code == 422 and "10 MB" in big.text
    ok = client.post(f"{case_url}/documents", data={"csrf_token": csrf},
                     files={"file": ("answer.pdf", b"%PDF-1.7 answer", "application/pdf")})
    assert ok.status_code == 200 and "answer.pdf" in ok.text
    shared = client.post(f"{case_url}/share", data={"csrf_token": csrf, "grantee_organisation_id": str(branch)})
    assert shared.status_code == 200 and "shared with Zhejiang Branch" in shared.text
    no_csrf = client.post(f"{case_url}/share", data={"grantee_organisation_id": str(branch)})
    assert no_csrf.status_code in (400, 403)
    stats = client.get("/disputes/stats")
    assert stats.status_code == 200 and "US International Trade Commission" not in stats.text or "itc337" in stats.text


def test_other_organisation_gets_404_pages(client: TestClient, world: World) -> None:
    login(client, world.b.admin_email)
    assert client.get("/disputes/cases/1").status_code == 404
    assert client.get("/disputes/alerts/1").status_code == 404
