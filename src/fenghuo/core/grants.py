"""Explicit sharing of one object with another organisation: revocable and audited.

Why a generic grant table: later modules share different things (an enterprise shares a
dispute case with a guidance-centre branch, a plan owner opens an evaluation to a
third-party evaluator). The tenancy filter reads grants for every ``TenantScoped`` model, so
a module only calls :func:`grant` — it writes no visibility logic of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Grant, Organisation, TenantScoped


def grant(session: Session, obj: Any, grantee_org_id: int, permission: str = "read") -> Grant:
    """Share ``obj`` (a TenantScoped row of the session's organisation) with another organisation."""
    if not isinstance(obj, TenantScoped):
        raise ValidationFailed(_("this object cannot be shared"), field="object_type")
    if permission not in ("read", "write"):
        raise ValidationFailed(_("permission must be read or write"), field="permission")
    org_id = session.info.get("org_id")
    if obj.organisation_id != org_id and not session.info.get("platform_admin"):
        raise PermissionDenied(_("only the owning organisation can share this object"))
    if grantee_org_id == obj.organisation_id:
        raise ValidationFailed(_("an organisation cannot share with itself"), field="grantee_organisation_id")
    if session.get(Organisation, grantee_org_id) is None:
        raise ValidationFailed(
            _("organisation %(id)s not found", id=grantee_org_id), field="grantee_organisation_id"
        )
    existing = session.scalar(
        select(Grant).where(
            Grant.object_type == obj.__tablename__,
            Grant.object_id == obj.id,
            Grant.grantee_organisation_id == grantee_org_id,
            Grant.revoked_at.is_(None),
        )
    )
    if existing is not None:
        existing.permission = permission
        return existing
    row = Grant(
        organisation_id=obj.organisation_id,
        grantee_organisation_id=grantee_org_id,
        object_type=obj.__tablename__,
        object_id=obj.id,
        permission=permission,
        created_by_user_id=session.info.get("user_id"),
    )
    session.add(row)
    session.flush()
    return row


def revoke_grant(session: Session, grant_id: int) -> Grant:
    row = session.get(Grant, grant_id)
    org_id = session.info.get("org_id")
    if row is None or (row.organisation_id != org_id and not session.info.get("platform_admin")):
        raise NotFound(_("grant %(id)s not found", id=grant_id))
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit.record(session, "revoke", "grants", row.id, organisation_id=row.organisation_id)
    return row


def grants_for_object(session: Session, object_type: str, object_id: int) -> list[Grant]:
    return list(
        session.scalars(
            select(Grant).where(Grant.object_type == object_type, Grant.object_id == object_id).order_by(Grant.id)
        )
    )


def grants_by_org(session: Session, org_id: int, *, received: bool = False) -> list[Grant]:
    column = Grant.grantee_organisation_id if received else Grant.organisation_id
    return list(session.scalars(select(Grant).where(column == org_id).order_by(Grant.id)))
