"""Dispute notifications: the in-app list, per-user e-mail (immediate or daily digest) and signed webhooks.

Why ``core.outbound``: receivers verify every Fenghuo webhook the same way
(``X-Fenghuo-Signature: sha256=HMAC(secret, "{timestamp}.{body}")``) whichever module sent it, and
every webhook URL is checked by the same gate when saved and again when sent (no loopback,
private or metadata address, pinned after DNS resolution, no redirects, capped answer).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from fenghuo.core.db import session_scope
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.labels import retranslate
from fenghuo.core.mail import send_mail
from fenghuo.core.models import User, utcnow
from fenghuo.core.outbound import OutboundRefused, check_url, signed_headers
from fenghuo.core.outbound import request as outbound_request
from fenghuo.disputes.models import Notification, NotificationPreference

log = logging.getLogger(__name__)

EMAIL_MODES = ("off", "immediate", "digest")


def list_notifications(session: Session, user_id: int, *, unread_only: bool = False) -> list[Notification]:
    stmt = select(Notification).where(or_(Notification.user_id.is_(None), Notification.user_id == user_id))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return list(session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(500)))


def mark_read(session: Session, user_id: int, notification_id: int) -> Notification:
    row = session.scalar(select(Notification).where(Notification.id == notification_id))
    if row is None or (row.user_id is not None and row.user_id != user_id):
        raise NotFound(_("No such notification: %(id)s", id=notification_id))
    row.read_at = row.read_at or utcnow()
    return row


def get_preferences(session: Session, user_id: int) -> NotificationPreference | None:
    return session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user_id))


def set_preferences(session: Session, user_id: int, *, email: str | None, email_mode: str,
                    webhook_url: str | None) -> NotificationPreference:
    """Save one user's delivery preferences; a new webhook gets a fresh signing secret."""
    if email_mode not in EMAIL_MODES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(EMAIL_MODES)), field="email_mode")
    email = (email or "").strip() or None
    if email_mode != "off" and (email is None or "@" not in email or " " in email):
        raise ValidationFailed(_("not an e-mail address: %(value)s", value=(email or "")[:80]), field="email")
    webhook_url = (webhook_url or "").strip() or None
    if webhook_url:
        if len(webhook_url) > 500:
            raise ValidationFailed(_("at most %(n)s characters", n=500), field="webhook_url")
        webhook_url = check_url(webhook_url, field="webhook_url")
    row = get_preferences(session, user_id)
    if row is None:
        row = NotificationPreference(user_id=user_id)
        session.add(row)
    if webhook_url and webhook_url != row.webhook_url:
        row.webhook_secret = secrets.token_urlsafe(32)
    row.email, row.email_mode, row.webhook_url = email, email_mode, webhook_url
    session.flush()
    return row


def _email(to: str, subject: str, items: Sequence[Notification], locale: str | None = None) -> None:
    # Texts are stored (and the job writes) in English: the recipient reads them in the language they chose.
    send_mail(to, retranslate(subject, locale), "\n\n".join(
        f"{retranslate(n.title, locale)}\n{n.body}".strip() for n in items))


def _user_locale(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.locale if user is not None and user.locale else None


def _webhook(url: str, secret: str, items: Sequence[Notification], client: httpx.Client | None) -> None:
    body = json.dumps({"event": "disputes.notifications", "notifications": [notification_dict(n) for n in items]},
                      ensure_ascii=False, default=str).encode()
    outbound_request("POST", url, field="webhook_url", client=client, content=body,
                     headers=signed_headers(secret, body))


def deliver(org_id: int, *, digest: bool = False, engine: Engine | None = None,
            client: httpx.Client | None = None, now: datetime | None = None) -> int:
    """Send notifications by e-mail and webhook according to each member's preferences.

    Immediate: what was not e-mailed yet. Digest: everything since the user's last digest (a day
    at most). Returns the number of messages sent.
    """
    now = now or utcnow()
    sent = 0
    with session_scope(org_id=org_id, actor_label="notifications", engine=engine) as s:
        prefs = list(s.scalars(select(NotificationPreference)))
        pending = list(s.scalars(select(Notification).order_by(Notification.id)))
        for pref in prefs:
            mine = [n for n in pending if n.user_id in (None, pref.user_id)]
            if digest:
                since = pref.last_digest_at or now - timedelta(days=1)
                items = [n for n in mine if _aware(n.created_at) > _aware(since)]
                if items and pref.email_mode == "digest" and pref.email:
                    _email(pref.email, _("Fenghuo daily digest: %(n)s dispute notification(s)", n=len(items)),
                           items, _user_locale(s, pref.user_id))
                    sent += 1
                pref.last_digest_at = now
                continue
            fresh = [n for n in mine if n.emailed_at is None]
            if not fresh:
                continue
            if pref.email_mode == "immediate" and pref.email:
                _email(pref.email, fresh[0].title if len(fresh) == 1 else
                       _("Fenghuo: %(n)s dispute notifications", n=len(fresh)), fresh, _user_locale(s, pref.user_id))
                sent += 1
            if pref.webhook_url and pref.webhook_secret:
                try:
                    _webhook(pref.webhook_url, pref.webhook_secret, fresh, client)
                    sent += 1
                except OutboundRefused as exc:  # saved before the gate, or now resolving inside: drop it
                    log.warning("webhook of user %s removed: %s", pref.user_id, exc.message)
                    pref.webhook_url = None
        if not digest:
            for n in pending:
                n.emailed_at = n.emailed_at or now
    return sent


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def notification_dict(row: Notification) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "title": row.title, "body": row.body, "link": row.link,
            "created_at": row.created_at.isoformat() if row.created_at else None,
            "read_at": row.read_at.isoformat() if row.read_at else None}
