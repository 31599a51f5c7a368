"""Dashboard, account, API tokens and organisation switching (server-rendered pages)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fenghuo.core import audit, orgs, tokens
from fenghuo.core.auth import end_all_sessions, hash_password, verify_password
from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import User, WebSession
from fenghuo.web import dashboards
from fenghuo.web.deps import SESSION_COOKIE, Caller, caller_session, require_caller
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


@router.get("/account")
async def account(request: Request, caller: Caller = Depends(require_caller)) -> Response:
    def load() -> list[Any]:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, platform_admin=True) as session:
            return tokens.tokens_of(session, caller.user_id)

    rows = await run_in_threadpool(load)
    return render(request, "account/account.html", {"tokens": rows, "new_token": None})


@router.post("/account/tokens")
async def create_token(
    request: Request,
    name: str = Form(...),
    scopes: str = Form("read"),
    caller: Caller = Depends(require_caller),
) -> Response:
    if caller.org_id is None:
        raise ValidationFailed(_("You are not a member of any organisation."), field="organisation")

    def make() -> tuple[str, list[Any]]:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            _row, plaintext = tokens.create_token(session, user, int(caller.org_id or 0), name, scopes)
            session.flush()
            return plaintext, tokens.tokens_of(session, caller.user_id)

    plaintext, rows = await run_in_threadpool(make)
    return render(request, "account/account.html", {"tokens": rows, "new_token": plaintext})


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: int, caller: Caller = Depends(require_caller)) -> Response:
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
    def change() -> None:
        with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                           platform_admin=True) as session:
            user = session.get(User, caller.user_id)
            assert user is not None
            if not verify_password(user.password_hash, current):
                raise ValidationFailed(_("The current password is wrong."), field="current")
            orgs.validate_password(new)
            user.password_hash = hash_password(new)
            # Every session of this user ends, this one included: log in again with the new password.
            end_all_sessions(session, user.id)

    await run_in_threadpool(change)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/switch-org")
async def switch_org(request: Request, org_id: int = Form(...), caller: Caller = Depends(require_caller)) -> Response:
    """Act for another organisation the user belongs to."""
    if org_id not in {m[0] for m in caller.memberships} and not caller.is_platform_admin:
        raise NotFound(_("organisation %(ref)s not found", ref=org_id))
    cookie = request.cookies.get(SESSION_COOKIE, "")

    def switch() -> None:
        from fenghuo.core.auth import sha256

        with session_scope(org_id=None, platform_admin=True) as session:
            row = session.scalar(select(WebSession).where(WebSession.token_hash == sha256(cookie)))
            if row is not None:
                row.organisation_id = org_id

    await run_in_threadpool(switch)
    return RedirectResponse("/", status_code=303)
