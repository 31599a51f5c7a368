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


def one_of(*values: str | None) -> dict[str, Any]:
    """``json_schema_extra`` listing the only values a text field accepts.

    The route still checks the value itself (with its translated message naming the field); the
    list is there so that the OpenAPI document says what is valid, and clients (and Schemathesis)
    do not send values the schema allows but the API refuses. ``None`` in ``values`` keeps an
    optional field's null valid.
    """
    return {"enum": list(values)}


def shareable_tables() -> list[str]:
    """Table names a grant may name: every organisation-owned table."""
    import fenghuo.models_registry  # noqa: F401  (every table registered)
    from fenghuo.core.models import Base, TenantScoped

    return sorted({m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, TenantScoped)})
