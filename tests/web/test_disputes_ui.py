"""Dispute pages added for issue #5: exhibition stations (24-hour clock, checklist, outcomes, per-fair
statistics), insurance (each side sees only its own), the per-kind event form, the import quarantine,
notification preferences and the case forms (tasks, stage, outcome, links, revoking a share)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.disputes import cases, insurance
from fenghuo.disputes.models import DisputeEvent, Notification
from tests.disputes.conftest import FIXTURES
from tests.webkit import PASSWORD, World, bearer, csrf_of, login


def _org_with_admin(name: str, kind: str, email: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind)
        user = orgs.create_user(s, email, PASSWORD)
        orgs.add_member(s, org.id, user.id, "admin")
        return org.id


def test_station_complaint_clock_checklist_outcome_and_stats(client: TestClient, world: World) -> None:
    _org_with_admin("Canton Fair Station", "exhibition_station", "station@example.com")
    login(client, world.a.admin_email)
    other = client.get("/disputes/stations")
    assert other.status_code == 200 and 'id="not-a-station"' in other.text and 'id="station-form"' not in other.text
    client.cookies.clear()
    login(client, "station@example.com")
    page = client.get("/disputes/stations")
    assert page.status_code == 200 and 'id="station-form"' in page.text
    csrf = csrf_of(page.text)
    station = {"fair": "Canton Fair 137", "starts_on": "2025-04-15", "ends_on": "2025-04-19", "venue": "Pazhou",
               "staff": "Li; Wang"}
    assert client.post("/disputes/stations", data=station).status_code == 403  # no CSRF
    bad = client.post("/disputes/stations", data={**station, "ends_on": "2025-04-01", "csrf_token": csrf})
    assert bad.status_code == 422 and "cannot end before it starts" in bad.text
    made = client.post("/disputes/stations", data={**station, "csrf_token": csrf}, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    got = client.post(f"{url}/complaints", data={"csrf_token": csrf, "complainant": "Patentee Co",
                                                  "respondent": "Booth Maker Ltd", "booth": "5.1A12",
                                                  "right_type": "design", "received_at": "2025-04-15T10:30"})
    assert got.status_code == 200
    assert "16 Apr 2025, 10:30" in got.text and "overdue" in got.text  # received in 2025, never answered
    cid = got.text.split('id="complaint-')[1].split('"')[0]
    answered = client.post(f"/disputes/complaints/{cid}/answer",
                           data={"csrf_token": csrf, "answered_at": "2025-04-16T09:00"})
    assert answered.status_code == 200
    refused = client.post(f"/disputes/complaints/{cid}/outcome", data={"csrf_token": csrf, "outcome": "covered"})
    assert refused.status_code == 422 and "verify the right" in refused.text
    ticked = client.post(f"/disputes/complaints/{cid}/checklist",
                         data={"csrf_token": csrf, "item": ["certificate", "in_force", "comparison"]})
    assert ticked.status_code == 200 and ticked.text.count("checked") == 3
    closed = client.post(f"/disputes/complaints/{cid}/outcome", data={"csrf_token": csrf, "outcome": "covered"})
    assert closed.status_code == 200 and "answered in time" in closed.text
    assert '<strong class="outcome">Exhibits removed or covered</strong>' in closed.text
    stats = client.get("/disputes/stations")
    row = stats.text.split('id="stations"')[1].split("</table>")[0]
    assert "Canton Fair 137" in row and "covered: 1" in row and "<td>1</td><td>1</td><td>1</td>" in row
    client.cookies.clear()
    login(client, world.a.admin_email)
    assert client.get(url).status_code == 404  # another organisation's station


def test_insurance_each_side_sees_only_its_own(client: TestClient, world: World) -> None:
    _org_with_admin("Mutual Insurer", "insurer", "insurer@example.com")
    insurer2 = _org_with_admin("Other Insurer", "insurer", "insurer2@example.com")
    with session_scope(org_id=insurer2) as s:
        insurance.issue_policy(s, insurance.PolicyIn("OTHER-INSURER-P1", world.a.org_id, "5000", date(2030, 1, 1),
                                                     date(2030, 12, 31)))
        insurance.issue_policy(s, insurance.PolicyIn("BETA-ONLY-P2", world.b.org_id, "5000", date(2030, 1, 1),
                                                     date(2030, 12, 31)))
    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        case_id = cases.open_case(s, cases.CaseIntake("Alpha US suit", "us_district", country="US")).id
    login(client, "insurer@example.com")
    page = client.get("/disputes/insurance")
    assert page.status_code == 200 and 'id="policy-form"' in page.text
    csrf = csrf_of(page.text)
    policy = {"number": "MUTUAL-P1", "insured_org_id": str(world.a.org_id), "limit_amount": "500000",
              "starts_on": "2030-01-01", "ends_on": "2030-12-31", "products": "desks; chairs", "countries": "US;DE"}
    assert client.post("/disputes/insurance/policies", data=policy).status_code == 403  # no CSRF
    bad = client.post("/disputes/insurance/policies", data={**policy, "limit_amount": "lots", "csrf_token": csrf})
    assert bad.status_code == 422 and "not an amount" in bad.text
    issued = client.post("/disputes/insurance/policies", data={**policy, "csrf_token": csrf})
    assert issued.status_code == 200 and "MUTUAL-P1" in issued.text and "desks, chairs" in issued.text
    assert "OTHER-INSURER-P1" not in issued.text and "BETA-ONLY-P2" not in issued.text
    client.cookies.clear()
    login(client, world.a.admin_email)
    offered = client.get("/disputes/insurance")
    assert 'id="offers"' in offered.text and 'name="policy_id" required></select>' in offered.text  # nothing held
    for _offer in range(2):  # policies are in A's list only once A accepts them (issue #9)
        action = offered.text.split('action="/disputes/insurance/policies/')[1].split('"')[0]
        answered = client.post(f"/disputes/insurance/policies/{action}", data={"csrf_token": csrf_of(offered.text),
                                                                                "decision": "accept"})
        assert answered.status_code == 200
        offered = answered
    mine = client.get("/disputes/insurance")
    assert mine.status_code == 200 and "MUTUAL-P1" in mine.text and "OTHER-INSURER-P1" in mine.text
    assert "BETA-ONLY-P2" not in mine.text and 'id="offers"' not in mine.text
    csrf = csrf_of(mine.text)
    policy_id = mine.text.split('id="cl-policy"')[1].split('<option value="')[1].split('"')[0]
    with session_scope(org_id=world.a.org_id) as s:
        mutual_id = next(p.id for p in insurance.list_policies(s) if p.number == "MUTUAL-P1")
    claimed = client.post("/disputes/insurance/claims", data={"csrf_token": csrf, "policy_id": str(mutual_id),
                                                              "case_id": str(case_id), "costs_incurred": "120000.5",
                                                              "note": "ALPHA-CLAIM-NOTE"})
    assert claimed.status_code == 200 and "120,000.50" in claimed.text and "ALPHA-CLAIM-NOTE" in claimed.text
    assert policy_id
    client.cookies.clear()
    login(client, world.b.admin_email)
    beta = client.get("/disputes/insurance")
    assert "BETA-ONLY-P2" in beta.text and 'id="offers"' in beta.text
    assert "MUTUAL-P1" not in beta.text and "ALPHA-CLAIM-NOTE" not in beta.text
    stolen = client.post("/disputes/insurance/claims", data={"csrf_token": csrf_of(beta.text),
                                                             "policy_id": str(mutual_id), "costs_incurred": "1"})
    assert stolen.status_code == 404  # another enterprise's policy does not exist for Beta
    client.cookies.clear()
    login(client, "insurer@example.com")
    seen = client.get("/disputes/insurance")
    assert "ALPHA-CLAIM-NOTE" in seen.text and "Alpha Secret Org" in seen.text
    claim_id = seen.text.split('action="/disputes/insurance/claims/')[1].split("/")[0]
    decided = client.post(f"/disputes/insurance/claims/{claim_id}/decision",
                          data={"csrf_token": csrf_of(seen.text), "status": "accepted"})
    assert decided.status_code == 200 and "accepted" in decided.text
    client.cookies.clear()
    login(client, "insurer2@example.com")
    other = client.get("/disputes/insurance")
    assert "MUTUAL-P1" not in other.text and "ALPHA-CLAIM-NOTE" not in other.text
    assert "OTHER-INSURER-P1" in other.text
    _org_with_admin("Plan Office", "administration", "plan@example.com")
    client.cookies.clear()
    login(client, "plan@example.com")
    neither = client.get("/disputes/insurance")
    assert neither.status_code == 200 and 'id="not-insurance"' in neither.text


def test_event_form_fields_follow_the_kind(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/disputes")
    assert 'data-kinds="fair_warning fair_injunction exhibition_complaint"' in page.text
    assert 'id="f-temporary_relief" data-kinds="itc337"' in page.text
    csrf = csrf_of(page.text)
    base = {"csrf_token": csrf, "respondents": "Some GmbH"}
    eu = client.post("/disputes/events", data={**base, "kind": "eu_customs", "number": "N-1", "country": "US"})
    assert eu.status_code == 422 and "not an EU member state" in eu.text
    fair = client.post("/disputes/events", data={**base, "kind": "fair_warning", "number": "W-1", "country": "DE"})
    assert fair.status_code == 422 and "fair is required" in fair.text
    itc = client.post("/disputes/events", data={**base, "kind": "itc337", "number": "12345"})
    assert itc.status_code == 422 and "337-TA-1234" in itc.text
    ok = client.post("/disputes/events", data={**base, "kind": "fair_warning", "number": "W-1", "country": "DE",
                                               "fair": "IFA Berlin 2025", "booth": "H2-101", "stores": "ignored",
                                               "temporary_relief": "yes"})
    assert ok.status_code == 200 and "1 created" in ok.text
    perishable = client.post("/disputes/events", data={**base, "kind": "eu_customs", "number": "N-2",
                                                       "country": "NL", "perishable": "yes"})
    assert perishable.status_code == 200
    with session_scope(org_id=world.a.org_id) as s:
        warning = s.scalar(select(DisputeEvent).where(DisputeEvent.number == "W-1"))
        customs = s.scalar(select(DisputeEvent).where(DisputeEvent.number == "N-2"))
        assert warning is not None and customs is not None
        assert warning.forum == "IFA Berlin 2025" and warning.parties[0]["context"] == "booth H2-101"
        assert warning.stores == [] and warning.temporary_relief is False  # not fields of a fair warning
        assert customs.perishable is True
    assert client.post("/disputes/events", data={"kind": "itc337", "number": "337-TA-1"}).status_code == 403


def test_bad_import_records_are_quarantined_until_fixed(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/disputes").text)
    data = (FIXTURES / "events.csv").read_bytes()
    first = client.post("/disputes/events/import", data={"csrf_token": csrf},
                        files={"file": ("events.csv", data, "text/csv")})
    table = first.text.split('id="quarantine"')[1].split("</table>")[0]
    assert "1:25-cv-09999" in table and "row 7" in table and "events.csv" in table
    again = client.post("/disputes/events/import", data={"csrf_token": csrf},
                        files={"file": ("events.csv", data, "text/csv")})
    assert "<td>2</td>" in again.text.split('id="quarantine"')[1].split("</table>")[0]  # seen twice, one row
    fixed = data.replace(b"2025-13-45", b"2025-11-03")
    client.post("/disputes/events/import", data={"csrf_token": csrf}, files={"file": ("other.csv", fixed, "text/csv")})
    api = client.get("/api/v1/disputes/quarantine", headers=bearer(world.a.read_token)).json()
    assert len(api) == 3 and {q["source"] for q in api} == {"events.csv", "other.csv"}  # other source: not resolved
    client.post("/disputes/events/import", data={"csrf_token": csrf}, files={"file": ("events.csv", fixed, "text/csv")})
    api = client.get("/api/v1/disputes/quarantine", headers=bearer(world.a.read_token)).json()
    assert [(q["source"], q["field"]) for q in api if q["source"] == "events.csv"] == [("events.csv", "kind")]
    done = client.get("/api/v1/disputes/quarantine?include_resolved=true", headers=bearer(world.a.read_token)).json()
    resolved = [q for q in done if q["resolved_at"]]
    assert len(resolved) == 1 and resolved[0]["number"] == "1:25-cv-09999" and resolved[0]["resolved_event_id"]
    assert client.get("/api/v1/disputes/quarantine", headers=bearer(world.b.read_token)).json() == []


def test_notification_list_mark_read_and_preferences(client: TestClient, world: World) -> None:
    with session_scope(org_id=None, platform_admin=True) as s:
        colleague = orgs.create_user(s, "colleague@example.com", PASSWORD)
        orgs.add_member(s, world.a.org_id, colleague.id, "member")
        colleague_id = colleague.id
    with session_scope(org_id=world.a.org_id) as s:
        s.add_all([Notification(kind="dispute_alert", title="ITC 337-TA-1 names you", link="/disputes"),
                   Notification(kind="dispute_alert", title="COLLEAGUE-ONLY", user_id=colleague_id)])
    login(client, world.a.admin_email)
    page = client.get("/disputes/notifications")
    assert page.status_code == 200 and "ITC 337-TA-1 names you" in page.text and "COLLEAGUE-ONLY" not in page.text
    csrf = csrf_of(page.text)
    nid = page.text.split('action="/disputes/notifications/')[1].split("/")[0]
    assert client.post(f"/disputes/notifications/{nid}/read").status_code == 403  # no CSRF
    read = client.post(f"/disputes/notifications/{nid}/read", data={"csrf_token": csrf})
    assert read.status_code == 200 and "Mark as read" not in read.text
    assert "ITC 337-TA-1 names you" not in client.get("/disputes").text.split('id="notifications"')[1]
    bad = client.post("/disputes/notifications/preferences", data={"csrf_token": csrf, "email": "nope",
                                                                   "email_mode": "immediate"})
    assert bad.status_code == 422 and "not an e-mail address" in bad.text
    hook = client.post("/disputes/notifications/preferences", data={"csrf_token": csrf, "email": "a@example.com",
                                                                    "email_mode": "digest",
                                                                    "webhook_url": "ftp://x"})
    assert hook.status_code == 422 and "https://" in hook.text
    saved = client.post("/disputes/notifications/preferences", data={
        "csrf_token": csrf, "email": "alerts@example.com", "email_mode": "digest",
        "webhook_url": "https://hooks.example.com/fenghuo"})
    assert saved.status_code == 200 and 'id="webhook-secret"' in saved.text
    assert 'value="digest" selected' in saved.text and "alerts@example.com" in saved.text
    client.cookies.clear()
    login(client, world.b.admin_email)
    assert client.post(f"/disputes/notifications/{nid}/read",
                       data={"csrf_token": csrf_of(client.get("/disputes").text)}).status_code == 404


def test_case_forms_tasks_stage_outcome_links_and_revoke(client: TestClient, world: World) -> None:
    centre = _org_with_admin("Guidance Centre", "guidance_centre", "centre@example.com")
    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        case_id = cases.open_case(s, cases.CaseIntake("Alpha ITC", "itc337", country="US")).id
        other_id = cases.open_case(s, cases.CaseIntake("Alpha PTAB", "ptab", country="US")).id
    login(client, world.a.admin_email)
    url = f"/disputes/cases/{case_id}"
    page = client.get(url)
    assert page.status_code == 200 and 'id="task-form"' in page.text and 'id="link-form"' in page.text
    csrf = csrf_of(page.text)
    assert client.post(f"{url}/stage", data={"stage": "response"}).status_code == 403  # no CSRF
    task = client.post(f"{url}/tasks", data={"csrf_token": csrf, "title": "Draft the answer",
                                             "owner_user_id": str(world.a.admin_id), "due_on": "2030-01-10"})
    assert task.status_code == 200 and "Draft the answer" in task.text and world.a.admin_email in task.text
    stranger = client.post(f"{url}/tasks", data={"csrf_token": csrf, "title": "x", "owner_user_id": "99999"})
    assert stranger.status_code == 422 and "member of your organisation" in stranger.text
    task_id = task.text.split("<td>Draft the answer</td>")[1].split(f'action="{url}/tasks/')[1].split("/")[0]
    done = client.post(f"{url}/tasks/{task_id}/done", data={"csrf_token": csrf})
    assert "task done: Draft the answer" in done.text
    staged = client.post(f"{url}/stage", data={"csrf_token": csrf, "stage": "response"})
    assert "stage: Response" in staged.text
    assert client.post(f"{url}/stage", data={"csrf_token": csrf, "stage": "nowhere"}).status_code == 422
    linked = client.post(f"{url}/links", data={"csrf_token": csrf, "other_case_id": str(other_id),
                                               "relation": "same_patent"})
    assert f'href="/disputes/cases/{other_id}"' in linked.text and "same_patent" in linked.text
    shared = client.post(f"{url}/share", data={"csrf_token": csrf, "grantee_organisation_id": str(centre)})
    grant_id = shared.text.split(f'action="{url}/share/')[1].split("/")[0]
    revoked = client.post(f"{url}/share/{grant_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 200 and f"sharing {grant_id} revoked" in revoked.text
    assert 'id="shared-with"><li class="muted">' in revoked.text
    closed = client.post(f"{url}/outcome", data={"csrf_token": csrf, "outcome": "settled", "note": "licence"})
    assert closed.status_code == 200 and "outcome: Settled" in closed.text and "Outcome: Settled" in closed.text
    client.cookies.clear()
    login(client, "centre@example.com")
    assert client.get(url).status_code == 404  # the share was revoked
    client.cookies.clear()
    login(client, world.b.admin_email)
    beta_csrf = csrf_of(client.get("/disputes").text)
    assert client.post(f"{url}/stage", data={"csrf_token": beta_csrf, "stage": "appeal"}).status_code == 404
