"""Dashboard, account, API tokens and organisation switching (server-rendered pages)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fenghuo.core import audit, auth, invitations, orgs, tokens
from fenghuo.core.auth import end_all_sessions, hash_password
from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import User, WebSession
from fenghuo.web import dashboards
from fenghuo.web.deps import SESSION_COOKIE, Caller, caller_session, require_caller
from fenghuo.web.params import DbId, FormId
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)


def _dashboard_data(caller: Caller) -> dict[str, Any]:
    """The caller's dashboards (one per kind of organisation, see fenghuo.web.dashboards) and, for an
    organisation administrator, the latest audit entries."""
    data: dict[str, Any] = {"boards": dashboards.build(caller), "recent": []}
    if caller.org_id is not None and caller.role is not None and caller.role.value == "admin":
        with caller_session(caller) as session:
            data["recent"] = audit.query_log(session, caller.org_id, limit=8)
    return data


@router.get("/")
async def dashboard(request: Request, caller: Caller = Depends(require_caller)) -> Response:
    data = await run_in_threadpool(_dashboard_data, caller)
    return render(request, "dashboard/index.html", data)


def _account_data(caller: Caller) -> dict[str, Any]:
    with session_scope(org_id=caller.org_id, user_id=caller.user_id, platform_admin=True) as session:
        user = session.get(User, caller.user_id)
        assert user is not None
        pending = [
            {"id": i.id, "organisation": i.organisation.name, "role": i.role, "expires_at": i.expires_at}
            for i in invitations.pending_for(session, user)
        ]
        return {"tokens": tokens.tokens_of(session, caller.user_id), "invitations": pending}


async def _account_page(
    request: Request,
    caller: Caller,
    *,
    new_token: str | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The account page; ``errors`` (field → message) are shown beside their fields, ``form``
    refills what was typed (never a password)."""
    data = await run_in_threadpool(_account_data, caller)
    data.update(new_token=new_token, errors=errors or {}, form=form or {})
    return render(request, "account/account.html", data, status=status)


@router.get("/account")
async def account(request: Request, caller: Caller = Depends(require_caller)) -> Response:
    return await _account_page(request, caller)


def _page_expiry(days: str, on: str) -> Any:
    """The expiry chosen on the token form (blank: never); errors name the field."""
    days, on = days.strip(), on.strip()
    day_count: int | None = None
    when: date | None = None
    if days:
        if not days.isdigit() or len(days) > 5:
            raise ValidationFailed(_("the expiry must be between 1 and %(n)s days", n=tokens.MAX_TOKEN_DAYS),
                                   field="expires_in_days")
        day_count = int(days)
    if on:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=on), field="expires_on") from None
    return tokens.expiry_from(day_count, when)


@router.post("/account/tokens")
async def create_token(
    request: Request,
    name: str = Form(...),
    scopes: str = Form("read"),
    expires_in_days: str = Form(""),
    expires_on: str = Form(""),
    caller: Caller = Depends(require_caller),
) -> Response:
    if caller.org_id is None:
        raise ValidationFailed(_("You are not a member of any organisation."), field="organisation")

    def make() -> str:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            _row, plaintext = tokens.create_token(session, user, int(caller.org_id or 0), name, scopes,
                                                  expires_at=_page_expiry(expires_in_days, expires_on))
            session.flush()
            return plaintext

    try:
        plaintext = await run_in_threadpool(make)
    except ValidationFailed as exc:
        form = {"name": name[:100], "scopes": scopes, "expires_in_days": expires_in_days[:10],
                "expires_on": expires_on[:10]}
        return await _account_page(request, caller, errors={exc.field or "name": exc.message}, form=form, status=422)
    return await _account_page(request, caller, new_token=plaintext)


@router.post("/account/invitations/{invitation_id}/{decision}")
async def answer_invitation(
    request: Request, invitation_id: DbId, decision: str, caller: Caller = Depends(require_caller)
) -> Response:
    """Accept or decline an invitation addressed to the caller's e-mail."""
    if decision not in ("accept", "decline"):
        raise NotFound(_("Not found"))

    def answer() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            if decision == "accept":
                invitations.accept(session, invitation_id, user)
            else:
                invitations.decline(session, invitation_id, user)

    await run_in_threadpool(answer)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: DbId, caller: Caller = Depends(require_caller)) -> Response:
    def revoke() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            tokens.revoke_token(session, token_id, user)

    await run_in_threadpool(revoke)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
async def change_password(
    request: Request,
    current: str = Form(...),
    new: str = Form(...),
    caller: Caller = Depends(require_caller),
) -> Response:
    address = request.client.host if request.client else None

    def change() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            # Guessing the current password from a hijacked session is throttled like a login.
            if not auth.check_current_password(session, user, current, address=address):
                raise ValidationFailed(_("The current password is wrong."), field="current")
            orgs.validate_password(new, (user.email, user.display_name), field="new")
            user.password_hash = hash_password(new)
            audit.record(session, "password_change", "users", user.id)
            # Every session of this user ends, this one included: log in again with the new password.
            end_all_sessions(session, user.id)

    try:
        await run_in_threadpool(change)
    except ValidationFailed as exc:
        return await _account_page(request, caller, errors={exc.field or "new": exc.message}, status=422)
    except auth.LoginError as exc:
        message = _("Too many failed attempts: wait %(n)s seconds before trying again.", n=exc.retry_after)
        response = await _account_page(request, caller, errors={"current": message}, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/switch-org")
async def switch_org(request: Request, org_id: FormId, caller: Caller = Depends(require_caller)) -> Response:
    """Act for another organisation the user belongs to."""
    if org_id not in {m[0] for m in caller.memberships} and not caller.is_platform_admin:
        raise NotFound(_("organisation %(ref)s not found", ref=org_id))
    cookie = request.cookies.get(SESSION_COOKIE, "")

    def switch() -> None:
        from fenghuo.core.auth import sha256

        with session_scope(org_id=None, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            row = session.scalar(select(WebSession).where(WebSession.token_hash == sha256(cookie)))
            if row is not None:
                previous = row.organisation_id
                row.organisation_id = org_id
                # In both organisations' logs: who came in, and who left to act elsewhere.
                before, after = {"organisation_id": previous}, {"organisation_id": org_id}
                for org in {org_id, previous} - {None}:
                    audit.record(session, "switch_org", "web_sessions", row.id, before=before, after=after,
                                 organisation_id=org)

    await run_in_threadpool(switch)
    return RedirectResponse("/", status_code=303)
