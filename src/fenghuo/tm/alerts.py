"""The alert inbox: filtering, detail and the review workflow (new → reviewing → action taken /
dismissed with a reason). Every state change is audited through the model's audit hooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.history import history_dicts, record_change
from fenghuo.core.i18n import _, render_json
from fenghuo.deadlines.opposition import localized_summary
from fenghuo.tm.models import Alert, AlertHistory, AlertState, RegisterMark, WatchedMark

LEVELS = ("high", "medium", "low")
STATES = tuple(s.value for s in AlertState)


@dataclass
class AlertFilter:
    level: str | None = None
    office: str | None = None
    nice_class: int | None = None
    state: str | None = None
    deadline_before: date | None = None
    watched_mark_id: int | None = None
    applicant_key: str | None = None

    def validate(self) -> None:
        if self.level and self.level not in LEVELS:
            raise ValidationFailed(_("must be one of %(values)s", values=", ".join(LEVELS)), field="level")
        if self.state and self.state not in STATES:
            raise ValidationFailed(_("must be one of %(values)s", values=", ".join(STATES)), field="state")
        if self.nice_class is not None and not 1 <= self.nice_class <= 45:
            raise ValidationFailed(_("Nice class out of range 1-45: %(value)s", value=self.nice_class),
                                   field="nice_class")


def _query(flt: AlertFilter) -> Select[Alert]:
    query = (select(Alert).join(RegisterMark, RegisterMark.id == Alert.register_mark_id)
             .options(joinedload(Alert.register_mark), joinedload(Alert.watched_mark)))
    if flt.level:
        query = query.where(Alert.level == flt.level)
    if flt.state:
        query = query.where(Alert.state == flt.state)
    if flt.office:
        query = query.where(RegisterMark.office == flt.office.upper())
    if flt.deadline_before:
        query = query.where(Alert.deadline.is_not(None), Alert.deadline <= flt.deadline_before)
    if flt.watched_mark_id:
        query = query.where(Alert.watched_mark_id == flt.watched_mark_id)
    if flt.applicant_key:
        query = query.where(RegisterMark.applicant_key == flt.applicant_key)
    return query.order_by(Alert.deadline.is_(None), Alert.deadline, Alert.score.desc(), Alert.id)


def list_alerts(session: Session, flt: AlertFilter | None = None, *, limit: int = 200,
                offset: int = 0) -> list[Alert]:
    """The caller's alerts, most urgent deadline first (tenancy filters the query)."""
    flt = flt or AlertFilter()
    flt.validate()
    rows = list(session.scalars(_query(flt)).unique())
    if flt.nice_class is not None:  # JSON list column: filter portably in Python
        rows = [a for a in rows if flt.nice_class in (a.register_mark.nice_classes or [])]
    return rows[offset: offset + limit]


def get_alert(session: Session, alert_id: int) -> Alert:
    row = session.scalar(select(Alert).where(Alert.id == alert_id)
                         .options(joinedload(Alert.register_mark), joinedload(Alert.watched_mark)))
    if row is None:
        raise NotFound(_("No such alert: %(id)s", id=alert_id))
    return row


def set_state(session: Session, alert: Alert, state: str, reason: str | None = None) -> Alert:
    """Move an alert through the review workflow; dismissing needs a reason. Each change is kept in
    the alert's history with the session's user (see :mod:`fenghuo.core.history`)."""
    if state not in STATES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(STATES)), field="state",
                               record=str(alert.id))
    reason = (reason or "").strip() or None
    if state == AlertState.DISMISSED and not reason:
        raise ValidationFailed(_("give a reason to dismiss an alert"), field="reason", record=str(alert.id))
    before = alert.state
    if before != state or (reason and reason != alert.dismiss_reason):
        record_change(session, AlertHistory, alert, before, state, reason)
    alert.state = state
    alert.dismiss_reason = reason if state == AlertState.DISMISSED else None
    session.flush()
    return alert


def alert_history(session: Session, alert: Alert) -> list[dict[str, Any]]:
    """Who moved the alert, when, from which state to which, and why (oldest first)."""
    return history_dicts(session, AlertHistory, alert.id)


def counts_by_level(session: Session) -> dict[str, int]:
    out = dict.fromkeys(LEVELS, 0)
    for level in session.scalars(select(Alert.level).where(Alert.state.in_((AlertState.NEW, AlertState.REVIEWING)))):
        out[level] = out.get(level, 0) + 1
    return out


def _localized_detail(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    if not detail:
        return detail
    trace = [{**t, "note": render_json(t.get("i18n"), str(t.get("note", "")))} for t in detail.get("trace") or []]
    return {**detail, "trace": trace}


def alert_dict(alert: Alert) -> dict[str, object]:
    """The API/JSON shape of an alert, with both marks side by side."""
    reg: RegisterMark = alert.register_mark
    mark: WatchedMark = alert.watched_mark
    return {
        "id": alert.id, "score": alert.score, "level": alert.level, "state": alert.state,
        "dismiss_reason": alert.dismiss_reason,
        # Reasons and remedy were written in the language of the run; read them in the caller's.
        "reasons": [{**r, "message": render_json(r.get("i18n"), str(r.get("message", "")))}
                    for r in alert.reasons or []],
        "deadline": alert.deadline.isoformat() if alert.deadline else None,
        "deadline_detail": _localized_detail(alert.deadline_detail),
        "remedy": localized_summary(alert.deadline_detail, alert.remedy or "") or alert.remedy,
        "squatter_score": alert.squatter_score,
        "watched_mark": {"id": mark.id, "mark_id": mark.mark_id, "mark": mark.mark, "classes": mark.classes,
                         "owner": mark.owner},
        "register_mark": {"id": reg.id, "global_id": reg.global_id, "office": reg.office,
                          "application_number": reg.application_number, "mark": reg.mark_text,
                          "classes": reg.nice_classes, "applicant": reg.applicant_name,
                          "applicant_country": reg.applicant_country, "applicant_key": reg.applicant_key,
                          "status": reg.status, "office_status": reg.office_status,
                          "application_date": reg.application_date.isoformat() if reg.application_date else None,
                          "publication_date": reg.publication_date.isoformat() if reg.publication_date else None},
        "created_at": alert.created_at.isoformat() if alert.created_at else None,
    }
