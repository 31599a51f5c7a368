"""Office calendars: which days an office is closed, and until when that is known.

Weekends and public holidays come from the ``holidays`` package for the office's seat; China
uses ``chinese-calendar``, which knows the make-up working Saturdays (调休: 2026-02-14 and
2026-02-28 are working days) that weekend-only calculators get wrong. Regional and international
offices use their seat's holidays (EPO: Munich, EUIPO: Alicante, WIPO: Geneva) — the trace says
so. Closed-date lists in the form WIPO publishes ("office, date, reason") can be loaded into
``$FENGHUO_HOME/calendars/``; each calendar has a "known until" date, and a deadline beyond it
is provisional.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays as holidays_lib

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.settings import get_settings

#: Office code → (country, subdivision) whose public holidays the office observes.
SEATS: dict[str, tuple[str, str | None]] = {
    "EP": ("DE", "BY"), "DE": ("DE", None), "EM": ("ES", "VC"), "EU": ("ES", "VC"), "WO": ("CH", "GE"),
    "IB": ("CH", "GE"), "BX": ("NL", None), "EA": ("RU", None), "OA": ("CM", None), "AP": ("ZW", None),
    "GC": ("SA", None),
}
#: How far ahead the holiday data is trusted. Libraries list rule-based holidays for later years
#: before governments publish them, so we trust them only to the end of next year.
HOLIDAYS_HORIZON_YEARS = 1
CN_KNOWN_FROM = date(2004, 1, 1)
CN_KNOWN_UNTIL = date(2026, 12, 31)  # chinese-calendar 1.11 covers 2004–2026


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    reason: str = ""  # "weekend", a holiday name, "closed: …" or "make-up working day: …"


@dataclass
class OfficeCalendar:
    office: str
    country: str
    subdivision: str | None
    known_until: date
    closed: dict[date, str] = field(default_factory=dict)  # loaded closed-date lists
    opened: dict[date, str] = field(default_factory=dict)  # make-up working days

    @property
    def basis(self) -> str:
        if self.office == "CN":
            return _("China's official holiday schedule including make-up working days (chinese-calendar)")
        seat = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        if seat.split("-")[0] != self.office:
            return _("public holidays of the office's seat (%(seat)s) plus loaded closed dates", seat=seat)
        return _("public holidays of %(seat)s plus loaded closed dates", seat=seat)

    def info(self, day: date) -> DayInfo:
        if day in self.closed:
            return DayInfo(day, False, _("closed: %(reason)s", reason=self.closed[day]))
        if day in self.opened:
            return DayInfo(day, True, self.opened[day])
        if self.office == "CN" and CN_KNOWN_FROM <= day <= CN_KNOWN_UNTIL:
            import chinese_calendar

            working = chinese_calendar.is_workday(day)
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            if working and day.weekday() >= 5:
                return DayInfo(day, True, _("make-up working day (调休)"))
            if not working:
                return DayInfo(day, False, str(name) if is_holiday and name else _("weekend"))
            return DayInfo(day, True)
        if day.weekday() >= 5:
            return DayInfo(day, False, _("weekend"))
        name = _holidays(self.country, self.subdivision, day.year).get(day)
        if name:
            return DayInfo(day, False, f"{name} ({self.country})")
        return DayInfo(day, True)

    def is_working_day(self, day: date) -> bool:
        return self.info(day).working


@lru_cache(maxsize=256)
def _holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    try:
        table = holidays_lib.country_holidays(country, subdiv=subdivision, years=year, language="en_US")
    except (NotImplementedError, KeyError):
        try:
            table = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
        except (NotImplementedError, KeyError):
            return {}
    return dict(table.items())


def calendars_dir() -> Path:
    return get_settings().home / "calendars"


def load_closed_dates(office: str, path: Path) -> int:
    """Install a closed-dates list (CSV ``office,date,reason``, the form WIPO publishes) for an office.

    Dates are merged into ``$FENGHUO_HOME/calendars/<OFFICE>.csv``; the calendar is then known up
    to the last date of the list (or the end of its last year). Returns the number of dates loaded.
    """
    office = office.upper()
    rows: list[tuple[date, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if (row.get("office") or office).strip().upper() != office:
                continue
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                raise ValidationFailed(_("not a date: %(value)s", value=row.get("date")), field="date",
                                       record=f"line {line}") from None
            rows.append((day, (row.get("reason") or "closed").strip()))
    target = calendars_dir() / f"{office}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    existing: dict[date, str] = {}
    if target.exists():
        existing = dict(_read_closed(target))
    existing.update(rows)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["office", "date", "reason"])
        for day, reason in sorted(existing.items()):
            writer.writerow([office, day.isoformat(), reason])
    return len(rows)


def _read_closed(path: Path) -> list[tuple[date, str]]:
    with path.open(encoding="utf-8") as fh:
        return [(date.fromisoformat(r["date"]), r.get("reason") or "closed") for r in csv.DictReader(fh)]


def calendar_for(office: str, *, today: date | None = None) -> OfficeCalendar:
    """The calendar of an office (ST.3 code); unknown codes are a validation error."""
    office = office.strip().upper()
    country, subdivision = SEATS.get(office, (office, None))
    if office != "CN" and not _holidays_supported(country):
        raise ValidationFailed(_("no holiday calendar for office %(office)s", office=office), field="office")
    today = today or date.today()
    known = CN_KNOWN_UNTIL if office == "CN" else date(today.year + HOLIDAYS_HORIZON_YEARS, 12, 31)
    cal = OfficeCalendar(office, country, subdivision, known)
    path = calendars_dir() / f"{office}.csv"
    if path.exists():
        closed = _read_closed(path)
        cal.closed = dict(closed)
        if closed:
            last = max(d for d, _r in closed)
            cal.known_until = max(cal.known_until, date(last.year, 12, 31))
    return cal


@lru_cache(maxsize=512)
def _holidays_supported(country: str) -> bool:
    return country in holidays_lib.list_supported_countries()
