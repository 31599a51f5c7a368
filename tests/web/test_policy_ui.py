"""Plan-tracking pages and the endpoints added with them (issue #6): the owner's annual plans,
indicators, 催办 and 办结; an agency's "what we owe", progress with evidence and its download; the
evaluation workspace with the evaluator's scores and moderated public comments; dashboards with
charts — and who may not do what (CSRF, viewers, other agencies, evaluators, anonymous limits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import PermissionDenied
from fenghuo.policy import evaluation, reminders, tracking
from fenghuo.policy.models import PolicyIndicator, PolicyReminder, PolicyTask
from fenghuo.web.routes import policy_pages
from tests.webkit import PASSWORD, World, csrf_of, login


@dataclass
class Orgs:
    office: int
    cnipa: int
    mofcom: int
    evaluator: int
    viewer_user: int
    plan_id: int


def _org(name: str, kind: str, email: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind)
        user = orgs.create_user(s, email, PASSWORD)
        orgs.add_member(s, org.id, user.id, "admin")
        return org.id


@pytest.fixture
def seed_text(shared_dir: Path) -> str:
    path = shared_dir / "seed" / "000_e9f6b771d52f2730.txt"
    if not path.is_file():
        pytest.skip(f"seed plan not found at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def setup(client: TestClient, world: World, seed_text: str) -> Orgs:
    office = _org("Plan Office", "administration", "office@gov.test")
    cnipa = _org("CNIPA Team", "administration", "cnipa@gov.test")
    mofcom = _org("MOFCOM Team", "administration", "mofcom@gov.test")
    evaluator = _org("Evaluator Institute", "enterprise", "eval@example.test")
    with session_scope(org_id=None, platform_admin=True) as s:
        viewer = orgs.create_user(s, "viewer@gov.test", PASSWORD)
        orgs.add_member(s, office, viewer.id, "viewer")
        viewer_id = viewer.id
    with session_scope(org_id=office) as s:
        plan_id = tracking.import_text(s, seed_text, source_name="seed").id
        tracking.link_agency(s, "国家知识产权局", cnipa)
        tracking.link_agency(s, "商务部", mofcom)
    policy_pages.reset_public_limit()
    return Orgs(office, cnipa, mofcom, evaluator, viewer_id, plan_id)


def _as(client: TestClient, email: str) -> None:
    client.cookies.clear()
    login(client, email)


def _task(org_id: int, plan_id: int, title: str) -> int:
    with session_scope(org_id=org_id) as s:
        return next(t.id for t in tracking.tasks(s, plan_id) if t.title == title)


def test_owner_annual_plans_indicators_close_and_remind(client: TestClient, setup: Orgs) -> None:
    plan_id = setup.plan_id
    overseas = _task(setup.office, plan_id, "便利知识产权海外获权")
    rights = _task(setup.office, plan_id, "加强知识产权海外维权援助")
    _as(client, "office@gov.test")
    page = client.get(f"/plans/{plan_id}/annual")
    assert page.status_code == 200 and 'id="annual-form"' in page.text
    token = csrf_of(page.text)
    form = {"year": "2023", "title": "2023年度推进计划", "task_id": str(overseas), "text": "拓展专利审查高速路合作"}
    assert client.post(f"/plans/{plan_id}/annual", data=form).status_code == 403  # no CSRF token
    r = client.post(f"/plans/{plan_id}/annual", data={**form, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    annual_url = r.headers["location"]
    r = client.post(f"{annual_url}/items", data={"task_id": str(rights), "text": "建设海外维权援助网络",
                                                 "due_date": "2023-09-30", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"{annual_url}/items", data={"task_id": str(rights), "text": "x", "due_date": "2024-01-01",
                                                 "csrf_token": token})
    assert r.status_code == 422 and "2024-01-01" in r.text
    html = client.get(annual_url).text
    assert "拓展专利审查高速路合作" in html and "建设海外维权援助网络" in html and "rag-reason" in html
    annual_id = int(annual_url.rsplit("/", 1)[1])
    with session_scope(org_id=setup.office) as s:
        _annual, items = tracking.get_annual_plan(s, annual_id)
        first, second = items[0].id, items[1].id
    r = client.post(f"/annual-items/{first}", data={"task_id": str(overseas), "text": "拓展PPH合作",
                                                    "due_date": "2023-06-30", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.post(f"/annual-items/{second}/delete", data={"csrf_token": token}).status_code == 200
    html = client.get(annual_url).text
    assert "拓展PPH合作" in html and "建设海外维权援助网络" not in html

    # indicators: add, actuals (chart), edit, RAG with its reason
    r = client.post(f"/plans/{plan_id}/indicators", data={
        "code": "HVP", "name": "每万人口高价值发明专利拥有量", "unit": "件", "baseline": "6.3", "baseline_year": "2020",
        "target": "12", "target_year": "", "direction": "higher", "kind": "expected", "task_id": str(overseas),
        "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    ind_url = r.headers["location"]
    assert client.post(f"{ind_url}/actuals", data={"year": "2022", "value": "9.4", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    r = client.post(f"{ind_url}/actuals", data={"year": "2022", "value": "abc", "csrf_token": token})
    assert r.status_code == 422
    html = client.get(ind_url).text
    assert "<svg" in html and "indicator on track" in html
    r = client.post(ind_url, data={"name": "每万人口高价值发明专利拥有量", "unit": "件", "baseline": "6.3",
                                   "baseline_year": "2020", "target": "20", "target_year": "2025",
                                   "direction": "higher", "kind": "binding", "task_id": "", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    html = client.get(f"/plans/{plan_id}/indicators").text
    assert "indicator off track" in html and "binding (约束性)" in html
    with session_scope(org_id=setup.office) as s:
        ind = s.scalar(select(PolicyIndicator).where(PolicyIndicator.code == "HVP"))
        assert ind is not None and ind.target == 20 and ind.task_id is None

    # 办结 and 催办
    r = client.post(f"/tasks/{rights}/close", data={"completed_on": "2023-05-01", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "closed on 2023-05-01" in client.get(f"/tasks/{rights}").text
    assert client.post(f"/tasks/{rights}/close", data={"csrf_token": token}).status_code == 422
    with session_scope(org_id=setup.office) as s:
        expected = len(reminders.overdue_by_agency(s, plan_id))
    r = client.post(f"/plans/{plan_id}/reminders", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    html = client.get(f"/plans/{plan_id}").text
    assert 'id="reminder-history"' in html and 'id="remind-form"' in html
    with session_scope(org_id=setup.office) as s:
        assert s.scalar(select(func.count()).select_from(PolicyReminder)) == expected

    # a viewer of the owner reads the pages but changes nothing (page and the explicit domain check)
    _as(client, "viewer@gov.test")
    page = client.get(f"/plans/{plan_id}/indicators")
    assert page.status_code == 200
    r = client.post(f"/plans/{plan_id}/annual", data={**form, "year": "2024", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 403
    with session_scope(org_id=setup.office, user_id=setup.viewer_user) as s, pytest.raises(PermissionDenied):
        tracking.close_task(s, overseas)
    # an agency cannot do owner actions
    _as(client, "mofcom@gov.test")
    page = client.get(f"/plans/{plan_id}")
    assert 'id="remind-form"' not in page.text
    r = client.post(f"/tasks/{overseas}/close", data={"csrf_token": csrf_of(page.text)})
    assert r.status_code in (403, 404)


def test_owner_actions_through_the_api(client: TestClient, setup: Orgs, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_id = setup.plan_id
    overseas = _task(setup.office, plan_id, "便利知识产权海外获权")
    rights = _task(setup.office, plan_id, "加强知识产权海外维权援助")
    _as(client, "office@gov.test")
    hdr = {"X-CSRF-Token": csrf_of(client.get("/plans").text)}
    r = client.post(f"/api/v1/policy/plans/{plan_id}/annual-plans", headers=hdr, json={
        "year": 2023, "items": [{"task_id": overseas, "text": "a"}]})
    assert r.status_code == 201
    annual = r.json()
    r = client.post(f"/api/v1/policy/annual-plans/{annual['id']}/items", headers=hdr,
                    json={"task_id": rights, "text": "b"})
    assert r.status_code == 201
    item = r.json()["id"]
    r = client.patch(f"/api/v1/policy/annual-items/{item}", headers=hdr, json={"text": "b2"})
    assert r.status_code == 200 and r.json()["text"] == "b2"
    assert client.patch(f"/api/v1/policy/annual-items/{item}", json={"text": "c"}).status_code == 403  # no CSRF
    assert client.delete(f"/api/v1/policy/annual-items/{item}", headers=hdr).status_code == 204
    r = client.post(f"/api/v1/policy/plans/{plan_id}/indicators", headers=hdr, json={
        "code": "X1", "name": "x", "baseline": 1, "baseline_year": 2020, "target": 2})
    ind = r.json()["id"]
    r = client.patch(f"/api/v1/policy/indicators/{ind}", headers=hdr, json={"direction": "lower", "task_id": rights})
    assert r.status_code == 200 and r.json()["direction"] == "lower"
    r = client.patch(f"/api/v1/policy/indicators/{ind}", headers=hdr, json={"target_year": 2019})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "target_year"
    assert client.delete(f"/api/v1/policy/indicators/{ind}", headers=hdr).status_code == 204
    r = client.post(f"/api/v1/policy/tasks/{overseas}/close", headers=hdr, json={"completed_on": "2023-03-01"})
    assert r.status_code == 200 and r.json()["status"]["rule"] == "completed"
    r = client.post(f"/api/v1/policy/plans/{plan_id}/reminders?send=false", headers=hdr)
    assert r.status_code == 200
    history = client.get(f"/api/v1/policy/plans/{plan_id}/reminders").json()
    assert len(history) == len(r.json())
    with session_scope(org_id=setup.office) as s:
        task = s.get(PolicyTask, overseas)
        assert task is not None and task.completed_on == date(2023, 3, 1)

    # progress edits: the filing agency only, while the period is open
    _as(client, "mofcom@gov.test")
    hdr = {"X-CSRF-Token": csrf_of(client.get("/owed").text)}
    r = client.post(f"/api/v1/policy/tasks/{rights}/progress", headers=hdr,
                    json={"period": "2023-H1", "status": "in_progress", "percent_complete": 20})
    report = r.json()["id"]
    monkeypatch.setattr(tracking, "_today", lambda: date(2023, 5, 1))
    r = client.patch(f"/api/v1/policy/progress/{report}", headers=hdr, json={"percent_complete": 40})
    assert r.status_code == 200 and r.json()["percent_complete"] == 40
    _as(client, "office@gov.test")
    hdr_office = {"X-CSRF-Token": csrf_of(client.get("/plans").text)}
    assert client.patch(f"/api/v1/policy/progress/{report}", headers=hdr_office,
                        json={"percent_complete": 90}).status_code == 403
    _as(client, "mofcom@gov.test")
    hdr = {"X-CSRF-Token": csrf_of(client.get("/owed").text)}
    monkeypatch.setattr(tracking, "_today", lambda: date(2023, 7, 1))
    r = client.patch(f"/api/v1/policy/progress/{report}", headers=hdr, json={"percent_complete": 50})
    assert r.status_code == 403 and "closed" in r.text
    monkeypatch.setattr(tracking, "_today", lambda: date(2023, 6, 30))
    assert client.delete(f"/api/v1/policy/progress/{report}", headers=hdr).status_code == 204
    owed = client.get("/api/v1/policy/owed").json()
    assert {o["agency"] for o in owed} == {"商务部"} and rights in {o["task_id"] for o in owed}


def test_agency_pages_progress_and_evidence(client: TestClient, setup: Orgs) -> None:
    plan_id = setup.plan_id
    rights = _task(setup.office, plan_id, "加强知识产权海外维权援助")
    _as(client, "mofcom@gov.test")
    page = client.get("/owed")
    assert page.status_code == 200
    assert "加强知识产权海外维权援助" in page.text and "坚持党对知识产权工作的全面领导" not in page.text
    assert "rag-reason" in page.text
    task_page = client.get(f"/tasks/{rights}")
    assert 'id="task-progress-form"' in task_page.text
    token = csrf_of(task_page.text)
    form = {"period": "2023-H1", "status": "in_progress", "percent_complete": "45", "text": "建成分中心"}
    pdf = ("纪要.pdf", b"%PDF-1.4 minutes", "application/pdf")
    assert client.post(f"/tasks/{rights}/progress", data=form, files={"file": pdf}).status_code == 403
    big = ("big.pdf", b"0" * (tracking.MAX_EVIDENCE_BYTES + 1), "application/pdf")
    r = client.post(f"/tasks/{rights}/progress", data={**form, "csrf_token": token}, files={"file": big})
    assert r.status_code == 422 and "MB" in r.text
    exe = ("tool.exe", b"MZ...", "application/x-msdownload")
    r = client.post(f"/tasks/{rights}/progress", data={**form, "csrf_token": token}, files={"file": exe})
    assert r.status_code == 422
    r = client.post(f"/tasks/{rights}/progress", data={**form, "csrf_token": token}, files={"file": pdf},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    html = client.get(f"/tasks/{rights}").text
    assert "建成分中心" in html and "纪要.pdf" in html
    with session_scope(org_id=setup.mofcom) as s:
        report = tracking.progress_reports(s, plan_id)[0]
        evidence_id = tracking.evidence_of(s, report.id)[0].id
    for url in (f"/evidence/{evidence_id}", f"/api/v1/policy/evidence/{evidence_id}"):
        r = client.get(url)
        assert r.status_code == 200 and r.content == b"%PDF-1.4 minutes"
        assert r.headers["content-disposition"].startswith("attachment")
    # the page for another agency's task is not found; its evidence neither
    with session_scope(org_id=setup.office) as s:
        mine = {a.task_id for a in tracking.accountabilities(s, plan_id) if a.agency_org_id == setup.mofcom}
        other = next(t.id for t in tracking.tasks(s, plan_id) if t.id not in mine)
    assert client.get(f"/tasks/{other}").status_code == 404
    _as(client, "cnipa@gov.test")
    assert client.get(f"/evidence/{evidence_id}").status_code == 404
    assert client.get(f"/api/v1/policy/evidence/{evidence_id}").status_code == 404
    # the owner downloads it
    _as(client, "office@gov.test")
    assert client.get(f"/api/v1/policy/evidence/{evidence_id}").content == b"%PDF-1.4 minutes"
    assert "纪要.pdf" in client.get(f"/tasks/{rights}").text


def test_dashboards_with_charts_and_downloads(client: TestClient, setup: Orgs) -> None:
    _as(client, "office@gov.test")
    html = client.get(f"/plans/{setup.plan_id}/dashboard").text
    assert html.count("<svg") >= 3 and 'id="dash-agency"' in html and "国家知识产权局" in html
    assert f"/api/v1/policy/plans/{setup.plan_id}/export?view=agency&amp;format=csv" in html
    r = client.get(f"/api/v1/policy/plans/{setup.plan_id}/export?view=agency&format=csv")
    assert r.status_code == 200 and "国家知识产权局" in r.content.decode("utf-8-sig")
    r = client.get(f"/api/v1/policy/plans/{setup.plan_id}/export?format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    _as(client, "mofcom@gov.test")
    html = client.get(f"/plans/{setup.plan_id}/dashboard").text
    assert "商务部" in html and "国家知识产权局" not in html.split('id="dash-agency"')[1].split("</table>")[0]


def test_evaluation_workspace_and_public_comments(client: TestClient, setup: Orgs) -> None:
    plan_id = setup.plan_id
    _as(client, "office@gov.test")
    token = csrf_of(client.get(f"/plans/{plan_id}").text)
    r = client.post(f"/plans/{plan_id}/evaluations", data={
        "kind": "mid_term", "evaluator_organisation_id": str(setup.evaluator), "as_of": "2023-06-30",
        "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    eval_url = r.headers["location"]
    evaluation_id = int(eval_url.rsplit("/", 1)[1])
    html = client.get(eval_url).text
    assert 'id="evaluation-settings"' in html and f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=en" in html

    # the public form is closed until the owner opens it
    client.cookies.clear()
    assert client.get(f"/consult/{evaluation_id}").status_code == 404
    _as(client, "office@gov.test")
    token = csrf_of(client.get(eval_url).text)
    r = client.post(f"{eval_url}/settings", data={"public_open": "on", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303

    # the agency self-evaluates; the evaluator scores and cannot write anything else
    _as(client, "mofcom@gov.test")
    page = client.get(eval_url)
    assert 'id="self-form"' in page.text and 'id="score-form"' not in page.text
    r = client.post(f"{eval_url}/self-assessments", data={"criterion": "effectiveness", "score": "4",
                                                          "text": "援助网络初步建成", "csrf_token": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    _as(client, "eval@example.test")
    page = client.get(eval_url)
    assert 'id="score-form"' in page.text and 'id="self-form"' not in page.text
    etoken = csrf_of(page.text)
    r = client.post(f"{eval_url}/scores", data={"criterion": "effectiveness", "score": "3", "scope": "plan",
                                                "comment": "进展不均衡", "csrf_token": etoken}, follow_redirects=False)
    assert r.status_code == 303
    assert client.post(f"{eval_url}/scores", data={"criterion": "effectiveness", "score": "3"}).status_code == 403
    assert client.post(f"{eval_url}/self-assessments", data={"criterion": "impact", "score": "3",
                                                             "csrf_token": etoken}).status_code == 403
    assert client.post(f"/plans/{plan_id}/annual", data={"year": "2024", "task_id": "1", "text": "x",
                                                         "csrf_token": etoken}).status_code == 403
    assert client.post(f"{eval_url}/settings", data={"csrf_token": etoken}).status_code == 403
    assert client.get(f"/plans/{plan_id}/dashboard").status_code == 200  # reads everything

    # anyone comments, CSRF-protected by a token in the page, size- and rate-limited
    client.cookies.clear()
    page = client.get(f"/consult/{evaluation_id}")
    assert page.status_code == 200 and 'id="consult-form"' in page.text
    ptoken = csrf_of(page.text)
    assert client.post(f"/consult/{evaluation_id}", data={"text": "x"}).status_code == 403
    r = client.post(f"/consult/{evaluation_id}", data={"text": "y" * (evaluation.MAX_PUBLIC_COMMENT_CHARS + 1),
                                                       "csrf_token": ptoken})
    assert r.status_code == 422
    r = client.post(f"/consult/{evaluation_id}", data={"text": "建议加强海外维权援助宣传", "author": "公众",
                                                       "csrf_token": ptoken})
    assert r.status_code == 200 and 'id="thanks"' in r.text
    for n in range(policy_pages.PUBLIC_LIMIT - 1):
        ptoken = csrf_of(r.text)  # each page sets a fresh token
        r = client.post(f"/consult/{evaluation_id}", data={"text": f"spam {n}", "csrf_token": ptoken})
        assert r.status_code == 200
    ptoken = csrf_of(r.text)
    assert client.post(f"/consult/{evaluation_id}", data={"text": "one too many", "csrf_token": ptoken}) \
        .status_code == 429

    # pending comments do not count until the owner approves them
    _as(client, "office@gov.test")
    token = csrf_of(client.get(eval_url).text)
    html = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=en&format=html").text
    assert "建议加强海外维权援助宣传" not in html
    work = client.get(f"/api/v1/policy/evaluations/{evaluation_id}").json()
    assert work["public_comments"] == [] and len(work["moderation"]) == policy_pages.PUBLIC_LIMIT
    comment_id = next(c["id"] for c in work["moderation"] if c["author"] == "公众")
    page = client.get(eval_url)
    assert 'id="moderation"' in page.text and "建议加强海外维权援助宣传" in page.text
    r = client.post(f"/comments/{comment_id}/moderation", data={"status": "approved", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    spam = next(c["id"] for c in work["moderation"] if c["text"] == "spam 0")
    hdr = {"X-CSRF-Token": token}
    r = client.post(f"/api/v1/policy/comments/{spam}/moderation", headers=hdr, json={"status": "rejected"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    html = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=en&format=html").text
    assert "建议加强海外维权援助宣传" in html and "spam 0" not in html
    # the evaluator sees approved comments only
    _as(client, "eval@example.test")
    work = client.get(f"/api/v1/policy/evaluations/{evaluation_id}").json()
    assert [c["text"] for c in work["public_comments"]] == ["建议加强海外维权援助宣传"] and work["moderation"] == []
    r = client.post(f"/api/v1/policy/comments/{spam}/moderation", json={"status": "approved"},
                    headers={"X-CSRF-Token": csrf_of(client.get(eval_url).text)})
    assert r.status_code in (403, 404)
    # the bilingual PDF from the page's link
    _as(client, "office@gov.test")
    r = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=zh_CN")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
