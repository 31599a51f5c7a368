"""Review history of alerts (trademark and dispute alerts alike): who, when, from → to, why.

Both domains keep a history table of the same shape (``tm.models.AlertHistory``,
``disputes.models.DisputeAlertHistory``); these two functions write and read either, so the
page, the API and the CLI show the same trace. The acting user comes from the session
(``session_scope(user_id=…, actor_label=…)``), so callers need not pass it and a change made by
the system (a watch run, routing) is recorded with its label and no user.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.models import User


def record_change(session: Session, model: type[Any], alert: Any, from_state: str | None, to_state: str,
                  reason: str | None = None) -> None:
    """Add one history row for ``alert`` (same organisation as the alert).

    ``model`` is the domain's history table (``AlertHistory`` or ``DisputeAlertHistory``): both
    have alert_id, organisation_id, user_id, actor, from_state, to_state, reason and at."""
    session.add(model(alert_id=alert.id, organisation_id=alert.organisation_id,
                      user_id=session.info.get("user_id"), actor=str(session.info.get("actor_label") or "")[:320],
                      from_state=from_state, to_state=to_state, reason=(reason or None)))
    session.flush()


def history_dicts(session: Session, model: type[Any], alert_id: int) -> list[dict[str, Any]]:
    """The alert's history, oldest first, as shown by the page and returned by the API."""
    rows = list(session.scalars(select(model).where(model.alert_id == alert_id).order_by(model.at, model.id)))
    users = {u.id: u for u in session.scalars(select(User).where(
        User.id.in_({r.user_id for r in rows if r.user_id is not None})))} if rows else {}
    out = []
    for r in rows:
        user = users.get(r.user_id) if r.user_id is not None else None
        name = (user.display_name or user.email) if user is not None else (r.actor or "")
        out.append({"at": r.at.isoformat() if r.at else None, "user_id": r.user_id, "user": name,
                    "from_state": r.from_state, "to_state": r.to_state, "reason": r.reason})
    return out


class HistoryEntry(BaseModel):
    """One step of an alert's review history (API shape of :func:`history_dicts`)."""

    at: str | None = Field(description="When the state changed (ISO 8601, UTC).")
    user_id: int | None = Field(description="The user who changed it; null for the system or a deleted user.")
    user: str = Field(description="Who, as shown: display name or e-mail (the system's label for automatic changes).")
    from_state: str | None = Field(description="The state before the change.")
    to_state: str = Field(description="The state after the change.")
    reason: str | None = Field(description="Why (required to dismiss a trademark alert).")


class AlertWithHistory(BaseModel):
    """An alert as returned by the detail and state-change endpoints: every alert field plus its history."""

    model_config = ConfigDict(extra="allow")

    id: int
    state: str
    history: list[HistoryEntry] = Field(description="Every state change, oldest first: who, when, from → to, why.")
