"""Reminders (催办) to agencies with overdue tasks: listed always, e-mailed when SMTP is configured.

Why a record per reminder: 督查督办 asks who was chased, when and about what; the reminder rows are
that trail (and audited like every other row).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.i18n import _
from fenghuo.core.mail import mail_configured, send_mail
from fenghuo.core.models import Membership, Role, User
from fenghuo.policy import tracking
from fenghuo.policy.models import PolicyAgencyLink, PolicyReminder
from fenghuo.policy.rag import plan_statuses


@dataclass
class Overdue:
    agency_key: str
    agency: str
    organisation_id: int | None
    tasks: list[tuple[int, str, date]] = field(default_factory=list)  # (task id, title, due date)
    recipients: list[str] = field(default_factory=list)


def overdue_by_agency(session: Session, plan_id: int, today: date | None = None) -> list[Overdue]:
    """Agencies (not generic actors) answering for tasks past their due date and not completed."""
    tracking.owned_plan(session, plan_id, write=False)
    status = plan_statuses(session, plan_id, today)
    by_task = {t.id: t for t in status.tasks}
    out: dict[str, Overdue] = {}
    for acc in status.accountabilities:
        task = by_task.get(acc.task_id)
        if acc.generic or task is None or task.due_date >= status.today:
            continue
        if status.task_rag[task.id].rule == "completed":
            continue
        entry = out.setdefault(acc.agency_key, Overdue(acc.agency_key, acc.agency_name, acc.agency_org_id))
        entry.tasks.append((task.id, task.title, task.due_date))
    links = {link.agency_key: link for link in session.scalars(select(PolicyAgencyLink))}
    for entry in out.values():
        link = links.get(entry.agency_key)
        if link is not None and link.email:
            entry.recipients.append(link.email)
        elif entry.organisation_id is not None:
            entry.recipients += list(session.scalars(
                select(User.email).join(Membership, Membership.user_id == User.id)
                .where(Membership.organisation_id == entry.organisation_id, Membership.role == Role.ADMIN.value)))
    return sorted(out.values(), key=lambda o: o.agency)


def _message(plan_title: str, entry: Overdue) -> tuple[str, str]:
    """Subject and body of the reminder to one agency."""
    subject = _("Reminder: %(n)s overdue task(s) in %(plan)s", n=len(entry.tasks), plan=plan_title)
    lines = [_("%(agency)s answers for these tasks, past their due date without a completion report:",
               agency=entry.agency), ""]
    lines += [f"- {title} ({due.isoformat()})" for _id, title, due in entry.tasks]
    return subject, "\n".join(lines)


def remind(session: Session, plan_id: int, today: date | None = None, *, send: bool = True) -> list[PolicyReminder]:
    """Record (and e-mail, when SMTP is configured and ``send``) one reminder per agency with overdue tasks."""
    plan = tracking.owned_plan(session, plan_id)
    rows = []
    for entry in overdue_by_agency(session, plan_id, today):
        channel, recipient = "listed", None
        if send and mail_configured() and entry.recipients:
            recipient = entry.recipients[0]
            try:
                send_mail(recipient, *_message(plan.title, entry))
                channel = "email"
            except (OSError, smtplib.SMTPException):
                channel = "failed"
        row = PolicyReminder(plan_id=plan.id, agency_key=entry.agency_key, agency_name=entry.agency,
                             task_ids=[t[0] for t in entry.tasks], channel=channel, recipient=recipient)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows
