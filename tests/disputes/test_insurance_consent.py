"""Insurance consent (issue #9): any insurer could put a policy into any enterprise's list. A policy
is now an offer until the insured enterprise accepts it (API, page, CLI; audited; the insurer sees
the status and is told)."""

from __future__ import annotations

import json
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import AuditEntry, User
from fenghuo.disputes import insurance
from tests.webkit import World, bearer


def _insurer(name: str) -> tuple[int, str]:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, "insurer")
        user = orgs.create_user(s, f"{name.split()[0].lower()}@example.com", "correct-horse-battery")
        orgs.add_member(s, org.id, user.id, "admin")
        row = s.get(User, user.id)
        assert row is not None
        return org.id, tokens.create_token(s, row, org.id, "t", "read write")[1]


def test_a_planted_policy_is_only_an_offer(client: TestClient, world: World) -> None:
    insurer_id, token = _insurer("Rogue Insurer")
    ins, a, b = bearer(token), bearer(world.a.write_token), bearer(world.b.write_token)
    body = {"number": "ROGUE-1", "insured_org_id": world.a.org_id, "limit_amount": "1",
            "starts_on": "2030-01-01", "ends_on": "2030-12-31"}
    planted = client.post("/api/v1/disputes/policies", headers=ins, json=body)
    assert planted.status_code == 201 and planted.json()["status"] == "pending"
    policy_id = planted.json()["id"]
    assert client.get("/api/v1/disputes/policies", headers=a).json() == []
    assert [p["number"] for p in client.get("/api/v1/disputes/policy-offers", headers=a).json()] == ["ROGUE-1"]
    claim = client.post(f"/api/v1/disputes/policies/{policy_id}/claims", headers=a, json={"costs_incurred": "5"})
    assert claim.status_code == 422 and claim.json()["errors"][0]["field"] == "policy_id"
    # Nobody else answers for A: B does not see the offer, the insurer cannot accept its own offer.
    assert client.post(f"/api/v1/disputes/policies/{policy_id}/answer", headers=b,
                       json={"decision": "accept"}).status_code == 404
    assert client.post(f"/api/v1/disputes/policies/{policy_id}/answer", headers=ins,
                       json={"decision": "accept"}).status_code == 403
    declined = client.post(f"/api/v1/disputes/policies/{policy_id}/answer", headers=a, json={"decision": "decline"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert client.post(f"/api/v1/disputes/policies/{policy_id}/answer", headers=a,
                       json={"decision": "accept"}).status_code == 422  # answered once
    assert client.get("/api/v1/disputes/policies", headers=a).json() == []
    assert client.get("/api/v1/disputes/policy-offers", headers=a).json() == []
    assert [p["status"] for p in client.get("/api/v1/disputes/policies", headers=ins).json()] == ["declined"]
    told = client.get("/api/v1/disputes/notifications", headers=ins).json()
    assert any("ROGUE-1" in n["title"] and "declined" in n["title"] for n in told)
    with session_scope(org_id=None, platform_admin=True) as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "disputes.policy_declined",
                                                 AuditEntry.organisation_id == world.a.org_id)) is not None
    assert insurer_id


def test_cli_offers_and_answer(world: World) -> None:
    insurer_id, _t = _insurer("Mutual Insurer")
    with session_scope(org_id=insurer_id) as s:
        policy_id = insurance.issue_policy(s, insurance.PolicyIn("MI-9", world.a.org_id, "100", date(2030, 1, 1),
                                                                 date(2030, 12, 31))).id
    runner = CliRunner()
    from fenghuo.cli.main import app

    offers = runner.invoke(app, ["disputes", "insurance", "offers", "--org", str(world.a.org_id)])
    assert offers.exit_code == 0 and [p["number"] for p in json.loads(offers.output)] == ["MI-9"]
    assert runner.invoke(app, ["disputes", "insurance", "answer", str(policy_id), "maybe",
                               "--org", str(world.a.org_id)]).exit_code == 2
    assert runner.invoke(app, ["disputes", "insurance", "answer", str(policy_id), "accept",
                               "--org", str(world.b.org_id)]).exit_code == 1
    accepted = runner.invoke(app, ["disputes", "insurance", "answer", str(policy_id), "accept",
                                   "--org", str(world.a.org_id)])
    assert accepted.exit_code == 0 and json.loads(accepted.output)["status"] == "accepted"
    held = runner.invoke(app, ["disputes", "insurance", "policies", "--org", str(world.a.org_id)])
    assert [p["number"] for p in json.loads(held.output)] == ["MI-9"]
