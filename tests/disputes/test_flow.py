"""From an imported 337 notice to alerts (enterprise + branch, with the first clock), the review queue,
a case opened from the alert, shared with the branch (audited) and a deadline met."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.models import AuditEntry
from fenghuo.disputes import cases, events, feeds, routing
from fenghuo.disputes.models import Notification
from tests.disputes.conftest import FIXTURES, DisputeWorld


def _import_usitc(dw: DisputeWorld) -> list[int]:
    result = feeds.parse_usitc(json.loads((FIXTURES / "usitc_investigations.json").read_text(encoding="utf-8")))
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        summary = events.store_records(s, result.records, result.errors)
    return summary.event_ids


def test_337_notice_to_alert_case_share_and_met_deadline(dw: DisputeWorld) -> None:
    event_ids = _import_usitc(dw)
    routed = routing.route_event(event_ids[0])
    assert routed.matched == 1 and routed.alerts == 2  # the enterprise and its Zhejiang branch
    assert routing.route_event(event_ids[0]).alerts == 0  # idempotent
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        [alert] = routing.list_alerts(s)
        assert alert.recipient == "enterprise" and alert.number == "337-TA-1401"
        assert alert.clock_rule == "R-US-ITC337-ANSWER" and alert.clock_due == "2025-07-17"
        assert any(r["signal"] == "brand" for r in alert.reasons)
        assert s.scalars(select(Notification)).first() is not None
        case = cases.open_from_alert(s, alert.id)
        detail = cases.case_dict(s, case, detail=True)
        case_id = case.id
    assert [c["rule_id"] for c in detail["clocks"]] == ["R-US-ITC337-ANSWER"]
    assert len(detail["tasks"]) == 5 and detail["tasks"][-1]["due_on"] == "2025-07-16"
    assert {p["role"] for p in detail["parties"]} == {"complainant", "respondent"}
    with session_scope(org_id=dw.org["branch"], user_id=dw.user["branch"]) as s:
        [branch_alert] = routing.list_alerts(s)
        assert branch_alert.recipient == "branch" and branch_alert.enterprise_name.startswith("宁波乐歌")
        with pytest.raises(NotFound):
            cases.get_case(s, case_id)  # not shared yet
    with session_scope(org_id=dw.org["gd_branch"], user_id=dw.user["gd_branch"]) as s:
        assert routing.list_alerts(s) == []  # the other region's branch is not told
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        grant = cases.share_case(s, case_id, dw.org["branch"])
        s.flush()
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "grant", AuditEntry.object_type == "grants",
                                                  AuditEntry.object_id == str(grant.id)))
        assert entry is not None and entry.organisation_id == dw.org["loctek"]
        assert entry.after is not None
        assert entry.after["object_type"] == "disputes_cases" and entry.after["object_id"] == case_id
        assert entry.after["grantee_organisation_id"] == dw.org["branch"]
    with session_scope(org_id=dw.org["branch"], user_id=dw.user["branch"]) as s:
        shared = cases.case_dict(s, cases.get_case(s, case_id), detail=True)
        assert shared["owned"] is False and len(shared["clocks"]) == 1 and "shared_with" not in shared
        with pytest.raises(PermissionDenied):
            cases.set_stage(s, case_id, "response")
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        clock_id = cases.case_dict(s, cases.get_case(s, case_id), detail=True)["clocks"][0]["id"]
        met = cases.meet_clock(s, case_id, clock_id, at=datetime(2025, 7, 16, 15, tzinfo=UTC))
        assert met.status == "met"
        cases.set_outcome(s, case_id, "settled", "licence")
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        final = cases.case_dict(s, cases.get_case(s, case_id), detail=True)
    assert final["status"] == "closed" and final["clocks"][0]["status"] == "met"
    assert [e["kind"] for e in final["timeline"]][:2] == ["opened", "clock"]


def test_missed_deadline_is_recorded_as_missed(dw: DisputeWorld) -> None:
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        from datetime import date

        case = cases.open_case(s, cases.CaseIntake("Customs", "eu_customs", country="DE", trigger=date(2025, 12, 19)))
        clock_id = cases.case_dict(s, case, detail=True)["clocks"][0]["id"]
        assert cases.meet_clock(s, case.id, clock_id, at=datetime(2026, 1, 8, 9, tzinfo=UTC)).status == "missed"
        with pytest.raises(ValidationFailed) as info:
            cases.open_case(s, cases.CaseIntake("Customs", "eu_customs", trigger=date(2025, 12, 19)))
        assert info.value.field == "country"


def test_borderline_match_waits_for_review(dw: DisputeWorld) -> None:
    rec = events.parse_record({"kind": "us_district", "number": "2:25-cv-7", "filed_on": "2025-11-06",
                               "defendants": "Shenzhen Beacom Electronic Co"}, "form")
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        event_id = events.store_records(s, [rec]).event_ids[0]
    routed = routing.route_event(event_id)
    assert (routed.queued, routed.alerts) == (1, 0)
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        [queued] = routing.review_queue(s)
        assert queued.decision == "review" and queued.reasons
        match_id = queued.id
    with pytest.raises(NotFound):
        routing.review_match(dw.org["beacon"], dw.user["beacon"], match_id, "confirm")  # not its queue
    result, alerts = routing.review_match(dw.org["centre"], dw.user["centre"], match_id, "confirm")
    assert result["status"] == "confirmed" and alerts == 2  # Beacon and the Guangdong branch
    with session_scope(org_id=dw.org["beacon"], user_id=dw.user["beacon"]) as s:
        [alert] = routing.list_alerts(s)
        assert alert.clock_rule == "R-US-ANSWER" and alert.clock_due == "2025-11-28"
    with pytest.raises(ValidationFailed):
        routing.review_match(dw.org["centre"], dw.user["centre"], match_id, "reject")


def test_marks_named_in_an_event_alert_the_owner(dw: DisputeWorld) -> None:
    rec = events.parse_record({"kind": "fair_warning", "number": "W-1", "title": "Warning about FlexiSpot desks",
                               "country": "DE", "respondents": "Some Distributor GmbH"}, "form")
    with session_scope(org_id=dw.org["centre"], user_id=dw.user["centre"]) as s:
        event_id = events.store_records(s, [rec]).event_ids[0]
    assert routing.route_event(event_id).alerts == 2
    with session_scope(org_id=dw.org["loctek"], user_id=dw.user["loctek"]) as s:
        [alert] = routing.list_alerts(s)
        assert alert.reasons[0]["signal"] == "mark" and alert.clock_rule is None
