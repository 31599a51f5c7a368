"""E-mail reminders N days before each docket deadline, sent once per due date.

Why ``reminded_for`` stores the due date rather than a flag: when a recomputation moves a deadline
the reminder is owed again for the new date, while rerunning the daily job must not resend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.mail import send_mail
from fenghuo.filing.models import DocketEntry, FilingPlanRecord

MAX_DAYS = 366


def due_for_reminder(session: Session, today: date, days: int) -> list[DocketEntry]:
    if not 0 <= days <= MAX_DAYS:
        raise ValidationFailed(_("days must be between 0 and %(n)s", n=MAX_DAYS), field="days", record="remind")
    query = (select(DocketEntry).where(DocketEntry.status == "active", DocketEntry.done.is_(False),
                                       DocketEntry.due >= today, DocketEntry.due <= today + timedelta(days=days))
             .order_by(DocketEntry.due))
    return [e for e in session.scalars(query) if e.reminded_for != e.due]


def _body(entries: Sequence[DocketEntry], today: date) -> str:
    lines = [_("Filing deadlines coming up (as of %(today)s):", today=today.isoformat()), ""]
    for e in entries:
        lines.append(f"{e.due.isoformat()}  ({(e.due - today).days} d)  {e.label}")
        lines.append("  " + _("rule %(rule)s, office %(office)s%(prov)s", rule=e.rule_id, office=e.office or "-",
                              prov=_(", provisional") if e.provisional else ""))
    lines += ["", _("Official deadlines only; check each office's practice before relying on them.")]
    return "\n".join(lines)


def send(recipient: str, entries: Sequence[DocketEntry], today: date) -> None:
    send_mail(recipient, _("Fenghuo: %(n)s filing deadline(s) within reach", n=len(entries)), _body(entries, today))


def remind(session: Session, today: date, days: int, *, to: str | None = None) -> dict[str, int]:
    """Send one e-mail per recipient (the plan's reminder address, or ``to``); returns entries per recipient."""
    if to is not None and ("@" not in to or " " in to):
        raise ValidationFailed(_("not an e-mail address: %(value)s", value=to[:80]), field="to", record="remind")
    by_recipient: dict[str, list[DocketEntry]] = {}
    for entry in due_for_reminder(session, today, days):
        plan = session.get(FilingPlanRecord, entry.plan_id)
        recipient = to or (plan.reminder_email if plan else None)
        if recipient:
            by_recipient.setdefault(recipient, []).append(entry)
    sent: dict[str, int] = {}
    for recipient, entries in by_recipient.items():
        send(recipient, entries, today)
        for entry in entries:
            entry.reminded_for = entry.due
        session.flush()
        sent[recipient] = len(entries)
    return sent
