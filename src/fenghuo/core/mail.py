"""Outgoing e-mail, one place for every module (alerts, digests, docket reminders, 催办).

Why one helper: the SMTP settings (``FENGHUO_SMTP_HOST``, ``FENGHUO_SMTP_PORT``,
``FENGHUO_SMTP_SENDER``) and the "not configured" error must be the same wherever mail goes out.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from fenghuo.core.i18n import _
from fenghuo.core.settings import get_settings


class MailNotConfigured(RuntimeError):
    """No SMTP server is configured: nothing can be sent."""


def mail_configured() -> bool:
    return bool(get_settings().smtp_host)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raises :class:`MailNotConfigured` or the SMTP error."""
    settings = get_settings()
    if not settings.smtp_host:
        raise MailNotConfigured(_("no SMTP server configured (FENGHUO_SMTP_HOST)"))
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        smtp.send_message(message)
