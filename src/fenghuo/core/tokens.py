"""Personal API tokens: scoped, shown once, stored hashed, revocable, optionally expiring,
with last-used time.

The plaintext is ``fh_<prefix>_<secret>``; the prefix (stored in clear) lets a user recognise a
token in the list, the SHA-256 of the whole value is what is stored and looked up.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import audit
from fenghuo.core.auth import sha256
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import ApiToken, Membership, User
from fenghuo.core.settings import token_touch_seconds

SCOPES = ("read", "write")
#: The longest lifetime a token may be given (an expiry is optional; no expiry: never expires).
MAX_TOKEN_DAYS = 3650


def expiry_from(
    days: int | None = None, on: date | None = None, *, now: datetime | None = None
) -> datetime | None:
    """The expiry of a new token: ``days`` from now, or the end of day ``on`` (UTC); None: never.

    Both given, a past date or an out-of-range number of days is a validation error naming the field.
    """
    now = now or datetime.now(UTC)
    if days is not None and on is not None:
        raise ValidationFailed(_("give the expiry either in days or as a date, not both"), field="expires_in_days")
    if days is not None:
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValidationFailed(_("the expiry must be between 1 and %(n)s days", n=MAX_TOKEN_DAYS),
                                   field="expires_in_days")
        return now + timedelta(days=days)
    if on is not None:
        end = datetime.combine(on, time.max, tzinfo=UTC)
        if end <= now:
            raise ValidationFailed(_("the expiry date %(date)s is in the past", date=on.isoformat()),
                                   field="expires_on")
        if end > now + timedelta(days=MAX_TOKEN_DAYS + 1):
            raise ValidationFailed(_("the expiry must be between 1 and %(n)s days", n=MAX_TOKEN_DAYS),
                                   field="expires_on")
        return end
    return None


def normalize_scopes(scopes: str) -> str:
    """'write' implies 'read'. Unknown scopes are a validation error naming the field."""
    wanted = set(scopes.replace(",", " ").split())
    unknown = wanted - set(SCOPES)
    if unknown or not wanted:
        raise ValidationFailed(
            _("unknown scope %(scope)s (use read or write)", scope=", ".join(sorted(unknown)) or "''"),
            field="scopes",
        )
    if "write" in wanted:
        wanted.add("read")
    return " ".join(s for s in SCOPES if s in wanted)


def create_token(
    session: Session,
    user: User,
    organisation_id: int,
    name: str,
    scopes: str = "read",
    *,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` in an organisation they belong to; returns (row, plaintext).

    ``expires_at`` (see :func:`expiry_from`): None makes a token that never expires."""
    if not name.strip():
        raise ValidationFailed(_("a token needs a name"), field="name")
    member = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )
    if member is None:
        raise PermissionDenied(_("you are not a member of this organisation"))
    prefix = secrets.token_hex(4)
    plaintext = f"fh_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        user_id=user.id,
        organisation_id=organisation_id,
        name=name.strip()[:100],
        prefix=prefix,
        token_hash=sha256(plaintext),
        scopes=normalize_scopes(scopes),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, plaintext


def resolve_token(session: Session, plaintext: str, *, now: datetime | None = None) -> ApiToken | None:
    """The active token for ``plaintext`` (updating last-used), or None.

    The use of a revoked or expired token is audited (in the token's organisation): it may be
    a leaked secret being tried.
    """
    if not plaintext.startswith("fh_"):
        return None
    now = now or datetime.now(UTC)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == sha256(plaintext)))
    if row is None:
        return None
    if row.revoked_at is not None or row.is_expired(now):
        action = "token_revoked_use" if row.revoked_at is not None else "token_expired_use"
        audit.record(session, action, "api_tokens", row.id, organisation_id=row.organisation_id,
                     after={"user_id": row.user_id, "prefix": row.prefix})
        return None
    if not row.user.is_active:
        return None
    # A token stays valid only while its user is still a member of the organisation.
    member = session.scalar(
        select(Membership.id).where(
            Membership.user_id == row.user_id, Membership.organisation_id == row.organisation_id
        )
    )
    if member is None:
        return None
    if touch_due(row.last_used_at, now):
        row.last_used_at = now
    return row


def touch_due(last: datetime | None, now: datetime, every_seconds: int | None = None) -> bool:
    """Whether a last-used / last-seen time should be written now.

    Why not on every request: each write is a transaction, and on SQLite a write waits for the one
    writer — a read-only API client would queue behind every other client's reads. The time is
    kept to within ``every_seconds`` (``FENGHUO_TOKEN_TOUCH_SECONDS``, default 5 minutes; 0 writes
    on every request), written in the request's own transaction only when due.
    """
    if every_seconds is None:
        every_seconds = token_touch_seconds()
    if last is None or every_seconds <= 0:
        return True
    if last.tzinfo is None:  # SQLite gives back naive UTC
        last = last.replace(tzinfo=UTC)
    return now - last >= timedelta(seconds=every_seconds) or last > now


def revoke_token(session: Session, token_id: int, by_user: User) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != by_user.id and not by_user.is_platform_admin):
        raise NotFound(_("token %(id)s not found", id=token_id))
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
    return row


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))
