"""The central tenancy filter: one organisation never sees another's rows.

Why here and not per query: a filter that every query must remember is a filter some query
forgets. ``do_orm_execute`` adds the criterion to every ORM SELECT (including lazy loads and
relationship loads) on any :class:`~fenghuo.core.models.TenantScoped` model; ``before_flush``
stamps new rows with the session's organisation and refuses writes into another
organisation's rows unless a write grant allows it. On PostgreSQL the same rule is enforced a
second time by row-level security (policies created by the migrations; ``app.tenant_id`` set at
the start of every transaction here).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, event, exists, or_, select, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

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


@event.listens_for(Session, "do_orm_execute")
def _add_tenant_criteria(state: ORMExecuteState) -> None:
    info = state.session.info
    if info.get("platform_admin") or state.execution_options.get("skip_tenancy"):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    org_id = info.get("org_id")
    # No organisation and no platform rights: nothing organisation-owned is visible.
    org_value = int(org_id) if org_id is not None else -1
    # One plain (non-lambda) criterion per tenant model: the organisation id is an ordinary
    # bound parameter, so SQLAlchemy's statement cache can never reuse another tenant's value.
    state.statement = state.statement.options(
        *(
            with_loader_criteria(cls, _visible_criteria(cls, org_value), include_aliases=True)
            for cls in _tenant_classes()
        )
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
def _set_postgres_tenant(session: Session, _transaction: Any, connection: Any) -> None:
    if connection.dialect.name != "postgresql":
        return
    info = session.info
    org_id = info.get("org_id")
    connection.execute(
        text("SELECT set_config('app.tenant_id', :org, true), set_config('app.bypass_rls', :bypass, true)"),
        {"org": "" if org_id is None else str(int(org_id)), "bypass": "on" if info.get("platform_admin") else "off"},
    )


@contextmanager
def platform_scope(session: Session) -> Iterator[None]:
    """Lift the tenant filter for a few statements inside an organisation's transaction.

    For reads that are legitimately wider than the tenant (a guidance centre's anonymous
    statistics over all cases; an owner sharing what agencies filed into its plan). Lifts both
    guards: the ORM filter (``session.info``) and, on PostgreSQL, row-level security for the rest
    of this block (``app.bypass_rls``), then restores them.
    """
    before = session.info.get("platform_admin", False)
    session.info["platform_admin"] = True
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SELECT set_config('app.bypass_rls', 'on', true)"))
    try:
        yield
    finally:
        session.info["platform_admin"] = before
        if postgres and not before:
            session.connection().execute(text("SELECT set_config('app.bypass_rls', 'off', true)"))
