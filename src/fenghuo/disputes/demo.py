"""Demo dispute data (invented, labelled "(demo)"): an ITC 337 notice naming the demo electronics
enterprise, taken in by the demo guidance centre, so the alert, its first clock and the case flow
can be shown at once; the enterprise opens its case and shares it (and its alert) with the centre
and its branch; a borderline party name waits in the centre's review queue; the fair station has
an open complaint running against its 24-hour clock; the insurer has a policy and a claim.

Idempotent: natural keys (event number, station fair, policy number) make a second run change nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from fenghuo.core import grants
from fenghuo.core.db import session_scope
from fenghuo.disputes import cases, events, insurance, routing, stations
from fenghuo.disputes.models import Case, DisputeAlert, InsurancePolicy, Station

DEMO_STATION_FAIR = "China Import and Export Fair, phase 1 (demo)"
DEMO_POLICY = "OIP-2026-0001 (demo)"


def _find(organisations: dict[str, int], needle: str) -> int | None:
    return next((org_id for name, org_id in organisations.items() if needle in name), None)


def _event(centre: int, record: dict[str, str]) -> None:
    rec = events.parse_record(record, "demo", source="demo")
    with session_scope(org_id=centre, actor_label="demo") as s:
        event, outcome = events.upsert_event(s, rec)
        event_id = event.id
    if outcome == "created":
        routing.route_event(event_id)


def _share_case(enterprise: int, sharees: list[int], alert_to: int) -> None:
    """The enterprise opens its case from the alert, shares the case with the centre and its branch, and
    the alert with the centre (the branch has its own alert for the same event)."""
    with session_scope(org_id=enterprise, actor_label="demo") as s:
        alert = s.scalar(select(DisputeAlert).where(DisputeAlert.organisation_id == enterprise,
                                                    DisputeAlert.number == "337-TA-9001"))
        if alert is None:
            return
        case = s.scalar(select(Case).where(Case.alert_id == alert.id)) or cases.open_from_alert(s, alert.id)
        for org_id in sharees:
            if not any(g.grantee_organisation_id == org_id
                       for g in grants.grants_for_object(s, Case.__tablename__, case.id)):
                cases.share_case(s, case.id, org_id)
        grants.grant(s, alert, alert_to, "read")


def _station(station: int) -> None:
    with session_scope(org_id=station, actor_label="demo") as s:
        if s.scalar(select(Station).where(Station.fair == DEMO_STATION_FAIR)) is not None:
            return
        today = date.today()
        row = stations.create_station(s, fair=DEMO_STATION_FAIR, starts_on=today - timedelta(days=1),
                                      ends_on=today + timedelta(days=3), venue="Canton Fair Complex (demo)",
                                      city="Guangzhou", staff=["Li Ming (demo)"])
        now = datetime.now(UTC)
        stations.receive_complaint(s, row.id, complainant="Demo Lamp Holdings Ltd. (demo)",
                                   respondent="Foshan Demo Lighting Co. (demo)", booth="11.2 C31",
                                   right_type="design", right_number="CN302026000001 (demo)",
                                   received_at=now - timedelta(hours=5))
        answered = stations.receive_complaint(s, row.id, complainant="Demo Kitchen GmbH (demo)",
                                              respondent="Ningbo Demo Appliances Co. (demo)", booth="3.1 A05",
                                              right_type="patent", right_number="EP3000001 (demo)",
                                              received_at=now - timedelta(hours=30))
        stations.record_answer(s, answered.id, at=now - timedelta(hours=10))


def _insurance(insurer: int, enterprise: int) -> None:
    with session_scope(org_id=insurer, actor_label="demo") as s:
        if s.scalar(select(InsurancePolicy).where(InsurancePolicy.number == DEMO_POLICY)) is not None:
            return
        today = date.today()
        policy = insurance.issue_policy(s, insurance.PolicyIn(
            number=DEMO_POLICY, insured_org_id=enterprise, limit_amount="500000", starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=305), products=("smart plugs",), countries=("US", "DE")))
        policy_id = policy.id
    with session_scope(org_id=enterprise, actor_label="demo") as s:
        # The enterprise accepts the insurer's offer before it may claim under it.
        insurance.respond_to_policy(s, policy_id, "accept")
        case = s.scalar(select(Case).where(Case.number == "337-TA-9001", Case.organisation_id == enterprise))
        insurance.file_claim(s, policy_id, costs_incurred="120000", case_id=case.id if case else None,
                             note="Counsel fees for the answer to the ITC complaint (demo)")


def load_demo(organisations: dict[str, int]) -> None:
    centre = _find(organisations, "Guidance Centre")
    branch = _find(organisations, "Guangdong Branch")
    enterprise = _find(organisations, "Beacon Electronics")
    foods = _find(organisations, "Jade Rabbit")
    station = _find(organisations, "Service Station")
    insurer = _find(organisations, "Insurance")
    if centre is None or enterprise is None:
        return
    with session_scope(org_id=enterprise, actor_label="demo") as s:
        routing.save_identity(s, names=["Shenzhen Beacon Electronics Co., Ltd."], aliases=["Beacon Electronics"],
                              uscc=None, lei=None, marks=["BEACONLINK"], products=["smart plugs"])
    if foods is not None:
        with session_scope(org_id=foods, actor_label="demo") as s:
            routing.save_identity(s, names=["Ningbo Jade Rabbit Foods Co., Ltd."], aliases=["Jade Rabbit Foods"],
                                  uscc=None, lei=None, marks=["JADE RABBIT"], products=["mooncakes"])
    _event(centre, {
        "kind": "itc337", "number": "337-TA-9001", "title": "Certain Smart Plugs (demo)",
        "forum": "US International Trade Commission", "country": "US",
        "filed_on": date.today().isoformat(), "complainants": "Demo Plug Holdings LLC (demo)",
        "respondents": "Shenzhen Beacon Electronics Co., Ltd.;Other Demo Maker (demo)"})
    # A near miss on the foods enterprise's name: the centre decides it in its review queue.
    _event(centre, {
        "kind": "us_district", "number": "1:26-cv-09002 (demo)", "title": "Demo Bakery Inc. v. Ningbo Jade Rabit "
        "Food Trading (demo)", "forum": "N.D. Ill.", "country": "US", "filed_on": date.today().isoformat(),
        "plaintiffs": "Demo Bakery Inc. (demo)", "defendants": "Ningbo Jade Rabit Food Trading Co (demo)"})
    _share_case(enterprise, [org for org in (centre, branch) if org is not None], centre)
    if station is not None:
        _station(station)
    if insurer is not None:
        _insurance(insurer, enterprise)
