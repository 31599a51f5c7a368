"""Plan implementation tracking (督查督办): import a parsed plan as tasks with one accountability row
per responsible agency, link agencies to their organisations, annual promotion plans, progress
reports with evidence, and indicators with yearly actuals.

Why every write checks the caller's position explicitly: the tenancy filter decides what a caller
*sees* (the plan owner its plan; an agency the tasks granted to it); what a caller may *do* depends
on its role in the plan — the owner (the joint-conference office that imported it) plans and
indicates, an agency reports only on the tasks it answers for.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import grants
from fenghuo.core.errors import NotFound, PermissionDenied, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.models import Membership, Organisation, OrgKind, Role, TenantScoped
from fenghuo.core.tenancy import platform_scope
from fenghuo.policy.agencies import AgencyRegistry, RegistryError, load_registry
from fenghuo.policy.model import Plan
from fenghuo.policy.models import (
    PolicyAccountability,
    PolicyAgencyLink,
    PolicyAnnualItem,
    PolicyAnnualPlan,
    PolicyEvaluation,
    PolicyEvidence,
    PolicyIndicator,
    PolicyIndicatorActual,
    PolicyPlan,
    PolicyProgressReport,
    PolicyReminder,
    PolicyTask,
)
from fenghuo.policy.parse import PlanParseError, parse_text

REPORT_STATUSES = ("not_started", "in_progress", "completed", "delayed")
DIRECTIONS = ("higher", "lower")
#: Indicator type: 预期性 (expected, guiding) or 约束性 (binding); the Chinese labels are accepted too.
INDICATOR_KINDS = {"expected": "expected", "预期性": "expected", "binding": "binding", "约束性": "binding"}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            "application/octet-stream"})
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]))?$")
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
_FIVE_YEAR_START = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}


# --- periods ---------------------------------------------------------------------------------------------


def period_bounds(period: str, *, record: str | None = None) -> tuple[date, date]:
    """First and last day of ``2023``, ``2023-H1`` or ``2023-Q2``."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValidationFailed(_("period must look like 2023, 2023-H1 or 2023-Q2 (got %(value)s)", value=period),
                               field="period", record=record)
    year = int(match.group(1))
    part = match.group(2)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    if part.startswith("H"):
        return (date(year, 1, 1), date(year, 6, 30)) if part == "H1" else (date(year, 7, 1), date(year, 12, 31))
    quarter = int(part[1])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)
    return start, end


def current_period(today: date) -> str:
    """Progress is due every half-year: the reporting period containing ``today``."""
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def plan_years(plan: Plan) -> tuple[int, int] | None:
    """The years a five-year plan covers, read from its title (“十四五” → 2021–2025), if it says."""
    match = _FIVE_YEAR.search((plan.title or "") + (plan.headline or ""))
    if not match:
        return None
    start = _FIVE_YEAR_START[match.group(1)]
    return start, start + 4


# --- plans and tasks -------------------------------------------------------------------------------------


def _registry() -> AgencyRegistry | None:
    try:
        return load_registry()
    except RegistryError:
        return None


def _org(session: Session) -> int:
    org_id = session.info.get("org_id")
    if org_id is None:
        raise PermissionDenied(_("no organisation bound to this session"))
    return int(org_id)


def import_text(session: Session, text: str, *, start_year: int | None = None, end_year: int | None = None,
                source_name: str = "") -> PolicyPlan:
    """Parse a plan text and import it (see :func:`import_plan`)."""
    if not text.strip():
        raise ValidationFailed(_("the plan text is empty"), field="text", record=source_name or "plan")
    try:
        plan = parse_text(text, registry=_registry())
    except PlanParseError as exc:
        raise ValidationFailed(exc.message, field=exc.field or "text", record=exc.record or source_name or "plan") \
            from exc
    return import_plan(session, plan, start_year=start_year, end_year=end_year, source_name=source_name)


def import_plan(session: Session, plan: Plan, *, start_year: int | None = None, end_year: int | None = None,
                source_name: str = "") -> PolicyPlan:
    """Store ``plan`` as the session organisation's plan: one task per measure, one accountability
    row per named lead or co-responsible body. Only an administration may own a plan."""
    org_id = _org(session)
    org = session.get(Organisation, org_id)
    if org is None or org.kind != OrgKind.ADMINISTRATION.value:
        raise PermissionDenied(_("only an organisation of kind administration can import a plan"))
    record = source_name or plan.title or "plan"
    if not plan.measures():
        raise ValidationFailed(_("the plan has no measures to track"), field="text", record=record)
    years = plan_years(plan)
    start = start_year or (years[0] if years else None)
    end = end_year or (years[1] if years else None)
    if start is None or end is None:
        raise ValidationFailed(_("give the plan's start and end years (the title names no five-year plan)"),
                               field="start_year" if start is None else "end_year", record=record)
    if not (1990 <= start <= end <= 2100):
        raise ValidationFailed(_("the plan period %(start)s–%(end)s is not valid", start=start, end=end),
                               field="end_year", record=record)
    row = PolicyPlan(title=plan.title or plan.headline or record, document_number=plan.document_number,
                     start_year=start, end_year=end, source_name=source_name, structure=plan.to_dict())
    session.add(row)
    session.flush()
    links = {link.agency_key: link for link in session.scalars(select(PolicyAgencyLink))
             if link.organisation_id == org_id}
    seq = 0
    for part in plan.parts:
        placed = [(None, m) for m in part.measures] + [(s, m) for s in part.sections for m in s.measures]
        for section, measure in placed:
            seq += 1
            task = PolicyTask(plan_id=row.id, seq=seq, part_number=part.number or "", part_title=part.title,
                              section_number=section.number if section else "",
                              section_title=section.title if section else "", number=measure.number,
                              title=measure.title[:500], text=measure.text, open_ended=measure.open_ended,
                              start_date=date(start, 1, 1), due_date=date(end, 12, 31))
            session.add(task)
            session.flush()
            for ref in measure.agencies:
                key = ref.id or ref.name
                acc = PolicyAccountability(plan_id=row.id, task_id=task.id, agency_key=key,
                                           agency_name=ref.current_name or ref.name, registry_id=ref.id,
                                           role=ref.role, generic=ref.kind == "generic")
                session.add(acc)
                session.flush()
                if key in links:
                    _assign(session, row, task, acc, links[key].agency_org_id)
    return row


def _share(session: Session, obj: TenantScoped, org_id: int | None) -> None:
    if org_id is not None and org_id != obj.organisation_id:
        grants.grant(session, obj, org_id)


def _assign(session: Session, plan: PolicyPlan, task: PolicyTask, acc: PolicyAccountability, org_id: int) -> None:
    """Make ``org_id`` the organisation answering for ``acc``: it sees the plan, the task and its row."""
    acc.agency_org_id = org_id
    for obj in (plan, task, acc):
        _share(session, obj, org_id)


def get_plan(session: Session, plan_id: int) -> PolicyPlan:
    row = session.scalar(select(PolicyPlan).where(PolicyPlan.id == plan_id))
    if row is None:
        raise NotFound(_("plan %(id)s not found", id=plan_id))
    return row


def require_plan_owner_role(session: Session) -> None:
    """Owner actions need a member or an administrator of the owning organisation: a viewer of the
    plan owner reads the plan but changes nothing. Sessions without a user (the CLI, jobs) pass."""
    user_id = session.info.get("user_id")
    org_id = session.info.get("org_id")
    if user_id is None or session.info.get("platform_admin"):
        return
    with platform_scope(session):
        role = session.scalar(select(Membership.role).where(Membership.user_id == user_id,
                                                            Membership.organisation_id == org_id))
    if role is None or not Role(role).at_least(Role.MEMBER):
        raise PermissionDenied(_("only administrators and members of the plan owner can do this"))


def owned_plan(session: Session, plan_id: int, *, write: bool = True) -> PolicyPlan:
    """The plan, if the session organisation owns it (403 for agencies and evaluators who see it);
    with ``write`` (the default: owner *actions*) the caller must also be a member or admin there."""
    row = get_plan(session, plan_id)
    if row.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the plan owner can do this"))
    if write:
        require_plan_owner_role(session)
    return row


def is_owner(session: Session, plan: PolicyPlan) -> bool:
    return plan.organisation_id == session.info.get("org_id")


def close_task(session: Session, task_id: int, on: date | None = None) -> PolicyTask:
    """办结: the plan owner closes a task (green from then on); audited like every change."""
    task = get_task(session, task_id)
    owned_plan(session, task.plan_id)
    if task.completed_on is not None:
        raise ValidationFailed(_("task %(id)s was already closed on %(date)s", id=task_id,
                                 date=task.completed_on.isoformat()), field="task_id", record=f"task {task_id}")
    task.completed_on = on or date.today()
    session.flush()
    return task


def reopen_task(session: Session, task_id: int) -> PolicyTask:
    """Undo 办结 (the owner closed a task by mistake)."""
    task = get_task(session, task_id)
    owned_plan(session, task.plan_id)
    task.completed_on = None
    session.flush()
    return task


def list_plans(session: Session) -> list[PolicyPlan]:
    return list(session.scalars(select(PolicyPlan).order_by(PolicyPlan.id)))


def tasks(session: Session, plan_id: int) -> list[PolicyTask]:
    return list(session.scalars(select(PolicyTask).where(PolicyTask.plan_id == plan_id).order_by(PolicyTask.seq)))


def get_task(session: Session, task_id: int) -> PolicyTask:
    row = session.scalar(select(PolicyTask).where(PolicyTask.id == task_id))
    if row is None:
        raise NotFound(_("task %(id)s not found", id=task_id))
    return row


def accountabilities(session: Session, plan_id: int) -> list[PolicyAccountability]:
    return list(session.scalars(select(PolicyAccountability).where(PolicyAccountability.plan_id == plan_id)
                                .order_by(PolicyAccountability.task_id, PolicyAccountability.id)))


# --- agencies as organisations ---------------------------------------------------------------------------


def link_agency(session: Session, agency: str, agency_org_id: int, *, email: str | None = None) -> PolicyAgencyLink:
    """Say which administration organisation acts for ``agency`` (a registry id or a name as written)
    and share with it every task of the owner's plans it answers for."""
    org_id = _org(session)
    agency = agency.strip()
    if not agency:
        raise ValidationFailed(_("name the agency"), field="agency", record="agency link")
    org = session.get(Organisation, agency_org_id)
    if org is None:
        raise ValidationFailed(_("organisation %(id)s not found", id=agency_org_id), field="organisation_id",
                               record=agency)
    if org.kind != OrgKind.ADMINISTRATION.value:
        raise ValidationFailed(_("organisation %(id)s is not of kind administration", id=agency_org_id),
                               field="organisation_id", record=agency)
    if email is not None and ("@" not in email or " " in email.strip()):
        raise ValidationFailed(_("not an e-mail address: %(value)s", value=email[:80]), field="email", record=agency)
    key, name = agency, agency
    registry = _registry()
    if registry is not None:
        record = registry.get(agency)
        if record is None:
            resolution = registry.resolve(agency)
            record = resolution.record if resolution.status == "agency" else None
        if record is not None:
            key, name = record.id, record.full_name
    own = [acc for acc in session.scalars(select(PolicyAccountability).where(PolicyAccountability.agency_key == key))
           if acc.organisation_id == org_id]
    link = session.scalar(select(PolicyAgencyLink).where(PolicyAgencyLink.agency_key == key,
                                                         PolicyAgencyLink.organisation_id == org_id))
    if link is None:
        if own:
            name = own[0].agency_name
        link = PolicyAgencyLink(agency_key=key, agency_name=name, agency_org_id=agency_org_id, email=email)
        session.add(link)
    else:
        link.agency_org_id = agency_org_id
        link.email = email or link.email
    session.flush()
    for acc in own:
        plan = session.get(PolicyPlan, acc.plan_id)
        task = session.get(PolicyTask, acc.task_id)
        assert plan is not None and task is not None
        _assign(session, plan, task, acc, agency_org_id)
    return link


def agency_links(session: Session) -> list[PolicyAgencyLink]:
    return list(session.scalars(select(PolicyAgencyLink).order_by(PolicyAgencyLink.id)))


# --- annual promotion plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualItemIn:
    task_id: int
    text: str
    due_date: date | None = None
    agencies: tuple[str, ...] = ()


def create_annual_plan(session: Session, plan_id: int, year: int, title: str,
                       items: Sequence[AnnualItemIn]) -> PolicyAnnualPlan:
    """A 年度推进计划 whose items each advance one measure; shared with the agencies of those measures."""
    plan = owned_plan(session, plan_id)
    record = f"annual plan {year}"
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationFailed(_("year %(year)s is outside the plan period %(start)s–%(end)s", year=year,
                                 start=plan.start_year, end=plan.end_year), field="year", record=record)
    if session.scalar(select(PolicyAnnualPlan).where(PolicyAnnualPlan.plan_id == plan_id,
                                                     PolicyAnnualPlan.year == year)) is not None:
        raise ValidationFailed(_("the plan already has an annual plan for %(year)s", year=year), field="year",
                               record=record)
    if not items:
        raise ValidationFailed(_("an annual plan needs at least one item"), field="items", record=record)
    by_id = {t.id: t for t in tasks(session, plan_id)}
    accs = accountabilities(session, plan_id)
    annual = PolicyAnnualPlan(plan_id=plan_id, year=year, title=title.strip() or record)
    session.add(annual)
    session.flush()
    for index, item in enumerate(items):
        item_record = f"{record} item {index + 1}"
        task = by_id.get(item.task_id)
        if task is None:
            raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=item.task_id),
                                   field="task_id", record=item_record)
        if not item.text.strip():
            raise ValidationFailed(_("describe the item"), field="text", record=item_record)
        due = item.due_date or date(year, 12, 31)
        if due.year != year:
            raise ValidationFailed(_("the due date %(date)s is not in %(year)s", date=due.isoformat(), year=year),
                                   field="due_date", record=item_record)
        names = list(item.agencies) or [a.agency_name for a in accs if a.task_id == task.id and not a.generic]
        row = PolicyAnnualItem(annual_plan_id=annual.id, task_id=task.id, text=item.text.strip(), agencies=names,
                               due_date=due)
        session.add(row)
        session.flush()
        for org_id in {a.agency_org_id for a in accs if a.task_id == task.id and a.agency_org_id}:
            _share(session, annual, org_id)
            _share(session, row, org_id)
    return annual


def get_annual_plan(session: Session, annual_plan_id: int) -> tuple[PolicyAnnualPlan, list[PolicyAnnualItem]]:
    row = session.scalar(select(PolicyAnnualPlan).where(PolicyAnnualPlan.id == annual_plan_id))
    if row is None:
        raise NotFound(_("annual plan %(id)s not found", id=annual_plan_id))
    items = list(session.scalars(select(PolicyAnnualItem).where(PolicyAnnualItem.annual_plan_id == row.id)
                                 .order_by(PolicyAnnualItem.id)))
    return row, items


def _check_item(session: Session, annual: PolicyAnnualPlan, task_id: int, text: str, due: date | None,
                record: str) -> tuple[PolicyTask, date]:
    task = session.scalar(select(PolicyTask).where(PolicyTask.id == task_id, PolicyTask.plan_id == annual.plan_id))
    if task is None:
        raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=task_id), field="task_id",
                               record=record)
    if not text.strip():
        raise ValidationFailed(_("describe the item"), field="text", record=record)
    due = due or date(annual.year, 12, 31)
    if due.year != annual.year:
        raise ValidationFailed(_("the due date %(date)s is not in %(year)s", date=due.isoformat(), year=annual.year),
                               field="due_date", record=record)
    return task, due


def _share_item(session: Session, annual: PolicyAnnualPlan, item: PolicyAnnualItem) -> None:
    accs = session.scalars(select(PolicyAccountability).where(PolicyAccountability.task_id == item.task_id))
    for org_id in {a.agency_org_id for a in accs if a.agency_org_id}:
        _share(session, annual, org_id)
        _share(session, item, org_id)


def add_annual_item(session: Session, annual_plan_id: int, item: AnnualItemIn) -> PolicyAnnualItem:
    """Add an item to an existing annual plan (plan owner)."""
    annual, _items = get_annual_plan(session, annual_plan_id)
    owned_plan(session, annual.plan_id)
    record = f"annual plan {annual.year} new item"
    task, due = _check_item(session, annual, item.task_id, item.text, item.due_date, record)
    names = list(item.agencies) or [a.agency_name for a in session.scalars(
        select(PolicyAccountability).where(PolicyAccountability.task_id == task.id)) if not a.generic]
    row = PolicyAnnualItem(annual_plan_id=annual.id, task_id=task.id, text=item.text.strip(), agencies=names,
                           due_date=due)
    session.add(row)
    session.flush()
    _share_item(session, annual, row)
    return row


def get_annual_item(session: Session, item_id: int) -> tuple[PolicyAnnualPlan, PolicyAnnualItem]:
    item = session.scalar(select(PolicyAnnualItem).where(PolicyAnnualItem.id == item_id))
    if item is None:
        raise NotFound(_("annual plan item %(id)s not found", id=item_id))
    annual, _items = get_annual_plan(session, item.annual_plan_id)
    return annual, item


def update_annual_item(session: Session, item_id: int, *, task_id: int | None = None, text: str | None = None,
                       due_date: date | None = None, agencies: Sequence[str] | None = None) -> PolicyAnnualItem:
    """Change an annual plan item (plan owner); fields left None keep their value."""
    annual, item = get_annual_item(session, item_id)
    owned_plan(session, annual.plan_id)
    record = f"annual plan {annual.year} item {item.id}"
    new_task = item.task_id if task_id is None else task_id
    _task, due = _check_item(session, annual, new_task, item.text if text is None else text,
                             due_date or item.due_date, record)
    moved = new_task != item.task_id
    item.task_id = new_task
    if text is not None:
        item.text = text.strip()
    item.due_date = due
    if agencies is not None:
        item.agencies = [a.strip() for a in agencies if a.strip()]
    session.flush()
    if moved:
        _share_item(session, annual, item)
    return item


def delete_annual_item(session: Session, item_id: int) -> None:
    """Remove an item from its annual plan (plan owner)."""
    annual, item = get_annual_item(session, item_id)
    owned_plan(session, annual.plan_id)
    session.delete(item)
    session.flush()


def annual_plans(session: Session, plan_id: int) -> list[PolicyAnnualPlan]:
    return list(session.scalars(select(PolicyAnnualPlan).where(PolicyAnnualPlan.plan_id == plan_id)
                                .order_by(PolicyAnnualPlan.year)))


# --- progress reports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressIn:
    period: str
    status: str
    text: str = ""
    percent_complete: int | None = None
    #: Only the plan owner gives this: it files for an agency that has no organisation yet.
    agency: str | None = None


def evaluator_orgs(session: Session, plan_id: int) -> set[int]:
    """Organisations evaluating the plan (they read everything filed into it)."""
    stmt = select(PolicyEvaluation.evaluator_org_id).where(PolicyEvaluation.plan_id == plan_id)
    with platform_scope(session):
        rows = list(session.execute(stmt).scalars())
    return {r for r in rows if r is not None}


def file_progress(session: Session, task_id: int, body: ProgressIn) -> PolicyProgressReport:
    """An agency reports on a task it answers for; the report is shared with the plan owner and
    the plan's evaluators. The owner may file for an agency that has no organisation yet."""
    org_id = _org(session)
    task = get_task(session, task_id)
    record = f"task {task_id} {body.period}"
    start, _end = period_bounds(body.period, record=record)
    plan = session.get(PolicyPlan, task.plan_id)
    assert plan is not None
    if not plan.start_year <= start.year <= plan.end_year:
        raise ValidationFailed(_("period %(period)s is outside the plan period %(start)s–%(end)s",
                                 period=body.period, start=plan.start_year, end=plan.end_year),
                               field="period", record=record)
    if body.status not in REPORT_STATUSES:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(REPORT_STATUSES)), field="status",
                               record=record)
    percent = body.percent_complete
    if percent is None:
        percent = 100 if body.status == "completed" else 0
    if not 0 <= percent <= 100:
        raise ValidationFailed(_("percent_complete must be between 0 and 100"), field="percent_complete",
                               record=record)
    accs = [a for a in session.scalars(select(PolicyAccountability).where(PolicyAccountability.task_id == task.id))]
    if plan.organisation_id == org_id:
        if not body.agency:
            raise ValidationFailed(_("name the agency the plan owner reports for"), field="agency", record=record)
        mine = [a for a in accs if body.agency in (a.agency_key, a.agency_name)]
        if not mine:
            raise ValidationFailed(_("%(agency)s is not responsible for this task", agency=body.agency),
                                   field="agency", record=record)
    else:
        mine = [a for a in accs if a.agency_org_id == org_id]
        if body.agency:
            mine = [a for a in mine if body.agency in (a.agency_key, a.agency_name)]
        if not mine:
            raise PermissionDenied(_("your organisation is not responsible for this task"))
    acc = sorted(mine, key=lambda a: a.role != "lead")[0]
    row = PolicyProgressReport(plan_id=plan.id, task_id=task.id, agency_key=acc.agency_key,
                               agency_name=acc.agency_name, period=body.period.strip(), status=body.status,
                               percent_complete=percent, text=body.text.strip())
    session.add(row)
    session.flush()
    _share(session, row, plan.organisation_id)
    for evaluator in evaluator_orgs(session, plan.id):
        _share(session, row, evaluator)
    if body.status == "completed" and acc.role == "lead" and plan.organisation_id == org_id:
        task.completed_on = task.completed_on or date.today()
    return row


def progress_reports(session: Session, plan_id: int,
                     task_ids: Iterable[int] | None = None) -> list[PolicyProgressReport]:
    stmt = select(PolicyProgressReport).where(PolicyProgressReport.plan_id == plan_id)
    if task_ids is not None:
        stmt = stmt.where(PolicyProgressReport.task_id.in_(list(task_ids)))
    return list(session.scalars(stmt.order_by(PolicyProgressReport.id)))


def get_report(session: Session, report_id: int) -> PolicyProgressReport:
    row = session.scalar(select(PolicyProgressReport).where(PolicyProgressReport.id == report_id))
    if row is None:
        raise NotFound(_("progress report %(id)s not found", id=report_id))
    return row


def _today() -> date:
    """Today (a function, so tests can move the calendar)."""
    return date.today()


def _editable_report(session: Session, report_id: int, today: date | None) -> PolicyProgressReport:
    report = get_report(session, report_id)
    if report.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the organisation that filed the report can change it"))
    _start, end = period_bounds(report.period)
    if (today or _today()) > end:
        raise PermissionDenied(_("the period %(period)s closed on %(date)s: file a new report instead",
                                 period=report.period, date=end.isoformat()))
    return report


def update_progress(session: Session, report_id: int, *, status: str | None = None, text: str | None = None,
                    percent_complete: int | None = None, today: date | None = None) -> PolicyProgressReport:
    """The filing agency corrects its report while the report's period is open."""
    report = _editable_report(session, report_id, today)
    record = f"task {report.task_id} {report.period}"
    if status is not None:
        if status not in REPORT_STATUSES:
            raise ValidationFailed(_("must be one of %(values)s", values=", ".join(REPORT_STATUSES)),
                                   field="status", record=record)
        report.status = status
    if percent_complete is not None:
        if not 0 <= percent_complete <= 100:
            raise ValidationFailed(_("percent_complete must be between 0 and 100"), field="percent_complete",
                                   record=record)
        report.percent_complete = percent_complete
    if text is not None:
        report.text = text.strip()
    session.flush()
    return report


def delete_progress(session: Session, report_id: int, today: date | None = None) -> None:
    """The filing agency withdraws its report (and its evidence) while the period is open."""
    report = _editable_report(session, report_id, today)
    for evidence in evidence_of(session, report.id):
        session.delete(evidence)
    session.delete(report)
    session.flush()


def get_evidence(session: Session, evidence_id: int) -> PolicyEvidence:
    """One attachment, if the session may see it: the filing agency, the plan owner and the evaluators
    (through the grants made when it was attached)."""
    row = session.scalar(select(PolicyEvidence).where(PolicyEvidence.id == evidence_id))
    if row is None:
        raise NotFound(_("evidence %(id)s not found", id=evidence_id))
    get_report(session, row.report_id)
    return row


def owed_tasks(session: Session) -> list[tuple[PolicyPlan, PolicyTask, PolicyAccountability]]:
    """What the session organisation owes: every task, across plans, it answers for (lead first)."""
    org_id = _org(session)
    accs = session.scalars(select(PolicyAccountability).where(PolicyAccountability.agency_org_id == org_id)
                           .order_by(PolicyAccountability.plan_id, PolicyAccountability.task_id))
    out = []
    seen: set[int] = set()
    for acc in sorted(accs, key=lambda a: (a.plan_id, a.task_id, a.role != "lead")):
        if acc.task_id in seen:
            continue
        seen.add(acc.task_id)
        plan = session.get(PolicyPlan, acc.plan_id)
        task = session.get(PolicyTask, acc.task_id)
        if plan is not None and task is not None:
            out.append((plan, task, acc))
    return out


def reminder_history(session: Session, plan_id: int) -> list[PolicyReminder]:
    """Reminders (催办) sent for a plan, newest first (owner)."""
    owned_plan(session, plan_id, write=False)
    return list(session.scalars(select(PolicyReminder).where(PolicyReminder.plan_id == plan_id)
                                .order_by(PolicyReminder.id.desc())))


def add_evidence(session: Session, report_id: int, filename: str, content_type: str, data: bytes) -> PolicyEvidence:
    """Attach evidence to a report the session organisation filed (shared like the report)."""
    report = get_report(session, report_id)
    record = filename or f"report {report_id}"
    if report.organisation_id != session.info.get("org_id"):
        raise PermissionDenied(_("only the organisation that filed the report can attach evidence"))
    if not data:
        raise ValidationFailed(_("the file is empty"), field="file", record=record)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(_("the file is larger than %(n)s MB", n=MAX_EVIDENCE_BYTES // (1024 * 1024)),
                               field="file", record=record)
    kind = (content_type or "application/octet-stream").split(";")[0].strip()
    if kind not in EVIDENCE_TYPES:
        raise ValidationFailed(_("files of type %(type)s are not accepted", type=kind), field="file", record=record)
    row = PolicyEvidence(report_id=report.id, filename=(filename or "evidence")[:300], content_type=kind,
                         size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data)
    session.add(row)
    session.flush()
    plan = session.get(PolicyPlan, report.plan_id)
    owner = plan.organisation_id if plan is not None else None
    _share(session, row, owner)
    for evaluator in evaluator_orgs(session, report.plan_id):
        _share(session, row, evaluator)
    return row


def evidence_of(session: Session, report_id: int) -> list[PolicyEvidence]:
    return list(session.scalars(select(PolicyEvidence).where(PolicyEvidence.report_id == report_id)
                                .order_by(PolicyEvidence.id)))


# --- indicators ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorIn:
    code: str
    name: str
    baseline: float
    baseline_year: int
    target: float
    target_year: int | None = None
    unit: str = ""
    direction: str = "higher"
    kind: str = "expected"
    task_id: int | None = None
    actuals: dict[int, float] = field(default_factory=dict)


def add_indicator(session: Session, plan_id: int, body: IndicatorIn) -> PolicyIndicator:
    """A plan indicator; the target year defaults to the plan's end year."""
    plan = owned_plan(session, plan_id)
    record = body.code.strip() or body.name.strip() or "indicator"
    if not body.code.strip():
        raise ValidationFailed(_("give the indicator a code"), field="code", record=record)
    if not body.name.strip():
        raise ValidationFailed(_("name the indicator"), field="name", record=record)
    if body.direction not in DIRECTIONS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(DIRECTIONS)), field="direction",
                               record=record)
    kind = INDICATOR_KINDS.get(body.kind.strip())
    if kind is None:
        raise ValidationFailed(_("must be one of %(values)s", values="expected (预期性), binding (约束性)"),
                               field="kind", record=record)
    target_year = body.target_year or plan.end_year
    if target_year <= body.baseline_year:
        raise ValidationFailed(_("the target year must come after the baseline year %(year)s",
                                 year=body.baseline_year), field="target_year", record=record)
    if body.task_id is not None and body.task_id not in {t.id for t in tasks(session, plan_id)}:
        raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=body.task_id), field="task_id",
                               record=record)
    if session.scalar(select(PolicyIndicator).where(PolicyIndicator.plan_id == plan_id,
                                                    PolicyIndicator.code == body.code.strip())) is not None:
        raise ValidationFailed(_("the plan already has an indicator %(code)s", code=body.code), field="code",
                               record=record)
    row = PolicyIndicator(plan_id=plan_id, task_id=body.task_id, code=body.code.strip(), name=body.name.strip(),
                          unit=body.unit.strip(), baseline=float(body.baseline), baseline_year=body.baseline_year,
                          target=float(body.target), target_year=target_year, direction=body.direction, kind=kind)
    session.add(row)
    session.flush()
    for year, value in sorted(body.actuals.items()):
        record_actual(session, row.id, year, value)
    return row


def update_indicator(session: Session, indicator_id: int, *, name: str | None = None, unit: str | None = None,
                     baseline: float | None = None, baseline_year: int | None = None, target: float | None = None,
                     target_year: int | None = None, direction: str | None = None, kind: str | None = None,
                     task_id: int | None = None, clear_task: bool = False) -> PolicyIndicator:
    """Change an indicator (plan owner); fields left None keep their value."""
    row = get_indicator(session, indicator_id)
    owned_plan(session, row.plan_id)
    record = row.code
    if name is not None:
        if not name.strip():
            raise ValidationFailed(_("name the indicator"), field="name", record=record)
        row.name = name.strip()
    if unit is not None:
        row.unit = unit.strip()
    if direction is not None:
        if direction not in DIRECTIONS:
            raise ValidationFailed(_("must be one of %(values)s", values=", ".join(DIRECTIONS)), field="direction",
                                   record=record)
        row.direction = direction
    if kind is not None:
        mapped = INDICATOR_KINDS.get(kind.strip())
        if mapped is None:
            raise ValidationFailed(_("must be one of %(values)s", values="expected (预期性), binding (约束性)"),
                                   field="kind", record=record)
        row.kind = mapped
    for attr, value in (("baseline", baseline), ("target", target)):
        if value is not None:
            if value != value:
                raise ValidationFailed(_("the value is not a number"), field=attr, record=record)
            setattr(row, attr, float(value))
    if baseline_year is not None:
        row.baseline_year = baseline_year
    if target_year is not None:
        row.target_year = target_year
    if row.target_year <= row.baseline_year:
        raise ValidationFailed(_("the target year must come after the baseline year %(year)s",
                                 year=row.baseline_year), field="target_year", record=record)
    if clear_task:
        row.task_id = None
    elif task_id is not None:
        if task_id not in {t.id for t in tasks(session, row.plan_id)}:
            raise ValidationFailed(_("task %(id)s is not a measure of this plan", id=task_id), field="task_id",
                                   record=record)
        row.task_id = task_id
    session.flush()
    return row


def delete_indicator(session: Session, indicator_id: int) -> None:
    """Remove an indicator and its actuals (plan owner)."""
    row = get_indicator(session, indicator_id)
    owned_plan(session, row.plan_id)
    for actual in session.scalars(select(PolicyIndicatorActual).where(PolicyIndicatorActual.indicator_id == row.id)):
        session.delete(actual)
    session.delete(row)
    session.flush()


def get_indicator(session: Session, indicator_id: int) -> PolicyIndicator:
    row = session.scalar(select(PolicyIndicator).where(PolicyIndicator.id == indicator_id))
    if row is None:
        raise NotFound(_("indicator %(id)s not found", id=indicator_id))
    return row


def record_actual(session: Session, indicator_id: int, year: int, value: float,
                  source: str = "") -> PolicyIndicatorActual:
    """Set the value an indicator reached in ``year`` (replaces an earlier value of that year)."""
    indicator = get_indicator(session, indicator_id)
    owned_plan(session, indicator.plan_id)
    record = f"{indicator.code} {year}"
    if not indicator.baseline_year <= year <= indicator.target_year + 5:
        raise ValidationFailed(_("year %(year)s is outside %(start)s–%(end)s", year=year,
                                 start=indicator.baseline_year, end=indicator.target_year + 5),
                               field="year", record=record)
    if value != value:  # NaN
        raise ValidationFailed(_("the value is not a number"), field="value", record=record)
    row = session.scalar(select(PolicyIndicatorActual).where(PolicyIndicatorActual.indicator_id == indicator_id,
                                                             PolicyIndicatorActual.year == year))
    if row is None:
        row = PolicyIndicatorActual(indicator_id=indicator_id, year=year, value=float(value), source=source)
        session.add(row)
    else:
        row.value, row.source = float(value), source or row.source
    session.flush()
    return row


def indicators(session: Session, plan_id: int) -> list[PolicyIndicator]:
    return list(session.scalars(select(PolicyIndicator).where(PolicyIndicator.plan_id == plan_id)
                                .order_by(PolicyIndicator.id)))


def actuals(session: Session, indicator_ids: Iterable[int]) -> dict[int, dict[int, float]]:
    out: dict[int, dict[int, float]] = {}
    ids = list(indicator_ids)
    if not ids:
        return out
    for row in session.scalars(select(PolicyIndicatorActual).where(PolicyIndicatorActual.indicator_id.in_(ids))):
        out.setdefault(row.indicator_id, {})[row.year] = row.value
    return out
