"""The append-only audit log: who did what to which object, with before and after.

Why session hooks: every create, update and delete of an audited model is recorded on flush
without the route or command having to remember it. ``record`` is for events that are not
row changes (login, grant, export). The log cannot be changed through the ORM (this module
refuses) nor in the database (triggers created by the migrations refuse UPDATE and DELETE).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import Session

from fenghuo.core.errors import PermissionDenied
from fenghuo.core.models import AuditEntry, Base, TenantScoped

_SECRET_COLUMNS = {"password_hash", "token_hash"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Column values of ``obj`` (secrets masked) as JSON-ready data."""
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        key = attr.key
        out[key] = "***" if key in _SECRET_COLUMNS else _jsonable(getattr(obj, key, None))
    return out


def _before_snapshot(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        value = hist.deleted[0] if hist.deleted else getattr(obj, attr.key, None)
        out[attr.key] = "***" if attr.key in _SECRET_COLUMNS else _jsonable(value)
    return out


def _org_of(obj: Any, session: Session) -> int | None:
    if isinstance(obj, TenantScoped):
        return obj.organisation_id
    org = getattr(obj, "organisation_id", None)
    if isinstance(org, int):
        return org
    if obj.__class__.__name__ == "Organisation":
        return int(obj.id) if obj.id is not None else None
    return session.info.get("org_id")


def _entry(session: Session, action: str, obj: Any, before: Any, after: Any) -> AuditEntry:
    ident = inspect(obj).identity
    if obj.__tablename__ == "grants" and action == "create":
        action = "grant"
    return AuditEntry(
        organisation_id=_org_of(obj, session),
        actor_user_id=session.info.get("user_id"),
        actor_label=session.info.get("actor_label", ""),
        action=action,
        object_type=obj.__tablename__,
        object_id=None if ident is None else ",".join(str(i) for i in ident),
        before=before,
        after=after,
    )


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise PermissionDenied("the audit log is append-only")
    pending: list[tuple[str, Any, Any]] = session.info.setdefault("_audit_pending", [])
    for obj in session.dirty:
        if _is_audited(obj) and _meaningful_change(obj):
            pending.append(("update", obj, _before_snapshot(obj)))
    for obj in session.deleted:
        if _is_audited(obj):
            pending.append(("delete", obj, snapshot(obj)))
    for obj in session.new:
        if _is_audited(obj):
            pending.append(("create", obj, None))


@event.listens_for(Session, "after_flush_postexec")
def _write_audit(session: Session, _ctx: Any) -> None:
    pending: list[tuple[str, Any, Any]] = session.info.pop("_audit_pending", [])
    if not pending:
        return
    rows = []
    for action, obj, before in pending:
        after = None if action == "delete" else snapshot(obj)
        if action == "update" and before == after:
            continue
        rows.append(_entry(session, action, obj, before, after))
    # Added after the flush: SQLAlchemy flushes them in a follow-up pass of the same flush().
    session.add_all(rows)


def _meaningful_change(obj: Any) -> bool:
    """True unless only bookkeeping columns (``__audit_ignore__``, e.g. last-used times) changed."""
    state = inspect(obj)
    ignore: set[str] = set(getattr(obj, "__audit_ignore__", ()))
    changed = {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}
    return bool(changed - ignore)


def _is_audited(obj: Any) -> bool:
    return isinstance(obj, Base) and bool(getattr(obj, "__audited__", True))


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: str | int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Record an event that is not a plain row change (login, grant, export, …)."""
    entry = AuditEntry(
        organisation_id=organisation_id if organisation_id is not None else session.info.get("org_id"),
        actor_user_id=session.info.get("user_id"),
        actor_label=session.info.get("actor_label", ""),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        note=note,
    )
    session.add(entry)
    return entry


def log_query(
    organisation_id: int,
    *,
    action: str | None = None,
    object_type: str | None = None,
    actor_user_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """The filtered log of one organisation, newest first (paginate with limit/offset)."""
    stmt = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if actor_user_id is not None:
        stmt = stmt.where(AuditEntry.actor_user_id == actor_user_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def query_log(session: Session, org_id: int, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[AuditEntry]:
    stmt = log_query(org_id, **filters).limit(limit).offset(offset)
    return list(session.scalars(stmt))
