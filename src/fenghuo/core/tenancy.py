"""The central tenancy filter: one organisation never sees another's rows.

Why here and not per query: a filter that every query must remember is a filter some query
forgets. ``do_orm_execute`` adds the criterion to every ORM SELECT (including lazy loads and
relationship loads) on any :class:`~fenghuo.core.models.TenantScoped` model; ``before_flush``
stamps new rows with the session's organisation and refuses writes into another
organisation's rows unless a write grant allows it. On PostgreSQL the same rule is enforced a
second time by row-level security (policies created by the migrations; ``app.tenant_id`` set at
the start of every transaction here).

Reads wider than one organisation (platform sessions, :func:`platform_scope`) lift the ORM filter
here and, on PostgreSQL, row-level security through ``fenghuo_open_platform_scope`` — a function
owned by the owner role that writes an audit row; the application's role cannot lift it any other
way (migration 0012). Platform sessions open that scope only when a statement actually touches an
organisation-owned table, so resolving a caller or a login writes nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, and_, event, exists, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import visitors

from fenghuo.core.errors import PermissionDenied
from fenghuo.core.models import Base, Grant, TenantScoped


def _visible_criteria(cls: Any, org_id: int) -> Any:
    granted = exists().where(
        and_(
            Grant.grantee_organisation_id == org_id,
            Grant.object_type == cls.__tablename__,
            Grant.object_id == cls.id,
            Grant.revoked_at.is_(None),
        )
    )
    return or_(cls.organisation_id == org_id, granted)


def _tenant_classes() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, TenantScoped)]


_SCOPE_OPEN = "_rls_platform_scope_open"


def _tenant_tables() -> frozenset[str]:
    return _tenant_tables_of(len(Base.registry.mappers))


@lru_cache(maxsize=8)
def _tenant_tables_of(_mapper_count: int) -> frozenset[str]:
    return frozenset(str(getattr(cls, "__tablename__", "")) for cls in _tenant_classes())


def _tenant_tables_in(statement: Any, tenant_tables: frozenset[str]) -> list[str]:
    """The organisation-owned tables a statement touches (by name in raw SQL text)."""
    if isinstance(statement, TextClause):
        sql = statement.text
        return sorted(t for t in tenant_tables if re.search(rf"\b{re.escape(t)}\b", sql))
    found = {el.name for el in visitors.iterate(statement) if isinstance(el, Table)}
    return sorted(found & tenant_tables)


def open_platform_scope(session: Session, reason: str) -> None:
    """Lift row-level security for the rest of this transaction, leaving an audit row (PostgreSQL).

    A no-op on SQLite (no row-level security) and when the scope is already open.
    """
    if session.info.get(_SCOPE_OPEN):
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    info = session.info
    connection.execute(
        text("SELECT fenghuo_open_platform_scope(:reason, :org, :user, :label)"),
        {
            "reason": reason[:1000],
            "org": None if info.get("org_id") is None else int(info["org_id"]),
            "user": None if info.get("user_id") is None else int(info["user_id"]),
            "label": str(info.get("actor_label") or "")[:254],
        },
    )
    info[_SCOPE_OPEN] = True


def _close_platform_scope(session: Session) -> None:
    if not session.info.get(_SCOPE_OPEN):
        return
    session.info[_SCOPE_OPEN] = False
    session.connection().execute(text("SELECT set_config('app.platform_scope', '', true)"))


@event.listens_for(Session, "do_orm_execute")
def _add_tenant_criteria(state: ORMExecuteState) -> None:
    info = state.session.info
    if state.execution_options.get("skip_tenancy"):
        return
    if info.get("platform_admin"):
        if not info.get(_SCOPE_OPEN) and state.session.get_bind().dialect.name == "postgresql":
            tables = _tenant_tables_in(state.statement, _tenant_tables())
            if tables:
                open_platform_scope(state.session, "platform session: " + ", ".join(tables))
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    org_id = info.get("org_id")
    # No organisation and no platform rights: nothing organisation-owned is visible.
    org_value = int(org_id) if org_id is not None else -1
    if isinstance(state.statement, TextClause):
        return  # loader criteria apply to ORM entities only; raw SQL meets row-level security
    mapper_count = len(Base.registry.mappers)
    statement: Any = state.statement
    names = {el.name for el in visitors.iterate(statement) if isinstance(el, Table)}
    names.update(m.local_table.name for m in state.all_mappers if isinstance(m.local_table, Table))
    classes = _tenant_classes_reachable(frozenset(names), mapper_count)
    if classes:
        state.statement = state.statement.options(*_criteria_for(org_value, classes))


@lru_cache(maxsize=1024)
def _tenant_classes_reachable(tables: frozenset[str], _mapper_count: int) -> tuple[type, ...]:
    """Tenant models a statement over ``tables`` can load: those tables' models and every model
    reachable from them through relationships (joined eager loads put those into the same
    statement). Criteria for the other tenant models would change nothing — and generating the
    statement cache key of dozens of criteria was most of the cost of a small request."""
    mappers = [m for m in Base.registry.mappers if getattr(m.local_table, "name", None) in tables]
    seen = set(mappers)
    todo = list(mappers)
    while todo:
        for rel in todo.pop().relationships:
            if rel.mapper not in seen:
                seen.add(rel.mapper)
                todo.append(rel.mapper)
    return tuple(sorted((m.class_ for m in seen if issubclass(m.class_, TenantScoped)), key=lambda c: c.__name__))


@lru_cache(maxsize=8192)
def _criteria_for(org_value: int, classes: tuple[type, ...]) -> tuple[Any, ...]:
    """The loader criteria of ``classes`` for one organisation, built once and then reused.

    One plain (non-lambda) criterion per tenant model: the organisation id is an ordinary bound
    parameter, so SQLAlchemy's statement cache can never reuse another tenant's value. The
    criteria are immutable, so keeping them per organisation is safe.
    """
    return tuple(
        with_loader_criteria(cls, _visible_criteria(cls, org_value), include_aliases=True) for cls in classes
    )


def has_write_grant(session: Session, obj: Any, org_id: int) -> bool:
    stmt = select(Grant.id).where(
        Grant.grantee_organisation_id == org_id,
        Grant.object_type == obj.__tablename__,
        Grant.object_id == obj.id,
        Grant.permission == "write",
        Grant.revoked_at.is_(None),
    )
    return session.execute(stmt, execution_options={"skip_tenancy": True}).first() is not None


@event.listens_for(Session, "before_flush")
def _stamp_and_check(session: Session, _ctx: Any, _instances: Any) -> None:
    info = session.info
    if info.get("platform_admin"):
        changed = [o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, TenantScoped)]
        if changed and not info.get(_SCOPE_OPEN):
            tables = sorted({str(getattr(o, "__tablename__", "")) for o in changed})
            open_platform_scope(session, "platform session writes: " + ", ".join(tables))
        return
    org_id = info.get("org_id")
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            if getattr(obj, "organisation_id", None) is None:
                if org_id is None:
                    raise PermissionDenied("no organisation bound to this session")
                obj.organisation_id = org_id
            elif obj.organisation_id != org_id:
                raise PermissionDenied("cannot create rows for another organisation")
    for obj in list(session.dirty) + list(session.deleted):
        if (
            isinstance(obj, TenantScoped)
            and obj.organisation_id != org_id
            and (org_id is None or not has_write_grant(session, obj, int(org_id)))
        ):
            raise PermissionDenied("cannot change another organisation's rows")


@event.listens_for(Session, "after_begin")
def _set_postgres_tenant(session: Session, transaction: Any, connection: Any) -> None:
    if not getattr(transaction, "nested", False):
        session.info[_SCOPE_OPEN] = False  # a new transaction starts without a platform scope
    if connection.dialect.name != "postgresql":
        return
    org_id = session.info.get("org_id")
    connection.execute(
        text("SELECT set_config('app.tenant_id', :org, true)"),
        {"org": "" if org_id is None else str(int(org_id))},
    )


def _caller_name(depth: int) -> str:
    try:
        frame = sys._getframe(depth)
    except ValueError:  # pragma: no cover - shallower stack than expected
        return "platform_scope"
    return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"


@contextmanager
def platform_scope(session: Session, reason: str = "") -> Iterator[None]:
    """Lift the tenant filter for a few statements inside an organisation's transaction.

    For reads that are legitimately wider than the tenant (a guidance centre's anonymous
    statistics over all cases; an owner sharing what agencies filed into its plan). Lifts both
    guards: the ORM filter (``session.info``) and, on PostgreSQL, row-level security for the rest
    of this block (:func:`open_platform_scope`: audited, the reason defaults to the calling
    function), then restores them.
    """
    before = session.info.get("platform_admin", False)
    was_open = bool(session.info.get(_SCOPE_OPEN))
    why = reason or _caller_name(3)  # 1: this generator, 2: contextlib's __enter__, 3: the caller
    session.info["platform_admin"] = True
    try:
        open_platform_scope(session, why)
        yield
    finally:
        session.info["platform_admin"] = before
        if not was_open:
            # If the transaction failed inside the block, its rollback ends the scope anyway.
            with suppress(SQLAlchemyError):
                _close_platform_scope(session)
