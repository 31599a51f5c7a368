"""The Chinese application a plan starts from, validated once so every route can trust it.

Why a separate module: the CLI, the API, the pages and the docket all accept the same input, and
each must answer bad input naming the record and the field (an impossible combination such as a
design via PCT is caught here, not deep in the planner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from fenghuo.core.errors import NotFound, ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.reference import get_jurisdiction

RECORD = "application"
PCT_NUMBER = re.compile(r"^PCT/[A-Z]{2}\d{4}/\d{6}$")
MAX_TARGETS = 60


class AppType(StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"
    TRADEMARK = "trademark"

    @property
    def is_patent(self) -> bool:
        return self in (AppType.INVENTION, AppType.UTILITY_MODEL)


@dataclass(frozen=True)
class Application:
    """A Chinese first filing: type, dates, and the PCT or Madrid filing made from it, if any."""

    app_type: AppType
    filed: date
    priority: date | None = None
    pct_number: str | None = None
    pct_filed: date | None = None
    madrid_number: str | None = None
    madrid_date: date | None = None
    title: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def priority_date(self) -> date:
        """The earliest date: priority periods and PCT time limits run from it."""
        return min(self.priority, self.filed) if self.priority else self.filed

    def to_dict(self) -> dict[str, object]:
        return {"type": self.app_type.value, "filed": self.filed.isoformat(),
                "priority": self.priority.isoformat() if self.priority else None,
                "priority_date": self.priority_date.isoformat(), "pct_number": self.pct_number,
                "pct_filed": self.pct_filed.isoformat() if self.pct_filed else None,
                "madrid_number": self.madrid_number,
                "madrid_date": self.madrid_date.isoformat() if self.madrid_date else None, "title": self.title}


def parse_date(value: str | date | None, field_name: str, record: str = RECORD) -> date | None:
    """``YYYY-MM-DD`` → date; anything else is a ValidationFailed naming the field."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("%(value)s is not a date (YYYY-MM-DD)", value=text[:40]), field=field_name,
                               record=record) from None


def parse_type(value: str) -> AppType:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return AppType(key)
    except ValueError:
        raise ValidationFailed(_("unknown application type %(value)s (invention, utility_model, design, trademark)",
                                 value=value[:40]), field="type", record=RECORD) from None


def parse_targets(value: str | list[str]) -> list[str]:
    """``US,EP,SA`` → codes; unknown codes or duplicates are refused naming the code."""
    items = value.split(",") if isinstance(value, str) else list(value)
    codes: list[str] = []
    for raw in items:
        code = raw.strip().upper()
        if not code:
            continue
        if code == "CN":
            raise ValidationFailed(_("CN is the office of first filing, not a target"), field="targets", record=code)
        try:
            get_jurisdiction(code)
        except NotFound:
            raise ValidationFailed(_("unknown country or office code %(code)s", code=code), field="targets",
                                   record=code) from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationFailed(_("give at least one target country (e.g. US,EP,JP)"), field="targets", record=RECORD)
    if len(codes) > MAX_TARGETS:
        raise ValidationFailed(_("at most %(n)s targets", n=MAX_TARGETS), field="targets", record=RECORD)
    return codes


def make_application(
    app_type: str | AppType,
    filed: str | date | None,
    *,
    priority: str | date | None = None,
    pct_number: str | None = None,
    pct_filed: str | date | None = None,
    madrid_number: str | None = None,
    madrid_date: str | date | None = None,
    title: str = "",
) -> Application:
    """Validate the input of every entry point; impossible combinations are refused here."""
    kind = app_type if isinstance(app_type, AppType) else parse_type(app_type)
    filed_on = parse_date(filed, "filed")
    if filed_on is None:
        raise ValidationFailed(_("the Chinese filing date is required"), field="filed", record=RECORD)
    prio = parse_date(priority, "priority")
    if prio is not None and prio > filed_on:
        raise ValidationFailed(_("the priority date %(p)s is after the filing date %(f)s", p=prio.isoformat(),
                                 f=filed_on.isoformat()), field="priority", record=RECORD)
    pct_no = (pct_number or "").strip().upper() or None
    pct_on = parse_date(pct_filed, "pct_filed")
    mad_no = (madrid_number or "").strip() or None
    mad_on = parse_date(madrid_date, "madrid_date")
    if (pct_no or pct_on) and not kind.is_patent:
        raise ValidationFailed(_("a %(type)s cannot go through the PCT (PCT covers inventions and utility models; "
                                 "designs use Hague, trademarks Madrid)", type=kind.value), field="pct",
                               record=RECORD)
    if (mad_no or mad_on) and kind != AppType.TRADEMARK:
        raise ValidationFailed(_("only trademarks use the Madrid system (got %(type)s)", type=kind.value),
                               field="madrid", record=RECORD)
    if pct_no and not PCT_NUMBER.match(pct_no):
        raise ValidationFailed(_("%(value)s is not a PCT application number (PCT/CN2026/000123)", value=pct_no[:40]),
                               field="pct", record=RECORD)
    if bool(pct_no) != bool(pct_on):
        raise ValidationFailed(_("give both the PCT number and its international filing date"),
                               field="pct_filed" if pct_no else "pct", record=RECORD)
    if pct_on is not None and pct_on < filed_on and (prio is None or pct_on < prio):
        raise ValidationFailed(_("the PCT filing date is before the Chinese application it claims"),
                               field="pct_filed", record=RECORD)
    if mad_on is not None and mad_on < filed_on:
        raise ValidationFailed(_("the international registration date is before the basic application"),
                               field="madrid_date", record=RECORD)
    return Application(kind, filed_on, prio, pct_no, pct_on, mad_no, mad_on, title.strip()[:300])
