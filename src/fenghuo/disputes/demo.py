"""Demo dispute data (invented, labelled "(demo)"): an ITC 337 notice naming the demo electronics
enterprise, taken in by the demo guidance centre, so the alert, its first clock and the case flow
can be shown at once. Idempotent: the event's natural key makes a second run change nothing."""

from __future__ import annotations

from datetime import date

from fenghuo.core.db import session_scope
from fenghuo.disputes import events, routing


def _find(organisations: dict[str, int], needle: str) -> int | None:
    return next((org_id for name, org_id in organisations.items() if needle in name), None)


def load_demo(organisations: dict[str, int]) -> None:
    centre = _find(organisations, "Guidance Centre")
    enterprise = _find(organisations, "Beacon Electronics")
    if centre is None or enterprise is None:
        return
    with session_scope(org_id=enterprise, actor_label="demo") as s:
        routing.save_identity(s, names=["Shenzhen Beacon Electronics Co., Ltd."], aliases=["Beacon Electronics"],
                              uscc=None, lei=None, marks=["BEACONLINK"], products=["smart plugs"])
    rec = events.parse_record({
        "kind": "itc337", "number": "337-TA-9001", "title": "Certain Smart Plugs (demo)",
        "forum": "US International Trade Commission", "country": "US",
        "filed_on": date.today().isoformat(), "complainants": "Demo Plug Holdings LLC (demo)",
        "respondents": "Shenzhen Beacon Electronics Co., Ltd.;Other Demo Maker (demo)"}, "demo", source="demo")
    with session_scope(org_id=centre, actor_label="demo") as s:
        event, outcome = events.upsert_event(s, rec)
        event_id = event.id
    if outcome == "created":
        routing.route_event(event_id)
