"""Organisations (tenants), users and memberships."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fenghuo.core.auth import hash_password
from fenghuo.core.errors import Conflict, NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Membership, Organisation, OrgKind, Role, User
from fenghuo.core.passwords import MAX_PASSWORD_LENGTH as MAX_PASSWORD_LENGTH
from fenghuo.core.passwords import MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH
from fenghuo.core.passwords import validate_password as validate_password

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value.strip().lower()))


def parse_kind(kind: str) -> OrgKind:
    try:
        return OrgKind(kind.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise ValidationFailed(
            _("unknown organisation kind %(kind)s (one of: %(kinds)s)", kind=kind,
              kinds=", ".join(k.value for k in OrgKind)),
            field="kind",
        ) from None


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise ValidationFailed(
            _("unknown role %(role)s (one of: viewer, member, admin)", role=role), field="role"
        ) from None


def create_organisation(
    session: Session,
    name: str,
    kind: str | OrgKind,
    *,
    parent_id: int | None = None,
    region: str | None = None,
    industry: str | None = None,
) -> Organisation:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("an organisation needs a name"), field="name")
    kind_value = kind if isinstance(kind, OrgKind) else parse_kind(kind)
    if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise Conflict(_("an organisation named %(name)s already exists", name=name))
    if parent_id is not None:
        parent = session.get(Organisation, parent_id)
        if parent is None:
            raise ValidationFailed(_("parent organisation %(id)s not found", id=parent_id), field="parent_id")
    org = Organisation(name=name, kind=kind_value.value, parent_id=parent_id, region=region, industry=industry)
    session.add(org)
    session.flush()
    return org


def get_organisation_by_ref(session: Session, ref: str | int) -> Organisation:
    """An organisation by id or exact name (CLI arguments accept both)."""
    org: Organisation | None = None
    if isinstance(ref, int) or str(ref).isdigit():
        org = session.get(Organisation, int(ref))
    if org is None:
        org = session.scalar(select(Organisation).where(Organisation.name == str(ref)))
    if org is None:
        raise NotFound(_("organisation %(ref)s not found", ref=ref))
    return org


def create_user(
    session: Session,
    email: str,
    password: str,
    *,
    display_name: str = "",
    locale: str = "en",
    platform_admin: bool = False,
) -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationFailed(_("%(email)s is not an email address", email=email), field="email")
    validate_password(password, (email, display_name))
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict(_("a user with email %(email)s already exists", email=email))
    user = User(
        email=email,
        display_name=display_name.strip() or email.split("@")[0],
        password_hash=hash_password(password),
        locale="zh_CN" if locale.lower().startswith("zh") else "en",
        is_platform_admin=platform_admin,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(_("user %(email)s not found", email=email))
    return user


def add_member(session: Session, org_id: int, user_id: int, role: str | Role = Role.MEMBER) -> Membership:
    """Make ``user_id`` a member directly — platform administration only (CLI, platform API, demo).

    Organisation administrators go through :mod:`fenghuo.core.invitations`: the user consents.
    """
    role_value = role if isinstance(role, Role) else parse_role(role)
    existing = session.scalar(
        select(Membership).where(Membership.organisation_id == org_id, Membership.user_id == user_id)
    )
    if existing is not None:
        existing.role = role_value.value
        return existing
    membership = Membership(organisation_id=org_id, user_id=user_id, role=role_value.value)
    session.add(membership)
    session.flush()
    return membership


def change_role(session: Session, org_id: int, user_id: int, role: str | Role) -> Membership:
    """Change the role of an existing member (never adds one: organisations invite)."""
    role_value = role if isinstance(role, Role) else parse_role(role)
    membership = session.scalar(
        select(Membership).where(Membership.organisation_id == org_id, Membership.user_id == user_id)
    )
    if membership is None:
        raise NotFound(_("membership not found"))
    membership.role = role_value.value
    session.flush()
    return membership


def remove_member(session: Session, org_id: int, user_id: int) -> None:
    membership = session.scalar(
        select(Membership).where(Membership.organisation_id == org_id, Membership.user_id == user_id)
    )
    if membership is None:
        raise NotFound(_("membership not found"))
    session.delete(membership)


def memberships_of(session: Session, user_id: int) -> list[Membership]:
    return list(session.scalars(select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)))


def members_of(session: Session, org_id: int) -> list[Membership]:
    return list(
        session.scalars(select(Membership).where(Membership.organisation_id == org_id).order_by(Membership.id))
    )


def role_in(session: Session, user_id: int, org_id: int) -> Role | None:
    value = session.scalar(
        select(Membership.role).where(Membership.user_id == user_id, Membership.organisation_id == org_id)
    )
    return Role(value) if value else None


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))
