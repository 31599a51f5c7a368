"""The dashboard of each kind of organisation: numbers that matter to it, each with a link to act.

Why per kind: an insurer shown "0 watched marks" or a platform administrator told to "ask an
administrator" learns nothing. Each builder below reads only the domains' public functions
(``tm.alerts``, ``disputes.routing``/``cases``/``stations``/``insurance``, ``filing.docket``,
``policy.rag``/``reminders``, ``tm.ingest``) inside the caller's tenancy-filtered session and returns
plain data: ``cards`` (label, value, link) and ``lists`` (a titled table whose cells may link).

Every link points to a page the same kind of caller may open (see :mod:`fenghuo.web.nav`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fenghuo.core.i18n import _, get_locale
from fenghuo.core.models import Membership, Organisation, OrgKind, Role, User
from fenghuo.web.deps import Caller, caller_session, platform_session

#: How far ahead "coming up" looks for filing deadlines.
FILING_HORIZON_DAYS = 90


@dataclass
class Card:
    label: str
    value: int | str
    href: str | None = None
    action: str | None = None
    id: str | None = None
    tone: str = ""  # "", "danger", "warning", "success"


@dataclass
class Cell:
    text: str
    href: str | None = None
    tone: str = ""
    #: A name as written abroad (a mark, a party, a fair): exempt from the "no English on a zh page" check.
    exempt: bool = False


@dataclass
class ListBlock:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    empty: str
    id: str
    more_href: str | None = None
    more_label: str | None = None


@dataclass
class Dashboard:
    kind: str
    heading: str
    cards: list[Card] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)


def _label(category: str, code: str) -> str:
    """The registry's words for a stored code (fenghuo.core.labels), never the raw code."""
    try:
        from fenghuo.core.labels import label
    except ImportError:  # pragma: no cover - the registry ships with core
        return _(code)
    return str(label(category, code))


def _stored_text(text: str) -> str:
    """A text stored as the catalogue produced it (a docket label) read in the reader's language."""
    try:
        from fenghuo.core.labels import retranslate
    except ImportError:  # pragma: no cover
        return text
    return str(retranslate(text))


def _money(amount: Any, currency: str) -> str:
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale="zh_CN" if get_locale() == "zh_CN" else "en"))


def _hours_left(due: datetime, now: datetime) -> tuple[str, str]:
    """'5 h left' / 'overdue by 2 h' and a tone, for the 24-hour fair clock."""
    due = due if due.tzinfo else due.replace(tzinfo=UTC)
    hours = int((due - now).total_seconds() // 3600)
    if due <= now:
        return _("overdue by %(n)s h", n=max(1, -hours)), "danger"
    return _("%(n)s h left", n=hours), "warning" if hours < 6 else ""


def _as_date(value: object) -> date | None:
    """A stored due date or date-time (object or ISO text) as a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None


def _days_left(due: date, today: date) -> tuple[str, str]:
    days = (due - today).days
    if days < 0:
        return _("closed %(n)s days ago", n=-days), "danger"
    if days == 0:
        return _("due today"), "danger"
    return _("%(n)s days left", n=days), "warning" if days <= 14 else ""


# --- enterprise ------------------------------------------------------------------------------------


def _tm_section(session: Session, board: Dashboard, today: date) -> None:
    from fenghuo.tm.alerts import counts_by_level
    from fenghuo.tm.models import Alert, AlertState, RegisterMark, WatchedMark

    levels = counts_by_level(session)
    watched = session.scalar(select(func.count()).select_from(WatchedMark)) or 0
    board.cards += [
        Card(_("Open high-risk trademark alerts"), levels.get("high", 0), "/tm/alerts?level=high",
             _("Review high-risk alerts"), "card-tm-high", "danger" if levels.get("high") else ""),
        Card(_("Open medium-risk trademark alerts"), levels.get("medium", 0), "/tm/alerts?level=medium",
             _("Review medium-risk alerts"), "card-tm-medium", "warning" if levels.get("medium") else ""),
        Card(_("Watched marks"), watched, "/tm/portfolio", _("Manage the portfolio"), "card-tm-watched"),
    ]
    rows = session.execute(
        select(Alert.id, Alert.deadline, Alert.level, RegisterMark.mark_text, RegisterMark.office,
               WatchedMark.mark)
        .join(RegisterMark, RegisterMark.id == Alert.register_mark_id)
        .join(WatchedMark, WatchedMark.id == Alert.watched_mark_id)
        .where(Alert.state.in_((AlertState.NEW, AlertState.REVIEWING)))
        .order_by(Alert.deadline.is_(None), Alert.deadline, Alert.score.desc())
        .limit(200)
    ).all()
    upcoming = [r for r in rows if r.deadline is not None and r.deadline >= today][:5]
    shown = upcoming or [r for r in rows if r.level == "high"][:5]
    block_rows = []
    for r in shown:
        when, tone = _days_left(r.deadline, today) if r.deadline else ("", "")
        block_rows.append([Cell(r.mark, exempt=True),
                           Cell(r.mark_text or _("(figurative mark)"), f"/tm/alerts/{r.id}", exempt=bool(r.mark_text)),
                           Cell(r.office),
                           Cell(_label("risk_level", r.level), tone="danger" if r.level == "high" else ""),
                           Cell(when, tone=tone)])
    board.lists.append(ListBlock(
        _("Trademark risks: opposition windows coming up") if upcoming else _("Trademark risks to review"),
        [_("Your mark"), _("Conflicting mark"), _("Office"), _("Risk"), _("Opposition window")], block_rows,
        _("No open trademark alert. Add marks to the portfolio and run a watch."), "list-tm",
        "/tm/alerts", _("All alerts")))


def _filing_section(session: Session, board: Dashboard, today: date) -> None:
    from fenghuo.filing.docket import list_entries, list_plans

    entries = [e for e in list_entries(session, start=today, end=today + timedelta(days=FILING_HORIZON_DAYS))
               if not e.done]
    titles = {p.id: p.title for p in list_plans(session)}
    board.cards.append(Card(_("Filing deadlines in the next %(n)s days", n=FILING_HORIZON_DAYS), len(entries),
                            "/filing/calendar", _("Open the docket calendar"), "card-filing",
                            "warning" if entries else ""))
    rows = []
    for e in entries[:5]:
        when, tone = _days_left(e.due, today)
        rows.append([Cell(e.due.isoformat()),
                     Cell(titles.get(e.plan_id, ""), f"/filing/plans/{e.plan_id}", exempt=True),
                     Cell(e.target), Cell(_stored_text(e.label)), Cell(when, tone=tone)])
    board.lists.append(ListBlock(
        _("Filing deadlines coming up"), [_("Due"), _("Filing plan"), _("Target"), _("Step"), _("Time left")],
        rows, _("No filing deadline in the next %(n)s days. Plan a filing abroad in the filing planner.",
                n=FILING_HORIZON_DAYS), "list-filing", "/filing", _("Filing planner")))


def _dispute_alert_rows(session: Session, today: date, limit: int = 5,
                        states: tuple[str, ...] = ("new", "acknowledged")) -> tuple[int, list[list[Cell]]]:
    """Visible dispute alerts in ``states`` (newest first): their count and the first rows."""
    from fenghuo.disputes import routing

    visible = [a for a in routing.list_alerts(session) if a.state != "dismissed"]
    alerts = [a for a in visible if a.state in states]
    rows = []
    # The list keeps alerts already turned into a case in view (with the open ones first).
    for a in sorted(visible, key=lambda a: a.state not in states)[:limit]:
        due = _as_date(a.clock_due)
        when, tone = _days_left(due, today) if due else ("", "")
        rows.append([Cell(a.enterprise_name, exempt=True), Cell(a.number, f"/disputes/alerts/{a.id}", exempt=True),
                     Cell(a.title, exempt=True), Cell(when, tone=tone)])
    return len(alerts), rows


def _dispute_alert_columns() -> list[str]:
    return [_("Enterprise"), _("Number"), _("Title"), _("First deadline")]


def _enterprise(session: Session, caller: Caller, today: date) -> Dashboard:
    from fenghuo.disputes import cases

    board = Dashboard("enterprise", _("Risks across your marks, disputes and filings"))
    _tm_section(session, board, today)
    open_alerts, alert_rows = _dispute_alert_rows(session, today)
    open_cases = [c for c in cases.list_cases(session) if c.status == "open"]
    board.cards += [
        Card(_("Dispute alerts to answer"), open_alerts, "/disputes", _("Open dispute alerts"), "card-disputes",
             "danger" if open_alerts else ""),
        Card(_("Open dispute cases"), len(open_cases), "/disputes#cases", _("Open the cases"), "card-cases"),
    ]
    _filing_section(session, board, today)
    board.lists.insert(1, ListBlock(_("Disputes naming you"), _dispute_alert_columns(), alert_rows,
                                    _("No dispute alert. Disputes naming your company abroad appear here."),
                                    "list-disputes", "/disputes", _("All dispute alerts")))
    return board


# --- guidance centre, branch, trade promotion --------------------------------------------------------


def _centre(session: Session, caller: Caller, today: date) -> Dashboard:
    from fenghuo.disputes import cases, routing

    org = session.get(Organisation, caller.org_id)
    is_branch = org is not None and org.parent_id is not None
    where = None
    if org is not None and org.region:
        where = _label("region", org.region)
    elif org is not None and org.industry:
        where = org.industry
    heading = (_("Dispute alerts of enterprises in %(where)s, review queue and shared cases", where=where)
               if is_branch and where else _("Dispute alerts, review queue and cases shared with you"))
    board = Dashboard("branch" if is_branch else "centre", heading)
    # A centre follows an alert up until the enterprise's case closes: opened cases stay in view.
    open_alerts, alert_rows = _dispute_alert_rows(session, today, states=("new", "acknowledged", "case_opened"))
    queue = routing.review_queue(session)
    visible = cases.list_cases(session)
    shared = [c for c in visible if c.organisation_id != caller.org_id]
    board.cards += [
        Card(_("Dispute alerts to follow up"), open_alerts, "/disputes", _("Open dispute alerts"), "card-disputes",
             "danger" if open_alerts else ""),
        Card(_("Matches to review"), len(queue), "/disputes#queue", _("Review the queue"), "card-queue",
             "warning" if queue else ""),
        Card(_("Cases shared with you"), len(shared), "/disputes#cases", _("Open the cases"), "card-shared"),
        Card(_("Cases in the statistics"), len(visible), "/disputes/stats", _("Open the statistics"), "card-stats"),
    ]
    board.lists.append(ListBlock(_("Dispute alerts"), _dispute_alert_columns(), alert_rows,
                                 _("No dispute alert yet. Report an event or import a feed on the disputes page."),
                                 "list-disputes", "/disputes", _("All dispute alerts")))
    board.lists.append(ListBlock(
        _("Review queue"), [_("Party named"), _("Score"), _("Event")],
        [[Cell(m.party_name, "/disputes#queue", exempt=True), Cell(f"{m.score:.2f}"), Cell(str(m.event_id))]
         for m in queue[:5]],
        _("Nothing to review."), "list-queue"))
    names = {o.id: o.name for o in session.scalars(select(Organisation))}
    board.lists.append(ListBlock(
        _("Cases shared with you"), [_("Case"), _("Enterprise"), _("Country"), _("Stage")],
        [[Cell(c.title or c.number or str(c.id), f"/disputes/cases/{c.id}", exempt=True),
          Cell(names.get(c.organisation_id, ""), exempt=True),
          Cell(c.country or ""), Cell(_label("case_stage", c.stage))] for c in shared[:5]],
        _("No case shared with you yet. Enterprises share their cases from the case page."), "list-shared"))
    return board


# --- exhibition station -------------------------------------------------------------------------------


def _station(session: Session, caller: Caller, today: date) -> Dashboard:
    from fenghuo.disputes import stations

    board = Dashboard("station", _("Fairs and complaints against the 24-hour clock"))
    now = datetime.now(UTC)
    fairs = stations.list_stations(session)
    open_rows: list[tuple[Any, Any]] = []
    for st in fairs:
        open_rows += [(st, c) for c in stations.complaints_of(session, st.id)
                      if c.outcome == "pending" and c.answered_at is None]
    current = [f for f in fairs if f.starts_on <= today <= f.ends_on]
    overdue = [c for _st, c in open_rows
               if (c.answer_due_at if c.answer_due_at.tzinfo else c.answer_due_at.replace(tzinfo=UTC)) <= now]
    board.cards += [
        Card(_("Fairs running now"), len(current), "/disputes/stations", _("Open the fairs"), "card-fairs"),
        Card(_("Complaints awaiting the exhibitor's answer"), len(open_rows), "/disputes/stations",
             _("Handle complaints"), "card-complaints", "warning" if open_rows else ""),
        Card(_("Answers overdue"), len(overdue), "/disputes/stations", _("Handle complaints"), "card-overdue",
             "danger" if overdue else ""),
    ]
    open_rows.sort(key=lambda p: p[1].answer_due_at)
    rows = []
    for st, c in open_rows[:8]:
        left, tone = _hours_left(c.answer_due_at, now)
        rows.append([Cell(st.fair, f"/disputes/stations/{st.id}", exempt=True), Cell(c.complainant, exempt=True),
                     Cell(c.respondent, exempt=True), Cell(c.booth), Cell(left, tone=tone)])
    board.lists.append(ListBlock(
        _("Open complaints"), [_("Fair"), _("Complainant"), _("Exhibitor"), _("Booth"), _("Answer due")], rows,
        _("No open complaint. Open a station for a fair, then take complaints in on its page."), "list-complaints",
        "/disputes/stations", _("All fairs")))
    return board


# --- insurer ------------------------------------------------------------------------------------------


def _insurer(session: Session, caller: Caller, today: date) -> Dashboard:
    from fenghuo.disputes import insurance

    board = Dashboard("insurer", _("Policies and claims"))
    policies = insurance.list_policies(session)
    in_force = [p for p in policies if p.starts_on <= today <= p.ends_on]
    claims = insurance.list_claims(session)
    to_decide = [c for c in claims if c.status == "filed"]
    board.cards += [
        Card(_("Policies in force"), len(in_force), "/disputes/insurance", _("Open the policies"), "card-policies"),
        Card(_("Claims to decide"), len(to_decide), "/disputes/insurance", _("Decide claims"), "card-claims",
             "warning" if to_decide else ""),
        Card(_("Claims in total"), len(claims), "/disputes/insurance", _("Open the claims"), "card-claims-all"),
    ]
    names = {o.id: o.name for o in session.scalars(select(Organisation))}
    numbers = {p.id: p.number for p in policies}
    board.lists.append(ListBlock(
        _("Claims"), [_("Policy"), _("Claimant"), _("Costs incurred"), _("Status")],
        [[Cell(numbers.get(c.policy_id, str(c.policy_id)), "/disputes/insurance", exempt=True),
          Cell(names.get(c.organisation_id, ""), exempt=True), Cell(_money(c.costs_incurred, c.currency)),
          Cell(_label("claim_status", c.status))] for c in claims[:8]],
        _("No claim yet. The insured enterprises file claims under their policies."), "list-claims",
        "/disputes/insurance", _("Policies and claims")))
    return board


# --- administration (plan office, agencies) -----------------------------------------------------------


def _administration(session: Session, caller: Caller, today: date) -> Dashboard:
    from fenghuo.policy import tracking
    from fenghuo.policy.rag import plan_statuses
    from fenghuo.policy.reminders import overdue_by_agency

    board = Dashboard("administration", _("Plan tasks, red items and reminders"))
    plans = tracking.list_plans(session)
    tasks_total, red, reminders = 0, [], 0
    for plan in plans:
        status = plan_statuses(session, plan.id, today)
        tasks_total += len(status.tasks)
        red += [(plan, t, status.task_rag[t.id]) for t in status.tasks if status.task_rag[t.id].colour == "red"]
        if plan.organisation_id == caller.org_id:
            reminders += len(overdue_by_agency(session, plan.id, today))
    first = f"/plans/{plans[0].id}" if plans else "/plans"
    board.cards += [
        Card(_("Plan tasks"), tasks_total, first, _("Open the plan"), "card-tasks"),
        Card(_("Red items"), len(red), f"{first}/dashboard" if plans else "/plans", _("Open the plan dashboard"),
             "card-red", "danger" if red else ""),
        Card(_("Agencies with overdue tasks (reminders due)"), reminders, first, _("Send reminders"),
             "card-reminders", "warning" if reminders else ""),
        Card(_("Plans"), len(plans), "/plans", _("All plans"), "card-plans"),
    ]
    board.lists.append(ListBlock(
        _("Red items"), [_("Task"), _("Due"), _("Why")],
        [[Cell(t.title, f"/tasks/{t.id}"), Cell(t.due_date.isoformat() if t.due_date else ""),
          Cell(str(rag.reason), tone="danger")] for _plan, t, rag in red[:8]],
        _("No red item: every task is on track or completed.") if plans
        else _("No plan yet. Import a plan text on the plans page."), "list-red", "/plans", _("All plans")))
    return board


# --- platform administrator -----------------------------------------------------------------------------


def _platform(caller: Caller) -> Dashboard:
    from fenghuo.disputes.events import list_quarantine
    from fenghuo.tm.ingest import open_quarantine_count, recent_ingest_runs

    board = Dashboard("platform", _("Organisations, users, register ingest and quarantine"))
    with platform_session(caller) as session:
        orgs_n = session.scalar(select(func.count()).select_from(Organisation)) or 0
        users_n = session.scalar(select(func.count()).select_from(User)) or 0
        runs = recent_ingest_runs(session, limit=5)
        failed = [r for r in runs if r.status == "failed"]
        tm_quarantine = open_quarantine_count(session)
        dispute_quarantine = len(list_quarantine(session))
        board.cards += [
            Card(_("Organisations"), orgs_n, "/admin/organisations", _("Manage organisations"), "card-orgs"),
            Card(_("Users"), users_n, "/admin/organisations", _("Manage organisations"), "card-users"),
            Card(_("Register records in quarantine"), tm_quarantine, None, None, "card-tm-quarantine",
                 "warning" if tm_quarantine else ""),
            Card(_("Dispute records in quarantine"), dispute_quarantine, None, None, "card-dispute-quarantine",
                 "warning" if dispute_quarantine else ""),
            Card(_("Failed ingest runs (last 5)"), len(failed), None, None, "card-ingest-failed",
                 "danger" if failed else ""),
        ]
        rows = []
        for r in runs:
            state = _label("run_status", r.status)
            rows.append([Cell(r.started_at.strftime("%Y-%m-%d %H:%M")),
                         Cell(state, tone="danger" if r.status == "failed" else ""),
                         Cell(_("%(created)s new, %(updated)s updated, %(unchanged)s unchanged",
                                created=r.created, updated=r.updated, unchanged=r.unchanged)),
                         Cell(str(r.quarantined), tone="warning" if r.quarantined else "")])
    board.lists.append(ListBlock(
        _("Recent register ingest runs"), [_("Started"), _("Status"), _("Records"), _("Quarantined")], rows,
        _("No ingest run yet. Load register files with `fenghuo tm ingest PATH`."), "list-ingest"))
    return board


# --- composition ----------------------------------------------------------------------------------------

_BUILDERS = {
    OrgKind.ENTERPRISE.value: _enterprise,
    OrgKind.GUIDANCE_CENTRE.value: _centre,
    OrgKind.TRADE_PROMOTION.value: _centre,
    OrgKind.EXHIBITION_STATION.value: _station,
    OrgKind.INSURER.value: _insurer,
    OrgKind.ADMINISTRATION.value: _administration,
}


def _members_card(session: Session, caller: Caller) -> Card:
    n = session.scalar(select(func.count()).select_from(Membership)
                       .where(Membership.organisation_id == caller.org_id)) or 0
    return Card(_("Members"), n, "/admin/members", _("Manage members"), "card-members")


def build(caller: Caller, today: date | None = None) -> list[Dashboard]:
    """The dashboards of the caller: its organisation's, and the platform's for a platform administrator."""
    today = today or date.today()
    boards: list[Dashboard] = []
    if caller.org_id is not None:
        builder = _BUILDERS.get(caller.org_kind or "", _enterprise)
        with caller_session(caller) as session:
            board = builder(session, caller, today)
            if caller.role is Role.ADMIN:
                board.cards.append(_members_card(session, caller))
        boards.append(board)
    if caller.is_platform_admin:
        boards.append(_platform(caller))
    return boards
