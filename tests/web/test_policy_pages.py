"""Plan-tracking pages: an administration imports a plan through the form and sees its dashboards;
an agency reports progress through its form; other organisations get 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.policy import tracking
from tests.webkit import PASSWORD, World, csrf_of, login


@pytest.fixture
def seed_text(shared_dir: Path) -> str:
    path = shared_dir / "seed" / "000_e9f6b771d52f2730.txt"
    if not path.is_file():
        pytest.skip(f"seed plan not found at {path}")
    return path.read_text(encoding="utf-8")


def _admin_org(name: str, email: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, "administration")
        user = orgs.create_user(s, email, PASSWORD)
        orgs.add_member(s, org.id, user.id, "admin")
        return org.id


def test_import_and_dashboards_through_pages(client: TestClient, world: World, seed_text: str) -> None:
    office = _admin_org("Plan Office", "office@gov.test")
    mofcom = _admin_org("MOFCOM Team", "mofcom@gov.test")
    login(client, "office@gov.test")
    page = client.get("/plans")
    assert page.status_code == 200 and 'id="import-plan"' in page.text
    r = client.post("/plans", data={"text": seed_text, "start_year": "", "end_year": "",
                                    "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    plan_url = r.headers["location"]
    plan_id = int(plan_url.rsplit("/", 1)[1])
    html = client.get(plan_url).text
    assert "国家知识产权局" in html and "(十三) 主动参与知识产权全球治理" in html
    assert "便利知识产权海外获权" in html
    assert "overdue with no progress" in html or "no progress report for" in html  # depends on today's date
    assert f"/api/v1/policy/plans/{plan_id}/export?format=xlsx" in html
    assert 'id="progress-form"' not in html  # the owner does not report to itself
    with session_scope(org_id=office) as s:
        tracking.link_agency(s, "商务部", mofcom)

    client.cookies.clear()
    login(client, "mofcom@gov.test")
    html = client.get(plan_url).text
    assert 'id="progress-form"' in html and "积极参与完善知识产权国际规则体系" in html
    assert "坚持党对知识产权工作的全面领导" not in html  # not MOFCOM's task
    with session_scope(org_id=mofcom) as s:
        task_id = tracking.tasks(s, plan_id)[0].id
    r = client.post(f"/plans/{plan_id}/progress", data={
        "task_id": str(task_id), "period": "2023-H9", "status": "in_progress", "csrf_token": csrf_of(html)})
    assert r.status_code == 422 and "period" in r.text
    r = client.post(f"/plans/{plan_id}/progress", data={
        "task_id": str(task_id), "period": "2023-H1", "status": "in_progress", "percent_complete": "30",
        "text": "已开展", "csrf_token": csrf_of(html)}, follow_redirects=False)
    assert r.status_code == 303
    with session_scope(org_id=office) as s:
        assert [r.agency_key for r in tracking.progress_reports(s, plan_id)] == ["mofcom"]

    client.cookies.clear()
    login(client, world.a.admin_email)
    assert client.get(plan_url).status_code == 404
    assert 'id="import-plan"' not in client.get("/plans").text  # enterprises do not import plans
