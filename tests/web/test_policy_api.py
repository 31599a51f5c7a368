"""Plan tracking through the HTTP API, end to end: an administration imports the plan, assigns an
annual plan, receives progress from two agencies, and produces a bilingual mid-term evaluation
report with charts — plus the error answers naming record and field."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import User
from tests.webkit import World, bearer

PASSWORD = "correct-horse-battery"


@dataclass
class Actors:
    office: str
    cnipa: str
    mofcom: str
    evaluator: str
    office_viewer: str
    ids: dict[str, int]


def _org_with_token(name: str, kind: str, email: str, role: str = "admin") -> tuple[int, str]:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind)
        user = orgs.create_user(s, email, PASSWORD)
        orgs.add_member(s, org.id, user.id, role)
        row = s.get(User, user.id)
        assert row is not None
        _t, token = tokens.create_token(s, row, org.id, "api", "read write")
        return org.id, token


@pytest.fixture
def seed_text(shared_dir: Path) -> str:
    path = shared_dir / "seed" / "000_e9f6b771d52f2730.txt"
    if not path.is_file():
        pytest.skip(f"seed plan not found at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def actors(world: World) -> Actors:
    office, office_token = _org_with_token("Joint Conference Office 联席会议办公室", "administration",
                                           "office@gov.test")
    cnipa, cnipa_token = _org_with_token("CNIPA 国家知识产权局", "administration", "cnipa@gov.test")
    mofcom, mofcom_token = _org_with_token("MOFCOM 商务部", "administration", "mofcom@gov.test")
    evaluator, evaluator_token = _org_with_token("Evaluator Institute", "enterprise", "eval@example.test")
    with session_scope(org_id=None, platform_admin=True) as s:
        viewer = orgs.create_user(s, "office-viewer@gov.test", PASSWORD)
        orgs.add_member(s, office, viewer.id, "viewer")
        row = s.get(User, viewer.id)
        assert row is not None
        _t, viewer_token = tokens.create_token(s, row, office, "viewer", "read write")
    return Actors(office_token, cnipa_token, mofcom_token, evaluator_token, viewer_token,
                  {"office": office, "cnipa": cnipa, "mofcom": mofcom, "evaluator": evaluator})


def _import(client: TestClient, actors: Actors, seed_text: str) -> int:
    r = client.post("/api/v1/policy/plans", json={"text": seed_text, "source_name": "seed.txt"},
                    headers=bearer(actors.office))
    assert r.status_code == 201, r.text
    assert r.json()["tasks"] == 14 and r.json()["start_year"] == 2021 and r.json()["is_owner"]
    for agency, key in (("国家知识产权局", "cnipa"), ("商务部", "mofcom")):
        r = client.post("/api/v1/policy/agencies", json={"agency": agency, "organisation_id": actors.ids[key]},
                        headers=bearer(actors.office))
        assert r.status_code == 201, r.text
        assert r.json()["agency_key"] == key
    return int(client.get("/api/v1/policy/plans", headers=bearer(actors.office)).json()[0]["id"])


def test_done_when_scenario(client: TestClient, actors: Actors, seed_text: str, tmp_path: Path) -> None:
    plan_id = _import(client, actors, seed_text)
    tasks = client.get(f"/api/v1/policy/plans/{plan_id}/tasks", headers=bearer(actors.office)).json()
    overseas = next(t for t in tasks if t["title"] == "便利知识产权海外获权")
    rights = next(t for t in tasks if t["title"] == "加强知识产权海外维权援助")

    # an annual promotion plan with items linked to measures
    r = client.post(f"/api/v1/policy/plans/{plan_id}/annual-plans", headers=bearer(actors.office), json={
        "year": 2023, "title": "2023年度推进计划",
        "items": [{"task_id": overseas["id"], "text": "拓展专利审查高速路合作"},
                  {"task_id": rights["id"], "text": "建设海外维权援助网络", "due_date": "2023-09-30"}]})
    assert r.status_code == 201, r.text
    annual_id = r.json()["id"]
    assert [i["task_id"] for i in r.json()["items"]] == [overseas["id"], rights["id"]]

    # the agencies see their tasks and the annual plan, and report
    mofcom_tasks = client.get(f"/api/v1/policy/plans/{plan_id}/tasks", headers=bearer(actors.mofcom)).json()
    assert rights["id"] in {t["id"] for t in mofcom_tasks} and len(mofcom_tasks) < len(tasks)
    assert client.get(f"/api/v1/policy/annual-plans/{annual_id}", headers=bearer(actors.mofcom)).status_code == 200
    r = client.post(f"/api/v1/policy/tasks/{overseas['id']}/progress", headers=bearer(actors.cnipa),
                    json={"period": "2023-H1", "status": "completed", "text": "已与26个国家开展PPH合作"})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/policy/tasks/{rights['id']}/progress", headers=bearer(actors.mofcom),
                    json={"period": "2023-H1", "status": "in_progress", "percent_complete": 45,
                          "text": "建成海外维权援助分中心"})
    assert r.status_code == 201, r.text
    report_id = r.json()["id"]
    r = client.post(f"/api/v1/policy/progress/{report_id}/evidence", headers=bearer(actors.mofcom),
                    files={"file": ("纪要.pdf", b"%PDF-1.4 minutes", "application/pdf")})
    assert r.status_code == 201 and r.json()["size"] == len(b"%PDF-1.4 minutes")
    progress = client.get(f"/api/v1/policy/plans/{plan_id}/progress", headers=bearer(actors.office)).json()
    assert sorted(p["agency_key"] for p in progress) == ["cnipa", "mofcom"]

    # indicators and RAG with reasons
    r = client.post(f"/api/v1/policy/plans/{plan_id}/indicators", headers=bearer(actors.office), json={
        "code": "HVP", "name": "每万人口高价值发明专利拥有量", "unit": "件", "baseline": 6.3, "baseline_year": 2020,
        "target": 12, "kind": "预期性", "actuals": {"2021": 7.5, "2022": 9.4}})
    assert r.status_code == 201, r.text
    assert r.json()["target_year"] == 2025 and r.json()["kind"] == "expected"
    tasks = client.get(f"/api/v1/policy/plans/{plan_id}/tasks?today=2023-06-30", headers=bearer(actors.office)).json()
    by_id = {t["id"]: t for t in tasks}
    assert by_id[overseas["id"]]["status"]["rule"] == "completed"
    assert "国家知识产权局" in by_id[overseas["id"]]["status"]["reason"]
    assert all(t["status"]["reason"] for t in tasks)

    # dashboards and exports
    agencies = client.get(f"/api/v1/policy/plans/{plan_id}/dashboard?view=agency&today=2023-06-30",
                          headers=bearer(actors.office)).json()
    cnipa_row = next(a for a in agencies if a["agency_key"] == "cnipa")
    assert cnipa_row["completed"] == 1 and cnipa_row["lead"] == 6
    r = client.get(f"/api/v1/policy/plans/{plan_id}/export?view=section&format=csv", headers=bearer(actors.office))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 9 and rows[0]["number"] == "十三"
    r = client.get(f"/api/v1/policy/plans/{plan_id}/export?format=xlsx", headers=bearer(actors.office))
    assert r.status_code == 200 and r.content[:2] == b"PK"

    # the mid-term evaluation with a third-party evaluator
    r = client.post(f"/api/v1/policy/plans/{plan_id}/evaluations", headers=bearer(actors.office),
                    json={"kind": "mid_term", "evaluator_organisation_id": actors.ids["evaluator"],
                          "as_of": "2023-06-30"})
    assert r.status_code == 201, r.text
    evaluation_id = r.json()["id"]
    r = client.post(f"/api/v1/policy/evaluations/{evaluation_id}/self-assessments", headers=bearer(actors.mofcom),
                    json={"criterion": "effectiveness", "score": 4, "text": "援助网络初步建成"})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/policy/evaluations/{evaluation_id}/scores", headers=bearer(actors.evaluator),
                    json={"criterion": "effectiveness", "score": 3, "scope": "part:六", "comment": "进展不均衡"})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/policy/evaluations/{evaluation_id}/comments", headers=bearer(actors.office),
                    json={"text": "建议加强海外维权援助宣传", "author": "公众"})
    assert r.status_code == 201
    # the evaluator reads everything, changes nothing
    assert len(client.get(f"/api/v1/policy/plans/{plan_id}/tasks", headers=bearer(actors.evaluator)).json()) == 14
    r = client.post(f"/api/v1/policy/plans/{plan_id}/annual-plans", headers=bearer(actors.evaluator),
                    json={"year": 2024, "items": [{"task_id": overseas["id"], "text": "x"}]})
    assert r.status_code == 403

    # the bilingual report with charts
    zh_html = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=zh_CN&format=html",
                         headers=bearer(actors.office)).text
    en_html = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang=en&format=html",
                         headers=bearer(actors.office)).text
    assert "中期评估报告" in zh_html and "按部分的完成情况" in zh_html and zh_html.count("<img class=\"chart\"") >= 4
    assert "Mid-term evaluation report" in en_html and "Completion by section" in en_html
    for lang in ("zh_CN", "en"):
        r = client.get(f"/api/v1/policy/evaluations/{evaluation_id}/report?lang={lang}",
                       headers=bearer(actors.office))
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF") and len(r.content) > 10_000
        (tmp_path / f"report-{lang}.pdf").write_bytes(r.content)


def test_errors_name_record_and_field(client: TestClient, actors: Actors, seed_text: str) -> None:
    plan_id = _import(client, actors, seed_text)
    task_id = client.get(f"/api/v1/policy/plans/{plan_id}/tasks", headers=bearer(actors.office)).json()[0]["id"]
    r = client.post(f"/api/v1/policy/tasks/{task_id}/progress", headers=bearer(actors.office),
                    json={"period": "2023-H3", "status": "in_progress", "agency": "外交部"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "period" and r.json()["errors"][0]["record"] == f"task {task_id} 2023-H3"
    r = client.post(f"/api/v1/policy/plans/{plan_id}/indicators", headers=bearer(actors.office), json={
        "code": "X", "name": "x", "baseline": 1, "baseline_year": 2020, "target": 2, "direction": "sideways"})
    assert r.status_code == 422 and r.json()["errors"][0] == {"record": "X", "field": "direction",
                                                              "message": r.json()["errors"][0]["message"]}
    r = client.post("/api/v1/policy/plans", json={"text": "没有结构的文字"}, headers=bearer(actors.office))
    assert r.status_code == 422 and r.json()["errors"][0]["field"]
    r = client.get(f"/api/v1/policy/plans/{plan_id}/export?format=pdf", headers=bearer(actors.office))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "format"


def test_roles(client: TestClient, actors: Actors, world: World, seed_text: str) -> None:
    plan_id = _import(client, actors, seed_text)
    # an enterprise cannot import a plan; a viewer of the office cannot change it
    r = client.post("/api/v1/policy/plans", json={"text": seed_text}, headers=bearer(world.a.write_token))
    assert r.status_code == 403
    r = client.post(f"/api/v1/policy/plans/{plan_id}/reminders", headers=bearer(actors.office_viewer))
    assert r.status_code == 403
    # an agency cannot remind, nor see the owner's plan list beyond its grant
    r = client.post(f"/api/v1/policy/plans/{plan_id}/reminders", headers=bearer(actors.mofcom))
    assert r.status_code == 403
    r = client.post(f"/api/v1/policy/plans/{plan_id}/reminders?today=2026-02-01&send=false",
                    headers=bearer(actors.office))
    assert r.status_code == 200
    assert {"cnipa", "mofcom"} <= {x["agency_key"] for x in r.json()}
    assert all(x["channel"] == "listed" for x in r.json())
    # organisation A (unrelated) sees nothing of the plan
    assert client.get(f"/api/v1/policy/plans/{plan_id}", headers=bearer(world.a.write_token)).status_code == 404
