"""Parameter types shared by the API routes.

Pydantic's lax mode reads ``0`` or ``1.5`` as a date (seconds since 1970), so a query such as
``?until=0`` was silently taken as 1970-01-01 instead of being refused: the API accepted input
its own OpenAPI document declares invalid. :data:`IsoDate` accepts only ``YYYY-MM-DD`` (or a
``date`` object from Python callers).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")


def _iso_datetime_only(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        return value
    raise ValueError("expected a date-time written YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]")


#: A date-time given as RFC 3339 / ISO 8601 text, never as a number of seconds.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime_only)]
