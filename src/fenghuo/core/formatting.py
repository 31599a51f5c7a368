"""Dates, times, numbers, money and day counts written as a person of the locale writes them (Babel).

Why here and not in templates: pages, PDFs, CSV/XLSX exports and e-mails show the same values;
each used to print ``isoformat()`` or ``500000.00``. Every function takes an explicit ``locale``
(default: the current one, see :mod:`fenghuo.core.i18n`) and date-times a time zone: the user's
when one is known, else Asia/Shanghai for Chinese and UTC for English.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

from fenghuo.core import i18n
from fenghuo.core.i18n import N_

DEFAULT_TIMEZONES = {"zh_CN": "Asia/Shanghai", "en": "UTC"}

#: The signed-in user's time zone for this request, when the user has chosen one.
_user_timezone: ContextVar[str] = ContextVar("fenghuo_timezone", default="")


def set_timezone(name: str | None) -> object:
    """Use ``name`` (an IANA zone) for this context's date-times; returns a token for :func:`reset_timezone`."""
    return _user_timezone.set(name or "")


def reset_timezone(token: object) -> None:
    _user_timezone.reset(token)  # type: ignore[arg-type]


def _locale(locale: str | None) -> str:
    return i18n.normalize_locale(locale) if locale else i18n.get_locale()


def _babel(locale: str) -> str:
    return "zh_Hans_CN" if locale == "zh_CN" else "en_GB"


def timezone_for(locale: str | None = None, tz: str | None = None) -> ZoneInfo:
    """The zone date-times are shown in: ``tz``, else the user's, else the locale's default."""
    name = tz or _user_timezone.get() or DEFAULT_TIMEZONES.get(_locale(locale), "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def fmt_date(value: object, locale: str | None = None, format: str = "medium") -> str:  # noqa: A002
    """``2026-12-02`` → "2 Dec 2026" / "2026年12月2日"; text that is not a date is returned as it is."""
    if isinstance(value, datetime):
        value = _localise(value, locale, None)
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return format_date(day, format=format, locale=_babel(_locale(locale)))


def _localise(value: datetime, locale: str | None, tz: str | None) -> datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # stored in UTC
    return aware.astimezone(timezone_for(locale, tz))


def fmt_datetime(value: object, locale: str | None = None, tz: str | None = None) -> str:
    """A stored (UTC) date-time in the reader's zone: "2 Dec 2026, 15:16" / "2026年12月2日 15:16"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
    if not isinstance(value, datetime):
        return fmt_date(value, locale)
    loc = _locale(locale)
    local = _localise(value, loc, tz)
    day = format_date(local.date(), format="medium", locale=_babel(loc))
    clock = format_time(local.timetz(), format="HH:mm", locale=_babel(loc))
    return f"{day} {clock}" if loc == "zh_CN" else f"{day}, {clock}"


def _number(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def fmt_number(value: object, locale: str | None = None, digits: int | None = None) -> str:
    """Thousands separators and the locale's decimal sign; ``digits`` fixes the decimals."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    fmt = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(number, format=fmt, locale=_babel(_locale(locale)))


def fmt_money(amount: object, currency: str | None, locale: str | None = None) -> str:
    """``500000.00 CNY`` → "¥500,000.00" (zh) / "CN¥500,000.00" (en); whole amounts keep no cents."""
    number = _number(amount)
    if number is None:
        return "" if amount is None else str(amount)
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        return f"{fmt_number(number, locale)} {currency or ''}".strip()
    fmt = "¤#,##0" if number == number.to_integral_value() else None
    return format_currency(number, code, format=fmt, locale=_babel(_locale(locale)), currency_digits=fmt is None)


def _today(today: object) -> date:
    return _as_date(today) or date.today()


def days_between(target: object, today: object = None) -> int | None:
    day = _as_date(target)
    if day is None:
        return None
    return (day - _today(today)).days


def relative_days(target: object, today: object = None, locale: str | None = None) -> str:
    """"12 days left" / "还剩 12 天", "due today" / "今天到期", "3 days ago" / "已过 3 天"."""
    n = days_between(target, today)
    if n is None:
        return ""
    tr = i18n.translations(_locale(locale)).gettext
    if n == 0:
        return str(tr(N_("due today")))
    if n == 1:
        return str(tr(N_("1 day left")))
    if n > 1:
        return str(tr(N_("%(n)s days left"))) % {"n": n}
    if n == -1:
        return str(tr(N_("1 day ago")))
    return str(tr(N_("%(n)s days ago"))) % {"n": -n}


def deadline_text(due: object, today: object = None, locale: str | None = None) -> str:
    """A deadline in words: "by 2 Dec 2026 (12 days left)", or "window closed on 4 Aug 2020"."""
    day = _as_date(due)
    if day is None:
        return ""
    tr = i18n.translations(_locale(locale)).gettext
    shown = fmt_date(day, locale)
    if day < _today(today):
        return str(tr(N_("window closed on %(date)s"))) % {"date": shown}
    return str(tr(N_("by %(date)s (%(left)s)"))) % {"date": shown, "left": relative_days(day, today, locale)}
