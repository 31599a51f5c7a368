"""Tell people about alerts: e-mail (SMTP) and signed webhooks, immediately or as a daily digest.

Webhook bodies are signed with HMAC-SHA256 over ``"{timestamp}.{body}"`` (header
``X-Fenghuo-Signature: sha256=<hex>``, timestamp in ``X-Fenghuo-Timestamp``) so the receiver
can check the sender and refuse replays. An alert is sent once per channel mode: immediate
channels mark it ``notified_at``; digests send what was raised since their last digest.

Webhook URLs go through ``core.outbound`` when a channel is saved and again when a request is
sent (checked and pinned address, no redirects, capped answer), so a channel cannot make the
server post into its own network. ``sign`` and ``verify`` live there too (re-exported here).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, joinedload

from fenghuo.core.db import get_engine, session_scope
from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.formatting import fmt_date
from fenghuo.core.i18n import _
from fenghuo.core.labels import label
from fenghuo.core.mail import send_mail
from fenghuo.core.models import utcnow
from fenghuo.core.outbound import OutboundRefused, check_url, signed_headers
from fenghuo.core.outbound import request as outbound_request
from fenghuo.core.outbound import sign as sign
from fenghuo.core.outbound import verify as verify
from fenghuo.deadlines.opposition import localized_next_remedies
from fenghuo.tm.alerts import alert_dict
from fenghuo.tm.models import Alert, AlertState, NotificationChannel

log = logging.getLogger(__name__)
KINDS = ("email", "webhook")
MODES = ("immediate", "digest")
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


def create_channel(session: Session, org_id: int, kind: str, target: str, *, mode: str = "immediate",
                   min_level: str = "medium") -> NotificationChannel:
    """Add a channel; a webhook gets a fresh signing secret (returned on the row, shown once)."""
    target = target.strip()
    if kind not in KINDS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(KINDS)), field="kind")
    if mode not in MODES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(MODES)), field="mode")
    if min_level not in LEVEL_RANK:
        raise ValidationFailed(_("must be one of %(values)s", values="high, medium, low"), field="min_level")
    if kind == "email" and ("@" not in target or " " in target or len(target) > 320):
        raise ValidationFailed(_("not an e-mail address: %(value)s", value=target[:80]), field="target")
    if kind == "webhook":
        if len(target) > 500:
            raise ValidationFailed(_("at most %(n)s characters", n=500), field="target")
        target = check_url(target, field="target")
    row = NotificationChannel(organisation_id=org_id, kind=kind, target=target, mode=mode, min_level=min_level,
                              secret=secrets.token_urlsafe(32) if kind == "webhook" else None)
    session.add(row)
    session.flush()
    return row


def delete_channel(session: Session, channel_id: int) -> None:
    row = session.scalar(select(NotificationChannel).where(NotificationChannel.id == channel_id))
    if row is None:
        raise NotFound(_("No such notification channel: %(id)s", id=channel_id))
    session.delete(row)
    session.flush()


def _subject(alerts: Sequence[Alert], digest: bool) -> str:
    if digest:
        return _("Fenghuo daily digest: %(n)s trademark alert(s)", n=len(alerts))
    first = alerts[0]
    return _("Fenghuo alert: %(theirs)s may conflict with %(ours)s", theirs=first.register_mark.mark_text or "?",
             ours=first.watched_mark.mark)


def _text(alerts: Sequence[Alert]) -> str:
    lines: list[str] = []
    for alert in alerts:
        reg = alert.register_mark
        lines.append(_("[%(level)s %(score)s] %(theirs)s (%(office)s %(number)s, %(applicant)s) vs your mark "
                       "%(ours)s", level=label("risk_level", alert.level), score=alert.score,
                       theirs=reg.mark_text or "?",
                       office=reg.office, number=reg.application_number, applicant=reg.applicant_name or "?",
                       ours=alert.watched_mark.mark))
        for reason in alert.reasons or []:
            lines.append("  - " + str(reason.get("message", "")))
        if alert.deadline:
            if alert.deadline < date.today():
                lines.append("  " + _("The opposition window closed on %(date)s. What remains: %(next)s",
                                      date=fmt_date(alert.deadline),
                                      next="; ".join(localized_next_remedies(alert.deadline_detail))))
            else:
                lines.append("  " + _("Deadline: %(date)s — %(remedy)s", date=fmt_date(alert.deadline),
                                      remedy=alert.remedy or ""))
        lines.append("")
    return "\n".join(lines)


def _send_email(channel: NotificationChannel, alerts: Sequence[Alert], digest: bool) -> None:
    send_mail(channel.target, _subject(alerts, digest), _text(alerts))


def _send_webhook(channel: NotificationChannel, alerts: Sequence[Alert], digest: bool,
                  client: httpx.Client | None) -> None:
    body = json.dumps({"event": "tm.digest" if digest else "tm.alerts",
                       "alerts": [alert_dict(a) for a in alerts]}, ensure_ascii=False, default=str).encode()
    outbound_request("POST", channel.target, field="target", client=client, content=body,
                     headers=signed_headers(channel.secret or "", body))


def _deliver(channel: NotificationChannel, alerts: Sequence[Alert], digest: bool,
             client: httpx.Client | None) -> bool:
    """Send to one channel; a webhook whose address the outbound gate refuses (saved before the
    gate existed, or a name that now resolves inside) is switched off instead of blocking the others."""
    if channel.kind == "email":
        _send_email(channel, alerts, digest)
        return True
    try:
        _send_webhook(channel, alerts, digest, client)
    except OutboundRefused as exc:
        log.warning("notification channel %s switched off: %s", channel.id, exc.message)
        channel.active = False
        return False
    return True


def _wanted(channel: NotificationChannel, alert: Alert) -> bool:
    return LEVEL_RANK.get(alert.level, 0) >= LEVEL_RANK.get(channel.min_level, 1) and \
        alert.state in (AlertState.NEW, AlertState.REVIEWING)


def notify_new(org_id: int, *, engine: Engine | None = None, client: httpx.Client | None = None) -> int:
    """Send not-yet-notified alerts to the immediate channels; returns the number of alerts sent."""
    engine = engine or get_engine()
    with session_scope(org_id=org_id, actor_label="notifications", engine=engine) as session:
        channels = list(session.scalars(select(NotificationChannel).where(
            NotificationChannel.active.is_(True), NotificationChannel.mode == "immediate")))
        pending = list(session.scalars(select(Alert).where(Alert.notified_at.is_(None)).options(
            joinedload(Alert.register_mark), joinedload(Alert.watched_mark)).order_by(Alert.score.desc())))
        sent: set[int] = set()
        for channel in channels:
            chosen = [a for a in pending if _wanted(channel, a)]
            if chosen and _deliver(channel, chosen, False, client):
                channel.last_sent_at = utcnow()
                sent.update(a.id for a in chosen)
        now = utcnow()
        for alert in pending:
            alert.notified_at = now
        return len(sent)


def send_digests(org_id: int, *, engine: Engine | None = None, client: httpx.Client | None = None,
                 now: datetime | None = None) -> int:
    """Send each digest channel the alerts raised since its last digest (at most one day back)."""
    engine = engine or get_engine()
    now = now or utcnow()
    total = 0
    with session_scope(org_id=org_id, actor_label="notifications", engine=engine) as session:
        channels = list(session.scalars(select(NotificationChannel).where(
            NotificationChannel.active.is_(True), NotificationChannel.mode == "digest")))
        for channel in channels:
            since = channel.last_sent_at or now - timedelta(days=1)
            alerts = [a for a in session.scalars(select(Alert).where(Alert.created_at > since).options(
                joinedload(Alert.register_mark), joinedload(Alert.watched_mark)).order_by(Alert.score.desc()))
                if _wanted(channel, a)]
            if alerts and not _deliver(channel, alerts, True, client):
                continue
            total += len(alerts)
            channel.last_sent_at = now
    return total
