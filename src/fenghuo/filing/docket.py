"""The enterprise's docket: save a plan, recompute it, list and complete its deadlines.

Why recomputation updates rows in place: each deadline is keyed by (plan, kind) — target, route
and deadline kind — so a recomputed plan finds its earlier rows, moves their due dates and bumps
their SEQUENCE; deadlines whose route closed are cancelled (not deleted) so calendar clients
remove them. Sessions come from ``session_scope``: the tenancy filter keeps dockets apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import utcnow
from fenghuo.filing.application import Application, make_application
from fenghuo.filing.models import DocketEntry, FilingPlanRecord
from fenghuo.filing.planner import FilingPlan, plan


@dataclass(frozen=True)
class RecomputeSummary:
    created: int
    moved: int
    cancelled: int
    unchanged: int

    def to_dict(self) -> dict[str, int]:
        return {"created": self.created, "moved": self.moved, "cancelled": self.cancelled,
                "unchanged": self.unchanged}


def entry_uid(org_id: int, plan_id: int, kind: str) -> str:
    """Stable for (organisation, plan, deadline kind): the iCalendar UID never changes for a deadline."""
    digest = hashlib.sha256(f"{org_id}/{plan_id}/{kind}".encode()).hexdigest()[:24]
    return f"{digest}@fenghuo"


def application_of(record: FilingPlanRecord) -> Application:
    a = record.application
    return make_application(a["type"], a["filed"], priority=a.get("priority"), pct_number=a.get("pct_number"),
                            pct_filed=a.get("pct_filed"), madrid_number=a.get("madrid_number"),
                            madrid_date=a.get("madrid_date"), title=a.get("title") or "")


def _check_email(value: str | None) -> str | None:
    value = (value or "").strip() or None
    if value is not None and ("@" not in value or " " in value or len(value) > 320):
        raise ValidationFailed(_("not an e-mail address: %(value)s", value=value[:80]), field="reminder_email",
                               record="plan")
    return value


def save_plan(session: Session, org_id: int, application: Application, targets: list[str], as_of: date,
              *, title: str = "", reminder_email: str | None = None) -> FilingPlanRecord:
    """Compute and store a plan with one docket entry per deadline of every non-closed route."""
    result = plan(application, targets, as_of)
    record = FilingPlanRecord(organisation_id=org_id, title=(title or application.title or "").strip()[:300],
                              app_type=application.app_type.value, application=application.to_dict(),
                              targets=list(targets), as_of=as_of, result=result.to_dict(),
                              reminder_email=_check_email(reminder_email))
    session.add(record)
    session.flush()
    _sync(session, record, result)
    return record


def _sync(session: Session, record: FilingPlanRecord, result: FilingPlan) -> RecomputeSummary:
    existing = {e.kind: e for e in session.scalars(select(DocketEntry).where(DocketEntry.plan_id == record.id))}
    seen: set[str] = set()
    created = moved = unchanged = cancelled = 0
    for target, route, deadline in result.deadlines():
        kind = f"{target}/{route.route}/{deadline.kind}"
        if kind in seen:
            continue
        seen.add(kind)
        label = f"{target} — {route.label}: {deadline.label}"[:500]
        row = existing.get(kind)
        if row is None:
            session.add(DocketEntry(organisation_id=record.organisation_id, plan_id=record.id, kind=kind,
                                    uid=entry_uid(record.organisation_id, record.id, kind), target=target,
                                    route=route.route, label=label, rule_id=deadline.rule_id, office=deadline.office,
                                    trigger=deadline.trigger, due=deadline.due, provisional=deadline.provisional,
                                    note=deadline.note))
            created += 1
            continue
        changed = (row.due != deadline.due or row.status != "active" or row.provisional != deadline.provisional
                   or row.label != label)
        if changed:
            row.sequence += 1
            row.due, row.trigger, row.provisional = deadline.due, deadline.trigger, deadline.provisional
            row.label, row.note, row.status, row.updated_at = label, deadline.note, "active", utcnow()
            moved += 1
        else:
            unchanged += 1
    for kind, row in existing.items():
        if kind not in seen and row.status != "cancelled":
            row.status, row.sequence, row.updated_at = "cancelled", row.sequence + 1, utcnow()
            cancelled += 1
    session.flush()
    return RecomputeSummary(created, moved, cancelled, unchanged)


def recompute(session: Session, record: FilingPlanRecord, *, application: Application | None = None,
              as_of: date | None = None) -> RecomputeSummary:
    """Recompute on today's calendars (or with a corrected application / planning date) and update entries."""
    app = application or application_of(record)
    day = as_of or record.as_of
    result = plan(app, list(record.targets), day)
    record.application, record.app_type, record.as_of = app.to_dict(), app.app_type.value, day
    record.result, record.recomputed_at = result.to_dict(), utcnow()
    return _sync(session, record, result)


def get_plan(session: Session, plan_id: int) -> FilingPlanRecord:
    row = session.get(FilingPlanRecord, plan_id)
    org = session.info.get("org_id")
    if row is None or (org is not None and row.organisation_id != org and not session.info.get("platform_admin")):
        raise NotFound(_("No such filing plan: %(id)s", id=plan_id))
    return row


def list_plans(session: Session) -> list[FilingPlanRecord]:
    return list(session.scalars(select(FilingPlanRecord).order_by(FilingPlanRecord.id)))


def delete_plan(session: Session, plan_id: int) -> None:
    session.delete(get_plan(session, plan_id))
    session.flush()


def list_entries(session: Session, *, include_cancelled: bool = False, plan_id: int | None = None,
                 start: date | None = None, end: date | None = None) -> list[DocketEntry]:
    query = select(DocketEntry).order_by(DocketEntry.due, DocketEntry.id)
    if not include_cancelled:
        query = query.where(DocketEntry.status == "active")
    if plan_id is not None:
        query = query.where(DocketEntry.plan_id == plan_id)
    if start is not None:
        query = query.where(DocketEntry.due >= start)
    if end is not None:
        query = query.where(DocketEntry.due <= end)
    return list(session.scalars(query))


def get_entry(session: Session, entry_id: int) -> DocketEntry:
    row = session.scalar(select(DocketEntry).where(DocketEntry.id == entry_id))
    if row is None:
        raise NotFound(_("No such docket entry: %(id)s", id=entry_id))
    return row


def set_done(session: Session, entry_id: int, done: bool) -> DocketEntry:
    row = get_entry(session, entry_id)
    if row.done != done:
        row.done, row.sequence, row.updated_at = done, row.sequence + 1, utcnow()
    session.flush()
    return row


def entry_dict(row: DocketEntry) -> dict[str, object]:
    return {"id": row.id, "plan_id": row.plan_id, "kind": row.kind, "uid": row.uid, "target": row.target,
            "route": row.route, "label": row.label, "rule_id": row.rule_id, "office": row.office,
            "trigger": row.trigger.isoformat(), "due": row.due.isoformat(), "provisional": row.provisional,
            "note": row.note, "sequence": row.sequence, "status": row.status, "done": row.done}


def plan_dict(row: FilingPlanRecord, *, with_result: bool = False) -> dict[str, object]:
    out: dict[str, object] = {"id": row.id, "title": row.title, "type": row.app_type, "application": row.application,
                              "targets": row.targets, "as_of": row.as_of.isoformat(),
                              "reminder_email": row.reminder_email, "recomputed_at": row.recomputed_at.isoformat()}
    if with_result:
        out["result"] = row.result
    return out
