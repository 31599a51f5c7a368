"""Exhibition IP service stations: registry, complaint intake on the 24-hour clock, the
rights-verification checklist, outcomes and statistics per fair.

Why only station organisations may write here: the 展会知识产权保护办法 puts complaint handling
with the fair's station; enterprises and centres see a station's records only when shared.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.i18n import lazy_gettext as _l
from fenghuo.core.models import Organisation, OrgKind, utcnow
from fenghuo.disputes.clocks import compute_clock
from fenghuo.disputes.models import FairComplaint, Station

OUTCOMES = ("pending", "withdrawn", "covered", "mediated", "rejected")
RIGHT_TYPES = ("patent", "design", "trademark", "copyright")
#: The rights-verification checklist (CNIPA 展会知识产权保护指引): item key → label.
CHECKLIST = {
    "certificate": _l("Right certificate (patent, registration) presented"),
    "in_force": _l("Right verified as in force (annual fees paid, not invalidated)"),
    "owner_identity": _l("Complainant is the right holder or licensee (power of attorney)"),
    "evidence": _l("Evidence of the accused exhibit (photos, brochure, booth number)"),
    "comparison": _l("Comparison of the exhibit with the right (claim chart or mark comparison)"),
    "respondent_notified": _l("Exhibitor notified and told of the 24-hour answer period"),
}


def _require_station_org(session: Session) -> None:
    org = session.get(Organisation, session.info.get("org_id") or -1)
    if org is None or org.kind != OrgKind.EXHIBITION_STATION.value:
        raise PermissionDenied(_("only an exhibition IP service station can do this"))


def create_station(session: Session, *, fair: str, starts_on: date, ends_on: date, venue: str = "", city: str = "",
                   staff: list[str] | None = None) -> Station:
    _require_station_org(session)
    if not fair.strip():
        raise ValidationFailed(_("the fair's name is required"), field="fair")
    if ends_on < starts_on:
        raise ValidationFailed(_("the fair cannot end before it starts"), field="ends_on")
    row = Station(fair=fair.strip()[:300], venue=venue.strip()[:300], city=city.strip()[:100], starts_on=starts_on,
                  ends_on=ends_on, staff=[s.strip() for s in staff or [] if s.strip()])
    session.add(row)
    session.flush()
    return row


def list_stations(session: Session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.starts_on.desc(), Station.id.desc())))


def get_station(session: Session, station_id: int) -> Station:
    row = session.scalar(select(Station).where(Station.id == station_id))
    if row is None:
        raise NotFound(_("No such station: %(id)s", id=station_id))
    return row


def receive_complaint(session: Session, station_id: int, *, complainant: str, respondent: str, booth: str = "",
                      right_type: str = "patent", right_number: str = "",
                      received_at: datetime | None = None) -> FairComplaint:
    """Take in a complaint; the exhibitor's answer is due 24 hours after receipt (R-FAIR-COMPLAINT)."""
    station = get_station(session, station_id)
    if station.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the station itself takes in complaints"))
    if not complainant.strip():
        raise ValidationFailed(_("the complainant is required"), field="complainant")
    if not respondent.strip():
        raise ValidationFailed(_("the exhibitor complained about is required"), field="respondent")
    if right_type not in RIGHT_TYPES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(RIGHT_TYPES)), field="right_type")
    received_at = received_at or utcnow()
    clock = compute_clock("R-FAIR-COMPLAINT", received_at)
    due = datetime.fromisoformat(clock.due)
    if due.tzinfo is None and received_at.tzinfo is not None:
        due = due.replace(tzinfo=received_at.tzinfo)
    row = FairComplaint(station_id=station.id, complainant=complainant.strip()[:300],
                        respondent=respondent.strip()[:300], booth=booth.strip()[:50], right_type=right_type,
                        right_number=right_number.strip()[:100], received_at=received_at, answer_due_at=due,
                        checklist={k: False for k in CHECKLIST})
    session.add(row)
    session.flush()
    return row


def get_complaint(session: Session, complaint_id: int) -> FairComplaint:
    row = session.scalar(select(FairComplaint).where(FairComplaint.id == complaint_id))
    if row is None:
        raise NotFound(_("No such complaint: %(id)s", id=complaint_id))
    return row


def update_checklist(session: Session, complaint_id: int, items: dict[str, bool]) -> FairComplaint:
    row = get_complaint(session, complaint_id)
    unknown = sorted(set(items) - set(CHECKLIST))
    if unknown:
        raise ValidationFailed(_("unknown checklist item: %(item)s", item=", ".join(unknown)), field="checklist")
    row.checklist = {**(row.checklist or {}), **{k: bool(v) for k, v in items.items()}}
    return row


def record_answer(session: Session, complaint_id: int, at: datetime | None = None) -> FairComplaint:
    row = get_complaint(session, complaint_id)
    row.answered_at = at or utcnow()
    return row


def set_outcome(session: Session, complaint_id: int, outcome: str) -> FairComplaint:
    """Close a complaint: withdrawn, covered (exhibits removed/covered), mediated or rejected."""
    row = get_complaint(session, complaint_id)
    if outcome not in OUTCOMES or outcome == "pending":
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(OUTCOMES[1:])), field="outcome")
    if outcome == "covered" and not all((row.checklist or {}).get(k) for k in ("certificate", "in_force",
                                                                               "comparison")):
        raise ValidationFailed(_("verify the right (certificate, in force, comparison) before removing exhibits"),
                               field="checklist", record=str(complaint_id))
    row.outcome, row.closed_at = outcome, utcnow()
    return row


def complaints_of(session: Session, station_id: int) -> list[FairComplaint]:
    get_station(session, station_id)
    return list(session.scalars(select(FairComplaint).where(FairComplaint.station_id == station_id)
                                .order_by(FairComplaint.received_at, FairComplaint.id)))


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def station_stats(session: Session, station_id: int) -> dict[str, Any]:
    """Per-fair statistics: complaints, outcomes, right types, answers on time, repeat respondents."""
    station = get_station(session, station_id)
    rows = complaints_of(session, station_id)
    answered = [r for r in rows if r.answered_at is not None]
    on_time = [r for r in answered if _aware(r.answered_at) <= _aware(r.answer_due_at)]  # type: ignore[arg-type]
    repeat = sorted(name for name, n in Counter(r.respondent for r in rows).items() if n > 1)
    return {"station_id": station.id, "fair": station.fair, "complaints": len(rows),
            "outcomes": dict(Counter(r.outcome for r in rows)),
            "right_types": dict(Counter(r.right_type for r in rows)),
            "answered": len(answered), "answered_on_time": len(on_time), "repeat_respondents": repeat}


def complaint_dict(row: FairComplaint) -> dict[str, Any]:
    return {"id": row.id, "station_id": row.station_id, "complainant": row.complainant, "respondent": row.respondent,
            "booth": row.booth, "right_type": row.right_type, "right_number": row.right_number,
            "received_at": row.received_at.isoformat(), "answer_due_at": row.answer_due_at.isoformat(),
            "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            "checklist": dict(row.checklist or {}), "outcome": row.outcome}


def station_dict(row: Station) -> dict[str, Any]:
    return {"id": row.id, "fair": row.fair, "venue": row.venue, "city": row.city,
            "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(), "staff": list(row.staff or [])}
