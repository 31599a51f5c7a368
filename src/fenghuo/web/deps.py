"""Who is calling, in which organisation, with which rights — for pages and the API.

A caller is resolved once per request from either a bearer API token (``Authorization: Bearer
fh_…``) or the server-side session cookie. Every database session a route opens goes through
:func:`caller_session`, which binds the caller's organisation so the tenancy filter applies;
routes never pass an organisation id by hand.

CSRF: requests authenticated by the cookie must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``) on every unsafe method. Token-authenticated API
calls are exempt (a browser never sends a bearer token on its own).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fenghuo.core import auth, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.i18n import _
from fenghuo.core.models import Membership, Organisation, Role, User

SESSION_COOKIE = "fh_session"
LANG_COOKIE = "fh_lang"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuthRequired(Exception):
    """No valid login: pages redirect to /login, the API answers 401."""


class Forbidden(Exception):
    """Logged in but lacking the role or scope."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class CsrfFailed(Exception):
    """An unsafe cookie-authenticated request without the right CSRF token."""


@dataclass
class Caller:
    """The authenticated user, the organisation they act for, their role there and scopes."""

    user_id: int
    email: str
    display_name: str
    locale: str
    is_platform_admin: bool
    org_id: int | None
    org_name: str | None
    org_kind: str | None
    role: Role | None
    via: str  # "session" | "token"
    scopes: frozenset[str] = field(default_factory=lambda: frozenset({"read", "write"}))
    csrf_token: str | None = None
    token_id: int | None = None
    memberships: list[tuple[int, str, str]] = field(default_factory=list)  # (org id, name, role)

    def has_role(self, role: Role) -> bool:
        return self.role is not None and self.role.at_least(role)


def _load_caller(
    session: Session,
    user: User,
    org_id: int | None,
    via: str,
    scopes: frozenset[str],
    csrf: str | None,
    token_id: int | None = None,
) -> Caller:
    memberships = [
        (m.organisation_id, m.organisation.name, m.role)
        for m in session.query(Membership).filter(Membership.user_id == user.id).order_by(Membership.id)
    ]
    role: Role | None = None
    org: Organisation | None = None
    if org_id is None and memberships:
        org_id = memberships[0][0]
    for mid, _name, mrole in memberships:
        if mid == org_id:
            role = Role(mrole)
    if org_id is not None and role is None and not user.is_platform_admin:
        org_id = memberships[0][0] if memberships else None
        role = Role(memberships[0][2]) if memberships else None
    if org_id is not None:
        org = session.get(Organisation, org_id)
    return Caller(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        is_platform_admin=user.is_platform_admin,
        org_id=org.id if org else None,
        org_name=org.name if org else None,
        org_kind=org.kind if org else None,
        role=role,
        via=via,
        scopes=scopes,
        csrf_token=csrf,
        token_id=token_id,
        memberships=memberships,
    )


def resolve_caller(request: Request) -> Caller | None:
    """The caller of this request (cached on ``request.state``), or None when anonymous."""
    if hasattr(request.state, "caller"):
        cached: Caller | None = request.state.caller
        return cached
    caller: Caller | None = None
    header = request.headers.get("authorization", "")
    with session_scope(org_id=None, platform_admin=True, actor_label="auth") as session:
        if header.lower().startswith("bearer "):
            row = tokens.resolve_token(session, header[7:].strip())
            if row is None:
                request.state.caller = None
                request.state.bad_token = True
                return None
            caller = _load_caller(session, row.user, row.organisation_id, "token", row.scope_set, None, row.id)
        else:
            cookie = request.cookies.get(SESSION_COOKIE, "")
            web = auth.resolve_web_session(session, cookie) if cookie else None
            if web is not None:
                caller = _load_caller(
                    session, web.user, web.organisation_id, "session", frozenset({"read", "write"}), web.csrf_token
                )
    request.state.caller = caller
    return caller


async def require_caller(request: Request) -> Caller:
    caller = await run_in_threadpool(resolve_caller, request)
    if caller is None:
        raise AuthRequired()
    if request.method in UNSAFE_METHODS and caller.via == "session":
        request.state.csrf_sent = await csrf_form_token(request)
    check_csrf(request, caller)
    return caller


async def optional_caller(request: Request) -> Caller | None:
    return await run_in_threadpool(resolve_caller, request)


async def require_org(request: Request) -> Caller:
    """A caller acting for an organisation (every organisation-owned route)."""
    caller = await require_caller(request)
    if caller.org_id is None:
        raise Forbidden(_("You are not a member of any organisation."))
    if request.method in UNSAFE_METHODS:
        require_write(caller)
    return caller


def require_write(caller: Caller) -> None:
    if "write" not in caller.scopes:
        raise Forbidden(_("This API token is read-only (scope: read)."))
    if caller.role is not None and not caller.role.at_least(Role.MEMBER):
        raise Forbidden(_("Viewers cannot change data."))


async def require_org_admin(request: Request) -> Caller:
    caller = await require_org(request)
    if not (caller.has_role(Role.ADMIN) or caller.is_platform_admin):
        raise Forbidden(_("Only organisation administrators may do this."))
    return caller


async def require_platform_admin(request: Request) -> Caller:
    caller = await require_caller(request)
    if not caller.is_platform_admin:
        raise Forbidden(_("Only platform administrators may do this."))
    if request.method in UNSAFE_METHODS and "write" not in caller.scopes:
        raise Forbidden(_("This API token is read-only (scope: read)."))
    return caller


async def csrf_form_token(request: Request) -> str | None:
    """The CSRF token sent with the request: header first, then the form field."""
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if "form" in content_type:
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


def check_csrf(request: Request, caller: Caller) -> None:
    """Compare the token the CSRF middleware read (``request.state.csrf_sent``) with the session's."""
    if request.method not in UNSAFE_METHODS or caller.via != "session":
        return
    sent = getattr(request.state, "csrf_sent", None)
    if not sent or not caller.csrf_token or not hmac.compare_digest(sent, caller.csrf_token):
        raise CsrfFailed()


@contextmanager
def caller_session(caller: Caller) -> Iterator[Session]:
    """A database session bound to the caller's organisation (tenancy filter on)."""
    with session_scope(
        org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email, platform_admin=False
    ) as session:
        yield session


@contextmanager
def platform_session(caller: Caller) -> Iterator[Session]:
    """Unfiltered session for platform administration (callers already checked as platform admins)."""
    with session_scope(org_id=caller.org_id, user_id=caller.user_id, actor_label=caller.email,
                       platform_admin=True) as session:
        yield session
