"""Red / amber / green status of tasks, indicators and agencies — always with the rule and numbers.

Why the reason is part of the status: a colour alone invites argument ("why are we red?"); the
督查督办 practice is to name the overdue item and the figure that missed. So every status carries
``rule`` (a stable id for filtering) and ``reason`` (a sentence with the dates and values used).

Rules, first match wins:

* green ``completed`` — the lead agency (or, with no lead, any agency) reported the task completed;
* red ``overdue_no_progress`` — past its due date and no progress ever reported;
* red ``indicator_off_track`` — an indicator linked to the task is worse than the straight line
  from its baseline to its target in the target year (linear interpolation);
* amber ``behind_schedule`` — past due with some progress, or the reported share done is more than
  ``SCHEDULE_TOLERANCE`` points below the share of time elapsed between start and due date;
* amber ``no_current_report`` — nobody reported for the current half-year period;
* green ``on_track`` — otherwise.

The functions here take plain values so they can be tested without a database;
:func:`plan_statuses` loads them for one plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from fenghuo.core.i18n import N_, _
from fenghuo.policy import tracking
from fenghuo.policy.models import PolicyAccountability, PolicyIndicator, PolicyProgressReport, PolicyTask

RED, AMBER, GREEN = "red", "amber", "green"
_RANK = {GREEN: 0, AMBER: 1, RED: 2}
#: Percentage points a reported share done may trail the share of time elapsed before amber.
SCHEDULE_TOLERANCE = 10
_PROGRESS = ("in_progress", "completed", "delayed")


@dataclass(frozen=True)
class Rag:
    colour: str
    rule: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"colour": self.colour, "rule": self.rule, "reason": self.reason}


def worst(statuses: Iterable[Rag]) -> Rag | None:
    found = list(statuses)
    return max(found, key=lambda r: _RANK[r.colour]) if found else None


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1 else f"{value:.3g}"


def expected_value(indicator: PolicyIndicator, year: int) -> float:
    """The straight line from (baseline year, baseline) to (target year, target), at ``year``."""
    span = indicator.target_year - indicator.baseline_year
    share = min(max((year - indicator.baseline_year) / span, 0.0), 1.0) if span > 0 else 1.0
    return indicator.baseline + (indicator.target - indicator.baseline) * share


def indicator_status(indicator: PolicyIndicator, values: dict[int, float], today: date) -> Rag:
    """Compare the latest actual (up to ``today``'s year) with the linear path to the target."""
    years = sorted(y for y in values if y <= today.year)
    unit = indicator.unit
    if not years:
        return Rag(AMBER, "no_actual", _(
            "amber (no actual): no value of %(name)s reported since the baseline %(baseline)s%(unit)s in %(year)s",
            name=indicator.name, baseline=_num(indicator.baseline), unit=unit, year=indicator.baseline_year))
    year = years[-1]
    actual = values[year]
    expected = round(expected_value(indicator, year), 4)
    worse = actual < expected if indicator.direction == "higher" else actual > expected
    params = {"name": indicator.name, "actual": _num(actual), "unit": unit, "year": year,
              "expected": _num(round(expected, 2)), "baseline": _num(indicator.baseline),
              "baseline_year": indicator.baseline_year, "target": _num(indicator.target),
              "target_year": indicator.target_year}
    if worse:
        message = N_("red (indicator off track): %(name)s was %(actual)s%(unit)s in %(year)s, below the linear "
                     "path %(expected)s%(unit)s from the baseline %(baseline)s (%(baseline_year)s) to the target "
                     "%(target)s (%(target_year)s)") if indicator.direction == "higher" else N_(
                     "red (indicator off track): %(name)s was %(actual)s%(unit)s in %(year)s, above the linear "
                     "path %(expected)s%(unit)s from the baseline %(baseline)s (%(baseline_year)s) to the target "
                     "%(target)s (%(target_year)s)")
        return Rag(RED, "indicator_off_track", _(message, **params))
    return Rag(GREEN, "indicator_on_track", _(
        "green (indicator on track): %(name)s was %(actual)s%(unit)s in %(year)s against the linear path "
        "%(expected)s%(unit)s towards the target %(target)s (%(target_year)s)", **params))


def _overlaps(period: str, window: tuple[date, date]) -> bool:
    start, end = tracking.period_bounds(period)
    return start <= window[1] and end >= window[0]


def _latest_by_agency(reports: Sequence[PolicyProgressReport]) -> dict[str, PolicyProgressReport]:
    latest: dict[str, PolicyProgressReport] = {}
    for report in sorted(reports, key=lambda r: (tracking.period_bounds(r.period)[1], r.id)):
        latest[report.agency_key] = report
    return latest


def task_status(task: PolicyTask, accs: Sequence[PolicyAccountability], reports: Sequence[PolicyProgressReport],
                indicator_statuses: Sequence[tuple[PolicyIndicator, Rag]], today: date) -> Rag:
    """The status of one task from its reports, its linked indicators and the calendar."""
    latest = _latest_by_agency(reports)
    leads = {a.agency_key for a in accs if a.role == "lead"}
    if leads:  # the lead agency's word closes the task
        done = next((r for key, r in latest.items() if key in leads and r.status == "completed"), None)
    else:  # all co-responsible: every named agency must have reported it completed
        named = {a.agency_key for a in accs if not a.generic}
        finished = [latest[k] for k in named if k in latest and latest[k].status == "completed"]
        done = finished[-1] if named and len(finished) == len(named) else None
    if task.completed_on is not None:
        return Rag(GREEN, "completed", _("green (completed): closed on %(date)s", date=task.completed_on.isoformat()))
    if done is not None:
        return Rag(GREEN, "completed", _("green (completed): %(agency)s reported the task completed in %(period)s",
                                         agency=done.agency_name if leads else _("every responsible agency"),
                                         period=done.period))
    progressed = [r for r in reports if r.status in _PROGRESS or r.percent_complete > 0]
    percent = max((r.percent_complete for r in latest.values()), default=0)
    overdue_days = (today - task.due_date).days
    if overdue_days > 0 and not progressed:
        return Rag(RED, "overdue_no_progress", _(
            "red (overdue with no progress): due %(due)s, %(days)s days overdue, no progress reported",
            due=task.due_date.isoformat(), days=overdue_days))
    off = [rag for _ind, rag in indicator_statuses if rag.colour == RED]
    if off:
        return Rag(RED, "indicator_off_track", off[0].reason)
    if overdue_days > 0:
        return Rag(AMBER, "behind_schedule", _(
            "amber (behind schedule): due %(due)s, %(days)s days overdue, %(percent)s%% complete reported",
            due=task.due_date.isoformat(), days=overdue_days, percent=percent))
    total = max((task.due_date - task.start_date).days, 1)
    elapsed = min(max((today - task.start_date).days, 0), total)
    expected = round(100 * elapsed / total)
    if latest and percent + SCHEDULE_TOLERANCE < expected:
        return Rag(AMBER, "behind_schedule", _(
            "amber (behind schedule): %(percent)s%% complete reported, %(expected)s%% expected by %(today)s on a "
            "linear schedule from %(start)s to %(due)s", percent=percent, expected=expected,
            today=today.isoformat(), start=task.start_date.isoformat(), due=task.due_date.isoformat()))
    period = tracking.current_period(today)
    window = tracking.period_bounds(period)
    if not any(_overlaps(r.period, window) for r in reports):
        last = max((r.period for r in reports), default=None, key=lambda p: tracking.period_bounds(p)[1])
        return Rag(AMBER, "no_current_report", _(
            "amber (no report this period): no progress report for %(period)s; latest: %(latest)s",
            period=period, latest=last or _("none")))
    return Rag(GREEN, "on_track", _(
        "green (on track): %(percent)s%% complete reported for %(period)s, %(expected)s%% of the time elapsed",
        percent=percent, period=period, expected=expected))


@dataclass
class PlanStatus:
    """Everything a dashboard or report needs about one plan on one day."""

    today: date
    tasks: list[PolicyTask]
    accountabilities: list[PolicyAccountability]
    reports: list[PolicyProgressReport]
    indicators: list[tuple[PolicyIndicator, dict[int, float], Rag]]
    task_rag: dict[int, Rag]

    def agency_rag(self, agency_key: str) -> Rag | None:
        """The worst status among the tasks the agency answers for, naming that task."""
        task_ids = {a.task_id for a in self.accountabilities if a.agency_key == agency_key}
        by_id = {t.id: t for t in self.tasks}
        pairs = [(self.task_rag[t], by_id[t]) for t in task_ids if t in self.task_rag]
        if not pairs:
            return None
        rag, task = max(pairs, key=lambda p: (_RANK[p[0].colour], -p[1].seq))
        count = sum(1 for r, _t in pairs if r.colour == rag.colour)
        return Rag(rag.colour, rag.rule, _("%(count)s of %(total)s tasks %(colour)s; e.g. %(task)s: %(reason)s",
                                           count=count, total=len(pairs), colour=rag.colour, task=task.title,
                                           reason=rag.reason))


def plan_statuses(session: Session, plan_id: int, today: date | None = None) -> PlanStatus:
    """Statuses of every task and indicator of the plan visible to the session."""
    today = today or date.today()
    task_rows = tracking.tasks(session, plan_id)
    accs = tracking.accountabilities(session, plan_id)
    reports = tracking.progress_reports(session, plan_id)
    inds = tracking.indicators(session, plan_id)
    values = tracking.actuals(session, (i.id for i in inds))
    ind_status = [(i, values.get(i.id, {}), indicator_status(i, values.get(i.id, {}), today)) for i in inds]
    rag: dict[int, Rag] = {}
    for task in task_rows:
        linked = [(i, r) for i, _v, r in ind_status if i.task_id == task.id]
        rag[task.id] = task_status(task, [a for a in accs if a.task_id == task.id],
                                   [r for r in reports if r.task_id == task.id], linked, today)
    return PlanStatus(today, task_rows, accs, reports, ind_status, rag)
