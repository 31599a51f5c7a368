"""Background jobs (Huey): the nightly watch of every portfolio, daily alert digests, docket
reminders, dispute notifications and plan-implementation reminders (催办).

Why Huey: one small dependency, a SQLite queue in ``$FENGHUO_HOME`` by default (nothing to
install, like the rest of the embedded default), and periodic tasks without a separate cron.
``fenghuo worker`` runs the consumer; ``FENGHUO_HUEY_IMMEDIATE=1`` runs tasks inline (tests).
"""

from __future__ import annotations

import logging
import os

from huey import SqliteHuey, crontab
from sqlalchemy import select

from fenghuo.core.db import session_scope
from fenghuo.core.settings import get_settings

log = logging.getLogger(__name__)


def _make_huey() -> SqliteHuey:
    home = get_settings().home
    home.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("fenghuo", filename=str(home / "huey.db"),
                      immediate=os.environ.get("FENGHUO_HUEY_IMMEDIATE") == "1")


huey = _make_huey()


def organisations_watching() -> list[int]:
    """Organisations with at least one active watched mark."""
    from fenghuo.tm.models import WatchedMark

    with session_scope(org_id=None, platform_admin=True) as session:
        return sorted(session.scalars(select(WatchedMark.organisation_id).distinct()
                                      .where(WatchedMark.active.is_(True))))


@huey.task()
def watch_organisation(org_id: int) -> int:
    """Run one organisation's watch and send its immediate notifications; returns new alerts."""
    from fenghuo.tm.notify import notify_new
    from fenghuo.tm.runs import run_for_org

    run = run_for_org(org_id)
    try:
        notify_new(org_id)
    except Exception:  # a mail server down must not fail the run; the alerts stay pending
        log.exception("notifications for organisation %s failed", org_id)
    return run.alerts_new


@huey.periodic_task(crontab(hour="2", minute="0"))
def nightly_watch() -> None:
    for org_id in organisations_watching():
        watch_organisation(org_id)


@huey.periodic_task(crontab(hour="7", minute="0"))
def daily_digests() -> None:
    from fenghuo.tm.notify import send_digests

    for org_id in organisations_watching():
        try:
            send_digests(org_id)
        except Exception:
            log.exception("digest for organisation %s failed", org_id)


REMINDER_DAYS = 30


def organisations_with(model: type) -> list[int]:
    """Organisations owning at least one row of ``model`` (a tenant-scoped table)."""
    with session_scope(org_id=None, platform_admin=True) as session:
        return sorted(session.scalars(select(model.organisation_id).distinct()))  # type: ignore[attr-defined]


@huey.periodic_task(crontab(hour="6", minute="30"))
def docket_reminders() -> None:
    """E-mail each plan's reminder address about deadlines due within 30 days (once per due date)."""
    from datetime import date

    from fenghuo.filing.models import DocketEntry
    from fenghuo.filing.remind import remind

    for org_id in organisations_with(DocketEntry):
        try:
            with session_scope(org_id=org_id, actor_label="reminders") as session:
                remind(session, date.today(), REMINDER_DAYS)
        except Exception:
            log.exception("docket reminders for organisation %s failed", org_id)


@huey.periodic_task(crontab(minute="*/15"))
def dispute_notifications() -> None:
    """Deliver new dispute notifications by e-mail and webhook (immediate preferences)."""
    from fenghuo.disputes.models import Notification
    from fenghuo.disputes.notify import deliver

    for org_id in organisations_with(Notification):
        try:
            deliver(org_id)
        except Exception:
            log.exception("dispute notifications for organisation %s failed", org_id)


@huey.periodic_task(crontab(hour="7", minute="15"))
def dispute_digests() -> None:
    from fenghuo.disputes.models import Notification
    from fenghuo.disputes.notify import deliver

    for org_id in organisations_with(Notification):
        try:
            deliver(org_id, digest=True)
        except Exception:
            log.exception("dispute digest for organisation %s failed", org_id)


@huey.periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def plan_reminders() -> None:
    """Weekly 催办: remind agencies of overdue plan tasks (each plan owner's plans)."""
    from fenghuo.policy.models import PolicyPlan
    from fenghuo.policy.reminders import remind

    with session_scope(org_id=None, platform_admin=True) as session:
        plans = list(session.execute(select(PolicyPlan.id, PolicyPlan.organisation_id)).all())
    for plan_id, org_id in plans:
        try:
            with session_scope(org_id=org_id, actor_label="reminders") as session:
                remind(session, plan_id)
        except Exception:
            log.exception("plan reminders for plan %s failed", plan_id)
