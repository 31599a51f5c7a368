"""The one deadline engine: named computations, rules as data, rolls on office calendars, traces.

Trademark oppositions, filing routes and dispute clocks all call :func:`compute`, so a holiday,
a make-up working day or a changed calendar is handled once and explained the same way.
"""

from __future__ import annotations

import csv
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from dateutil.relativedelta import relativedelta

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.deadlines.calendars import OfficeCalendar, calendar_for

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    title: str
    office: str
    trigger: str
    computation: str
    roll: str
    grace_or_remedy: str
    source: str
    confirmed: str


@dataclass(frozen=True)
class TraceStep:
    day: str
    note: str

    def to_dict(self) -> dict[str, str]:
        return {"date": self.day, "note": self.note}


@dataclass
class DeadlineResult:
    rule: Rule
    office: str | None
    trigger: date
    raw: date | datetime
    due: date | datetime
    provisional: bool
    trace: list[TraceStep] = field(default_factory=list)
    options: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule.rule_id,
            "office": self.office,
            "from": self.trigger.isoformat(),
            "raw": self.raw.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "trace": [t.to_dict() for t in self.trace],
            "title": self.rule.title,
            "source": self.rule.source,
            "confirmed": self.rule.confirmed,
            "grace_or_remedy": self.rule.grace_or_remedy,
        }


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    return {r["rule_id"]: Rule(**r) for r in _rows("rules.csv")}


def get_rule(rule_id: str) -> Rule:
    found = rules().get(rule_id.strip().upper())
    if found is None:
        raise NotFound(_("unknown rule %(rule)s (see: fenghuo deadline --list)", rule=rule_id))
    return found


@lru_cache(maxsize=1)
def pct_limits() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _rows("pct_time_limits.csv")}


# --- computations -------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """Same-numbered day, clamped to the month's last day (PCT Rule 80.2): 2012-02-29 + 12 → 2013-02-28."""
    return start + relativedelta(months=months)


def add_months_count_first_day(start: date, months: int) -> date:
    """CNIPA counts the first day: a 3-month term from 2000-03-07 ends 2000-06-06."""
    return add_months(start, months) - timedelta(days=1)


def end_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def add_months_eom(start: date, months: int) -> date:
    """End of month to end of month (J 4/91): the last day of the month ``months`` away."""
    return end_of_month(add_months(start.replace(day=1), months))


def eom_anniversary(start: date, years: int) -> date:
    """Last day of the month containing the ``years``-th anniversary (Rule 51(1) EPC)."""
    return end_of_month(add_months(start, 12 * years))


def add_working_days(start: date, count: int, cal: OfficeCalendar, trace: list[TraceStep]) -> date:
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        info = cal.info(day)
        if info.working:
            counted += 1
        else:
            trace.append(TraceStep(day.isoformat(), _("not counted: %(reason)s", reason=info.reason)))
    return day


def _roll(day: date, cal: OfficeCalendar, trace: list[TraceStep]) -> date:
    while True:
        info = cal.info(day)
        if info.working:
            if info.reason:
                trace.append(TraceStep(day.isoformat(), _("%(reason)s: the office is open", reason=info.reason)))
            return day
        trace.append(TraceStep(day.isoformat(), _("skipped: %(reason)s", reason=info.reason)))
        day += timedelta(days=1)


def _madrid_months(office: str) -> tuple[int, str]:
    from fenghuo import reference

    m = reference.membership(office, "madrid")
    if m is None:
        raise ValidationFailed(_("%(office)s is not a Madrid designation", office=office), field="office")
    months = 18 if m.detail.lower().startswith("refusal period: 18") else 12
    return months, m.detail.split(";")[0]


def compute(
    rule_id: str,
    trigger: date | datetime,
    office: str | None = None,
    *,
    temporary_relief: bool = False,
    perishable: bool = False,
    today: date | None = None,
) -> DeadlineResult:
    """Compute a deadline with its trace. Unknown rules → NotFound; bad offices → ValidationFailed."""
    rule = get_rule(rule_id)
    start = trigger.date() if isinstance(trigger, datetime) else trigger
    office_code = (office or "").strip().upper() or None
    if office_code is None and rule.office.isalpha() and len(rule.office) == 2:
        office_code = rule.office
    trace: list[TraceStep] = [TraceStep(start.isoformat(), _("trigger: %(trigger)s", trigger=rule.trigger))]
    kind, _sep, arg = rule.computation.partition(":")
    options: dict[str, object] = {}
    cal: OfficeCalendar | None = calendar_for(office_code, today=today) if office_code and kind != "pct_np" else None
    raw: date | datetime
    if kind == "pct_np":
        if office_code is None:
            raise ValidationFailed(_("R-PCT-NP needs --office"), field="office")
        limits = pct_limits().get(office_code)
        if limits is None:
            raise ValidationFailed(_("%(office)s is not a PCT designated office", office=office_code), field="office")
        if limits["closed"] == "true":
            raise ValidationFailed(_("the national route of %(office)s is closed: enter the regional phase via "
                                     "%(via)s (--office %(via)s)", office=office_code, via=limits["via"]),
                                   field="office")
        months = int(limits["chapter1_months"])
        options["months"] = months
        raw = add_months(start, months)
        trace.append(TraceStep(raw.isoformat(), _("%(n)s months for %(office)s (PCT Rule 80.2)", n=months,
                                                  office=office_code)))
        cal = calendar_for(office_code, today=today)
    elif kind == "madrid_refusal":
        if office_code is None:
            raise ValidationFailed(_("R-MAD-REFUSAL needs --office"), field="office")
        months, detail = _madrid_months(office_code)
        raw = add_months(start, months)
        trace.append(TraceStep(raw.isoformat(), _("%(n)s months (%(detail)s)", n=months, detail=detail)))
    elif kind == "months":
        raw = add_months(start, int(arg))
        trace.append(TraceStep(raw.isoformat(), _("%(n)s months, same-numbered day or the month's last day",
                                                  n=arg)))
    elif kind == "months_minus1":
        raw = add_months_count_first_day(start, int(arg))
        trace.append(TraceStep(raw.isoformat(), _("%(n)s months counting the first day", n=arg)))
    elif kind == "months_eom":
        raw = add_months_eom(start, int(arg))
        trace.append(TraceStep(raw.isoformat(), _("end of month to end of month, %(n)s months", n=arg)))
    elif kind == "eom_anniv_years":
        raw = eom_anniversary(start, int(arg))
        trace.append(TraceStep(raw.isoformat(), _("last day of the month of the %(n)s-year anniversary", n=arg)))
    elif kind == "days":
        days = int(arg)
        if rule.rule_id == "R-US-ITC337-ANSWER" and temporary_relief:
            days, options["temporary_relief"] = 10, True
        raw = start + timedelta(days=days)
        trace.append(TraceStep(raw.isoformat(), _("%(n)s calendar days", n=days)))
    elif kind == "working_days":
        count = int(arg)
        if perishable:
            count, options["perishable"] = 3, True
        if cal is None:
            raise ValidationFailed(_("%(rule)s needs --office (the member state)", rule=rule.rule_id),
                                   field="office")
        raw = add_working_days(start, count, cal, trace)
        trace.append(TraceStep(raw.isoformat(), _("%(n)s working days of %(office)s", n=count, office=cal.office)))
    elif kind == "hours":
        at = trigger if isinstance(trigger, datetime) else datetime.combine(start, datetime.min.time())
        raw = at + timedelta(hours=int(arg))
        trace.append(TraceStep(raw.isoformat(timespec="minutes"), _("%(n)s hours", n=arg)))
        return DeadlineResult(rule, office_code, start, raw, raw, False, trace, options)
    else:  # pragma: no cover - rules.csv is validated by tests
        raise ValidationFailed(f"unknown computation {rule.computation}", field="computation")
    assert isinstance(raw, date)
    due = raw
    if rule.roll == "office" and cal is not None:
        due = _roll(raw, cal, trace)
    provisional = bool(cal is not None and due > cal.known_until)
    if cal is not None:
        trace.append(TraceStep(due.isoformat(), _("due (calendar: %(basis)s)", basis=cal.basis)))
    else:
        trace.append(TraceStep(due.isoformat(), _("due (no non-working-day roll)")))
    if provisional:
        trace.append(TraceStep(cal.known_until.isoformat() if cal else "",
                               _("provisional: the office calendar is known only until this date")))
    return DeadlineResult(rule, office_code, start, raw, due, provisional, trace, options)


def recompute(result: DeadlineResult, *, today: date | None = None) -> DeadlineResult:
    """The same deadline on the current calendars (after closed dates were loaded)."""
    return compute(result.rule.rule_id, result.trigger, result.office,
                   temporary_relief=bool(result.options.get("temporary_relief")),
                   perishable=bool(result.options.get("perishable")), today=today)


class _WeekendOnly(OfficeCalendar):
    """A naive calendar that knows weekends only (what most calculators use; for comparison)."""

    def __init__(self) -> None:
        super().__init__("weekend", "", None, date.max)

    @property
    def basis(self) -> str:
        return _("weekends only")

    def info(self, day: date):  # type: ignore[no-untyped-def]
        from fenghuo.deadlines.calendars import DayInfo

        return DayInfo(day, day.weekday() < 5, "" if day.weekday() < 5 else _("weekend"))


def apply_computation(start: date, computation: str, roll: str = "none") -> tuple[date, list[TraceStep]]:
    """A named computation on its own (``months:30``, ``months_minus1:3``, ``eom_anniv_years:2``, …) with a
    roll of ``none``, ``weekend`` or an office code — what computation-vectors-dev.csv exercises."""
    kind, _sep, arg = computation.partition(":")
    functions = {"months": add_months, "months_minus1": add_months_count_first_day, "months_eom": add_months_eom,
                 "eom_anniv_years": eom_anniversary}
    trace: list[TraceStep] = []
    if kind == "days":
        raw = start + timedelta(days=int(arg))
    elif kind in functions:
        raw = functions[kind](start, int(arg))
    else:
        raise ValidationFailed(_("unknown computation %(name)s", name=computation), field="computation")
    trace.append(TraceStep(raw.isoformat(), computation))
    if roll == "none":
        return raw, trace
    cal = _WeekendOnly() if roll == "weekend" else calendar_for(roll)
    return _roll(raw, cal, trace), trace
