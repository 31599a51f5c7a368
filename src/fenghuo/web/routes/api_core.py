"""JSON API of the platform: the caller, organisations, members, tokens, audit log, grants.

Organisation-scoped routes answer 404 (not 403) for an organisation the caller does not act
for, so ids of other tenants' objects are not even confirmed to exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fenghuo.core import audit, grants, invitations, orgs, tokens
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.core.models import Grant, OrgKind, Role, TenantScoped, User
from fenghuo.web.deps import (
    Caller,
    Forbidden,
    caller_session,
    platform_session,
    require_caller,
    require_org,
    require_org_admin,
    require_platform_admin,
    require_write,
)
from fenghuo.web.params import BodyId, DbId, IsoDate, IsoDateTime, QueryId, one_of, shareable_tables

router = APIRouter(prefix="/api/v1", tags=["platform"])


class MembershipOut(BaseModel):
    organisation_id: int
    organisation: str
    role: str


class MeOut(BaseModel):
    id: int
    email: str
    display_name: str
    locale: str
    is_platform_admin: StrictBool
    organisation_id: int | None
    role: str | None
    via: str
    scopes: list[str]
    memberships: list[MembershipOut]


class OrganisationIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="enterprise, guidance_centre, exhibition_station, trade_promotion, insurer, "
                                  "administration", json_schema_extra=one_of(*(k.value for k in OrgKind)))
    parent_id: BodyId | None = None
    region: str | None = Field(default=None, max_length=100)
    industry: str | None = Field(default=None, max_length=100)


class OrganisationOut(BaseModel):
    id: int
    name: str
    kind: str
    parent_id: int | None
    region: str | None
    industry: str | None


class MemberIn(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    role: str = Field(default="member", json_schema_extra=one_of("viewer", "member", "admin"))
    password: str | None = Field(default=None, max_length=1024,
                                 description="Creates the user when no user has this email.")
    display_name: str = Field(default="", max_length=200)


class RoleIn(BaseModel):
    role: str = Field(description="viewer, member or admin", json_schema_extra=one_of("viewer", "member", "admin"))


class InvitationIn(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    role: str = Field(default="member", description="viewer, member or admin",
                      json_schema_extra=one_of("viewer", "member", "admin"))


class InvitationOut(BaseModel):
    """The same shape whether or not an account with the address exists."""

    id: int
    organisation_id: int
    email: str
    role: str
    status: str = Field(description="pending, declined, revoked or expired")
    created_at: datetime
    expires_at: datetime


class MyInvitationOut(BaseModel):
    id: int
    organisation_id: int
    organisation: str
    role: str
    created_at: datetime
    expires_at: datetime


class MemberOut(BaseModel):
    user_id: int
    email: str
    display_name: str
    role: str


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: str = Field(default="read", description="'read' or 'read write'",
                        json_schema_extra=one_of("read", "read write"))
    expires_in_days: int | None = Field(default=None, ge=1, le=3650,
                                        description="Expire after this many days (1–3650).")
    expires_on: IsoDate | None = Field(default=None, description="Expire at the end of this day (UTC).")


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: str
    organisation_id: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = Field(description="None: never expires")
    expired: StrictBool


class TokenCreated(TokenOut):
    token: str = Field(description="The secret, shown only in this response.")


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_user_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None


class GrantIn(BaseModel):
    object_type: str = Field(description="Table name of the shared object, e.g. tm_alerts",
                             json_schema_extra=one_of(*shareable_tables()))
    object_id: BodyId
    grantee_organisation_id: BodyId
    permission: str = Field(default="read", json_schema_extra=one_of("read", "write"))


class GrantOut(BaseModel):
    id: int
    organisation_id: int
    grantee_organisation_id: int
    object_type: str
    object_id: int
    permission: str
    created_at: datetime
    revoked_at: datetime | None


def _org_out(o: Any) -> OrganisationOut:
    return OrganisationOut(id=o.id, name=o.name, kind=o.kind, parent_id=o.parent_id, region=o.region,
                           industry=o.industry)


def _token_out(t: Any) -> TokenOut:
    return TokenOut(id=t.id, name=t.name, prefix=t.prefix, scopes=t.scopes, organisation_id=t.organisation_id,
                    created_at=t.created_at, last_used_at=t.last_used_at, revoked_at=t.revoked_at,
                    expires_at=t.expires_at, expired=t.is_expired())


def _own_org(caller: Caller, org_id: int) -> None:
    if caller.org_id != org_id:
        raise NotFound(_("organisation %(ref)s not found", ref=org_id))


@router.get("/me", response_model=MeOut, summary="The caller")
async def me(caller: Caller = Depends(require_caller)) -> MeOut:
    return MeOut(
        id=caller.user_id, email=caller.email, display_name=caller.display_name, locale=caller.locale,
        is_platform_admin=caller.is_platform_admin, organisation_id=caller.org_id,
        role=caller.role.value if caller.role else None, via=caller.via, scopes=sorted(caller.scopes),
        memberships=[MembershipOut(organisation_id=i, organisation=n, role=r) for i, n, r in caller.memberships],
    )


@router.get("/organisations", response_model=list[OrganisationOut], summary="Organisations visible to the caller")
async def list_organisations(caller: Caller = Depends(require_caller)) -> list[OrganisationOut]:
    def load() -> list[OrganisationOut]:
        with platform_session(caller) as session:
            everything = orgs.list_organisations(session)
            if caller.is_platform_admin:
                return [_org_out(o) for o in everything]
            return [_org_out(o) for o in everything if o.id == caller.org_id]

    return await run_in_threadpool(load)


@router.post("/organisations", response_model=OrganisationOut, status_code=201, summary="Create an organisation")
async def create_organisation(
    body: OrganisationIn, caller: Caller = Depends(require_platform_admin)
) -> OrganisationOut:
    def create() -> OrganisationOut:
        with platform_session(caller) as session:
            return _org_out(orgs.create_organisation(session, body.name, body.kind, parent_id=body.parent_id,
                                                     region=body.region, industry=body.industry))

    return await run_in_threadpool(create)


@router.get("/organisations/{org_id:int}", response_model=OrganisationOut, summary="One organisation")
async def get_organisation(org_id: DbId, caller: Caller = Depends(require_org)) -> OrganisationOut:
    _own_org(caller, org_id)

    def load() -> OrganisationOut:
        with platform_session(caller) as session:
            return _org_out(orgs.get_organisation_by_ref(session, org_id))

    return await run_in_threadpool(load)


@router.get("/organisations/{org_id:int}/members", response_model=list[MemberOut], summary="Members of an organisation")
async def list_members(org_id: DbId, caller: Caller = Depends(require_org)) -> list[MemberOut]:
    _own_org(caller, org_id)

    def load() -> list[MemberOut]:
        with platform_session(caller) as session:
            return [MemberOut(user_id=m.user_id, email=m.user.email, display_name=m.user.display_name, role=m.role)
                    for m in orgs.members_of(session, org_id)]

    return await run_in_threadpool(load)


@router.post("/organisations/{org_id:int}/members", response_model=MemberOut, status_code=201,
             summary="Add a member directly (platform administrators; organisations invite)")
async def add_member(org_id: DbId, body: MemberIn, caller: Caller = Depends(require_org_admin)) -> MemberOut:
    _own_org(caller, org_id)
    if not caller.is_platform_admin:
        # Nobody joins an organisation without consenting: organisation admins invite.
        raise Forbidden(_("Organisation administrators invite members (POST /api/v1/organisations/%(id)s/"
                          "invitations); the user joins on accepting.", id=org_id))

    def add() -> MemberOut:
        with platform_session(caller) as session:
            user = session.scalar(select(User).where(User.email == body.email.strip().lower()))
            if user is None:
                if not body.password:
                    raise ValidationFailed(_("no user with email %(email)s: give a password to create one",
                                             email=body.email), field="email")
                user = orgs.create_user(session, body.email, body.password, display_name=body.display_name)
            m = orgs.add_member(session, org_id, user.id, body.role)
            return MemberOut(user_id=user.id, email=user.email, display_name=user.display_name, role=m.role)

    return await run_in_threadpool(add)


@router.patch("/organisations/{org_id:int}/members/{user_id:int}", response_model=MemberOut,
              summary="Change a member's role (organisation admins)")
async def change_member_role(
    org_id: DbId, user_id: DbId, body: RoleIn, caller: Caller = Depends(require_org_admin)
) -> MemberOut:
    _own_org(caller, org_id)

    def change() -> MemberOut:
        with platform_session(caller) as session:
            m = orgs.change_role(session, org_id, user_id, body.role)
            return MemberOut(user_id=m.user_id, email=m.user.email, display_name=m.user.display_name, role=m.role)

    return await run_in_threadpool(change)


def _invitation_out(inv: Any) -> InvitationOut:
    return InvitationOut(id=inv.id, organisation_id=inv.organisation_id, email=inv.email, role=inv.role,
                         status=inv.status(), created_at=inv.created_at, expires_at=inv.expires_at)


@router.post("/organisations/{org_id:int}/invitations", response_model=InvitationOut, status_code=201,
             summary="Invite an e-mail address (organisation admins); the user joins on accepting")
async def create_invitation(
    org_id: DbId, body: InvitationIn, caller: Caller = Depends(require_org_admin)
) -> InvitationOut:
    _own_org(caller, org_id)

    def create() -> InvitationOut:
        with platform_session(caller) as session:
            return _invitation_out(invitations.invite(session, org_id, body.email, body.role,
                                                      invited_by_user_id=caller.user_id))

    return await run_in_threadpool(create)


@router.get("/organisations/{org_id:int}/invitations", response_model=list[InvitationOut],
            summary="Invitations not (yet) accepted (organisation admins)")
async def list_invitations(org_id: DbId, caller: Caller = Depends(require_org_admin)) -> list[InvitationOut]:
    _own_org(caller, org_id)

    def load() -> list[InvitationOut]:
        with platform_session(caller) as session:
            return [_invitation_out(i) for i in invitations.org_invitations(session, org_id)]

    return await run_in_threadpool(load)


@router.delete("/organisations/{org_id:int}/invitations/{invitation_id:int}", status_code=204,
               summary="Revoke an invitation (organisation admins)")
async def revoke_invitation(
    org_id: DbId, invitation_id: DbId, caller: Caller = Depends(require_org_admin)
) -> Response:
    _own_org(caller, org_id)

    def revoke() -> None:
        with platform_session(caller) as session:
            invitations.revoke(session, org_id, invitation_id)

    await run_in_threadpool(revoke)
    return Response(status_code=204)


def _require_write_scope(caller: Caller) -> None:
    """Answering one's own invitation changes no organisation's data: the token's scope counts, not
    the caller's role in the organisation it acts for (a viewer there may join another)."""
    if "write" not in caller.scopes:
        raise Forbidden(_("This API token is read-only (scope: read)."))


@router.get("/invitations", response_model=list[MyInvitationOut], summary="Invitations waiting for the caller")
async def my_invitations(caller: Caller = Depends(require_caller)) -> list[MyInvitationOut]:
    def load() -> list[MyInvitationOut]:
        with platform_session(caller) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            return [MyInvitationOut(id=i.id, organisation_id=i.organisation_id, organisation=i.organisation.name,
                                    role=i.role, created_at=i.created_at, expires_at=i.expires_at)
                    for i in invitations.pending_for(session, user)]

    return await run_in_threadpool(load)


@router.post("/invitations/{invitation_id:int}/accept", response_model=MembershipOut,
             summary="Accept an invitation: join the organisation")
async def accept_invitation(invitation_id: DbId, caller: Caller = Depends(require_caller)) -> MembershipOut:
    _require_write_scope(caller)

    def accept() -> MembershipOut:
        with platform_session(caller) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            m = invitations.accept(session, invitation_id, user)
            return MembershipOut(organisation_id=m.organisation_id, organisation=m.organisation.name, role=m.role)

    return await run_in_threadpool(accept)


@router.post("/invitations/{invitation_id:int}/decline", status_code=204, summary="Decline an invitation")
async def decline_invitation(invitation_id: DbId, caller: Caller = Depends(require_caller)) -> Response:
    _require_write_scope(caller)

    def decline() -> None:
        with platform_session(caller) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            invitations.decline(session, invitation_id, user)

    await run_in_threadpool(decline)
    return Response(status_code=204)


@router.delete("/organisations/{org_id:int}/members/{user_id:int}", status_code=204, summary="Remove a member")
async def remove_member(org_id: DbId, user_id: DbId, caller: Caller = Depends(require_org_admin)) -> Response:
    _own_org(caller, org_id)

    def remove() -> None:
        with platform_session(caller) as session:
            orgs.remove_member(session, org_id, user_id)

    await run_in_threadpool(remove)
    return Response(status_code=204)


@router.get("/tokens", response_model=list[TokenOut], summary="The caller's API tokens (never the secrets)")
async def list_tokens(caller: Caller = Depends(require_caller)) -> list[TokenOut]:
    def load() -> list[TokenOut]:
        with platform_session(caller) as session:
            return [_token_out(t) for t in tokens.tokens_of(session, caller.user_id)]

    return await run_in_threadpool(load)


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Create an API token (shown once)")
async def create_token(body: TokenIn, caller: Caller = Depends(require_org)) -> TokenCreated:
    def create() -> TokenCreated:
        with platform_session(caller) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            row, plaintext = tokens.create_token(
                session, user, int(caller.org_id or 0), body.name, body.scopes,
                expires_at=tokens.expiry_from(body.expires_in_days, body.expires_on),
            )
            session.flush()
            return TokenCreated(**_token_out(row).model_dump(), token=plaintext)

    return await run_in_threadpool(create)


@router.delete("/tokens/{token_id:int}", status_code=204, summary="Revoke an API token")
async def revoke_token(token_id: DbId, caller: Caller = Depends(require_caller)) -> Response:
    require_write(caller)

    def revoke() -> None:
        with platform_session(caller) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            tokens.revoke_token(session, token_id, user)

    await run_in_threadpool(revoke)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut], summary="The organisation's audit log (organisation admins)")
async def audit_log(
    action: str | None = None,
    object_type: str | None = None,
    actor_user_id: QueryId = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=DB_ID_MAX),
    caller: Caller = Depends(require_org_admin),
) -> list[AuditOut]:
    def load() -> list[AuditOut]:
        with caller_session(caller) as session:
            rows = audit.query_log(session, int(caller.org_id or 0), action=action, object_type=object_type,
                                   actor_user_id=actor_user_id, since=since, until=until, limit=limit, offset=offset)
            return [AuditOut.model_validate(r, from_attributes=True) for r in rows]

    return await run_in_threadpool(load)


def _grant_out(g: Grant) -> GrantOut:
    return GrantOut.model_validate(g, from_attributes=True)


@router.get("/grants", response_model=list[GrantOut], summary="Grants given and received by the organisation")
async def list_grants(caller: Caller = Depends(require_org)) -> list[GrantOut]:
    def load() -> list[GrantOut]:
        with caller_session(caller) as session:
            org = int(caller.org_id or 0)
            rows = grants.grants_by_org(session, org) + grants.grants_by_org(session, org, received=True)
            return [_grant_out(g) for g in rows]

    return await run_in_threadpool(load)


@router.post("/grants", response_model=GrantOut, status_code=201, summary="Share one object with another organisation")
async def create_grant(body: GrantIn, caller: Caller = Depends(require_org_admin)) -> GrantOut:
    from fenghuo.core.models import Base

    model = next((m.class_ for m in Base.registry.mappers
                  if issubclass(m.class_, TenantScoped) and m.local_table.name == body.object_type), None)  # type: ignore[attr-defined]
    if model is None:
        raise ValidationFailed(_("this object cannot be shared"), field="object_type")

    def create() -> GrantOut:
        with caller_session(caller) as session:
            obj = session.get(model, body.object_id)
            if obj is None or obj.organisation_id != caller.org_id:
                raise NotFound(_("object %(id)s not found", id=body.object_id))
            return _grant_out(grants.grant(session, obj, body.grantee_organisation_id, body.permission))

    return await run_in_threadpool(create)


@router.delete("/grants/{grant_id:int}", status_code=204, summary="Revoke a grant")
async def revoke_grant(grant_id: DbId, caller: Caller = Depends(require_org_admin)) -> Response:
    def revoke() -> None:
        with caller_session(caller) as session:
            grants.revoke_grant(session, grant_id)

    await run_in_threadpool(revoke)
    return Response(status_code=204)


__all__ = ["router", "Role"]
