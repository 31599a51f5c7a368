"""Administration pages: members and roles, organisations (platform), the audit log, grants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from fenghuo.core import audit, grants, invitations, orgs
from fenghuo.core.db import session_scope
from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.limits import DB_ID_MAX
from fenghuo.core.models import Organisation, OrgKind, Role
from fenghuo.web import flash
from fenghuo.web.deps import (
    Caller,
    Forbidden,
    caller_session,
    platform_session,
    require_caller,
    require_org_admin,
    require_platform_admin,
)
from fenghuo.web.params import DbId
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/admin")
async def admin_home(request: Request, caller: Caller = Depends(require_caller)) -> Response:
    if caller.role is Role.ADMIN:
        return RedirectResponse("/admin/members", status_code=303)
    if caller.is_platform_admin:
        return RedirectResponse("/admin/organisations", status_code=303)
    raise Forbidden(_("Only organisation administrators may do this."))


def _members(caller: Caller) -> dict[str, Any]:
    """Members (who accepted: name, e-mail, last login) and open invitations (only the typed address)."""
    with platform_session(caller) as session:
        org_id = int(caller.org_id or 0)
        members = [
            {"user_id": m.user_id, "email": m.user.email, "name": m.user.display_name, "role": m.role,
             "last_login": m.user.last_login_at}
            for m in orgs.members_of(session, org_id)
        ]
        invited = [
            {"id": i.id, "email": i.email, "role": i.role, "status": i.status(),
             "status_label": invitations.status_label(i.status()), "expires_at": i.expires_at}
            for i in invitations.org_invitations(session, org_id)
        ]
        return {"members": members, "invitations": invited}


@router.get("/admin/members")
async def members_page(request: Request, caller: Caller = Depends(require_org_admin)) -> Response:
    data = await run_in_threadpool(_members, caller)
    return render(request, "orgs/members.html", {**data, "roles": [r.value for r in Role]})


@router.post("/admin/members")
async def invite_member(
    request: Request,
    email: str = Form(...),
    role: str = Form("member"),
    caller: Caller = Depends(require_org_admin),
) -> Response:
    """Invite an e-mail address; the user joins only on accepting (the same answer for any address)."""

    def invite() -> None:
        with platform_session(caller) as session:
            invitations.invite(session, int(caller.org_id or 0), email[:254], role, invited_by_user_id=caller.user_id)

    await run_in_threadpool(invite)
    return RedirectResponse("/admin/members", status_code=303)


@router.post("/admin/invitations/{invitation_id}/revoke")
async def revoke_invitation(
    request: Request, invitation_id: DbId, caller: Caller = Depends(require_org_admin)
) -> Response:
    def revoke() -> None:
        with platform_session(caller) as session:
            invitations.revoke(session, int(caller.org_id or 0), invitation_id)

    await run_in_threadpool(revoke)
    return RedirectResponse("/admin/members", status_code=303)


@router.post("/admin/members/{user_id}/role")
async def change_role(
    request: Request, user_id: DbId, role: str = Form(...), caller: Caller = Depends(require_org_admin)
) -> Response:
    def change() -> None:
        with platform_session(caller) as session:
            orgs.change_role(session, int(caller.org_id or 0), user_id, role)

    await run_in_threadpool(change)
    return RedirectResponse("/admin/members", status_code=303)


@router.post("/admin/members/{user_id}/remove")
async def remove_member(request: Request, user_id: DbId, caller: Caller = Depends(require_org_admin)) -> Response:
    if user_id == caller.user_id:
        raise ValidationFailed(_("you cannot remove yourself"), field="user_id")

    def remove() -> None:
        with platform_session(caller) as session:
            orgs.remove_member(session, int(caller.org_id or 0), user_id)

    await run_in_threadpool(remove)
    return RedirectResponse("/admin/members", status_code=303)


def _parse_when(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=value), field=field) from None


@router.get("/admin/audit")
async def audit_page(
    request: Request,
    action: str | None = None,
    object_type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    page: int = Query(1, le=DB_ID_MAX // PAGE_SIZE),
    caller: Caller = Depends(require_org_admin),
) -> Response:
    filters = {
        "action": action or None,
        "object_type": object_type or None,
        "since": _parse_when(since, "since"),
        "until": _parse_when(until, "until"),
    }

    def load() -> list[Any]:
        with caller_session(caller) as session:
            return audit.query_log(
                session, int(caller.org_id or 0), limit=PAGE_SIZE, offset=(max(page, 1) - 1) * PAGE_SIZE, **filters
            )

    rows = await run_in_threadpool(load)
    return render(request, "audit/log.html", {
        "entries": rows, "page": max(page, 1), "page_size": PAGE_SIZE,
        "f": {"action": action or "", "object_type": object_type or "", "since": since or "", "until": until or ""},
    })


@router.get("/admin/grants")
async def grants_page(request: Request, caller: Caller = Depends(require_org_admin)) -> Response:
    def load() -> dict[str, Any]:
        with platform_session(caller) as session:
            names = {o.id: o.name for o in orgs.list_organisations(session)}
            given = grants.grants_by_org(session, int(caller.org_id or 0))
            received = grants.grants_by_org(session, int(caller.org_id or 0), received=True)
            return {"given": given, "received": received, "names": names}

    return render(request, "orgs/grants.html", await run_in_threadpool(load))


@router.post("/admin/grants/{grant_id}/revoke")
async def revoke_grant(request: Request, grant_id: DbId, caller: Caller = Depends(require_org_admin)) -> Response:
    def revoke() -> None:
        with caller_session(caller) as session:
            grants.revoke_grant(session, grant_id)

    await run_in_threadpool(revoke)
    return flash.redirect("/admin/grants", _("Access revoked."))


@router.get("/admin/organisations")
async def organisations_page(request: Request, caller: Caller = Depends(require_platform_admin)) -> Response:
    def load() -> list[Organisation]:
        with platform_session(caller) as session:
            return orgs.list_organisations(session)

    rows = await run_in_threadpool(load)
    return render(request, "orgs/organisations.html", {"organisations": rows, "kinds": [k.value for k in OrgKind]})


def _parent_id(value: str) -> int | None:
    """The parent organisation named in the form; blank or not an id means none."""
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= DB_ID_MAX:
        return None
    return int(value)


@router.post("/admin/organisations")
async def create_organisation(
    request: Request,
    name: str = Form(...),
    kind: str = Form(...),
    parent_id: str = Form(""),
    region: str = Form(""),
    industry: str = Form(""),
    caller: Caller = Depends(require_platform_admin),
) -> Response:
    def create() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            orgs.create_organisation(
                session, name, kind, parent_id=_parent_id(parent_id),
                region=region or None, industry=industry or None,
            )

    await run_in_threadpool(create)
    return flash.redirect("/admin/organisations", _("Organisation created."))
