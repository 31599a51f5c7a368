"""Dispute objects of organisation A (events, matches, alerts, a case with children, a station with a
complaint, a policy with a claim, a notification) for the cross-tenant matrix."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fenghuo.core.db import session_scope
from tests.webkit import World

CALLER_SCOPED = {("GET", "/api/v1/disputes/identity"), ("PUT", "/api/v1/disputes/identity"),
                 ("PUT", "/api/v1/disputes/notifications/preferences")}


def objects(world: World, third_org_id: int) -> dict[str, Any]:
    from fenghuo.core import grants
    from fenghuo.disputes.models import (
        Case,
        CaseClock,
        CaseDocument,
        CaseTask,
        DisputeAlert,
        DisputeEvent,
        FairComplaint,
        InsuranceClaim,
        InsurancePolicy,
        Notification,
        PartyMatch,
        Station,
    )

    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        event = DisputeEvent(kind="itc337", number="337-TA-9999", title="ALPHA-SECRET-MARK investigation",
                             parties=[{"name": "Alpha Secret Org", "role": "respondent"}])
        s.add(event)
        s.flush()
        match = PartyMatch(event_id=event.id, party_name="Alpha Secret Org", enterprise_org_id=world.a.org_id,
                           score=0.8, decision="review", status="pending")
        alert = DisputeAlert(event_id=event.id, enterprise_org_id=world.a.org_id, kind="itc337",
                             number="337-TA-9999", title="ALPHA-SECRET-MARK", enterprise_name="Alpha Secret Org")
        case = Case(title="ALPHA-SECRET-MARK case", kind="itc337", country="US")
        station = Station(fair="ALPHA-SECRET-MARK fair", starts_on=date(2030, 4, 15), ends_on=date(2030, 4, 19))
        policy = InsurancePolicy(number="ALPHA-SECRET-MARK-P", insured_org_id=world.a.org_id,
                                 limit_amount=Decimal("1000.00"), starts_on=date(2030, 1, 1),
                                 ends_on=date(2030, 12, 31))
        note = Notification(kind="dispute_alert", title="ALPHA-SECRET-MARK")
        s.add_all([match, alert, case, station, policy, note])
        s.flush()
        clock = CaseClock(case_id=case.id, rule_id="R-US-ANSWER", trigger="2030-01-02", due="2030-01-23")
        task = CaseTask(case_id=case.id, title="ALPHA-SECRET-MARK task")
        doc = CaseDocument(case_id=case.id, filename="secret.txt", content_type="text/plain", size=1, sha256="0" * 64)
        received = datetime(2030, 4, 15, 10, tzinfo=UTC)
        complaint = FairComplaint(station_id=station.id, complainant="X", respondent="Alpha Secret Org",
                                  received_at=received, answer_due_at=received)
        claim = InsuranceClaim(policy_id=policy.id, costs_incurred=Decimal("10.00"))
        s.add_all([clock, task, doc, complaint, claim])
        s.flush()
        grant = grants.grant(s, case, third_org_id)
        return {"event_id": event.id, "match_id": match.id, "dispute_alert_id": alert.id, "case_id": case.id,
                "clock_id": clock.id, "case_task_id": task.id, "document_id": doc.id, "case_grant_id": grant.id,
                "station_id": station.id, "complaint_id": complaint.id, "policy_id": policy.id,
                "claim_id": claim.id, "notification_id": note.id}
