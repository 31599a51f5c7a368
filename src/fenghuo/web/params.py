"""Shared request parameter types.

Why: an id of 99999999999999999999999 in a path, query, form or body used to reach the
database and fail there (``OverflowError`` on SQLite past 2^63, ``NumericValueOutOfRange`` on
PostgreSQL past 2^31) — a 500. Declaring the bounds once here makes every route answer a
422 naming the parameter before any query runs. ``web.app`` keeps a safety net for any id
that slips past (a 404/422 problem, never a 500).

Dates: Pydantic's lax mode reads ``0`` or ``1.5`` as a date (seconds since 1970), so a query
such as ``?until=0`` was silently taken as 1970-01-01 instead of being refused — the API
accepted input its own OpenAPI document declares invalid. :data:`IsoDate` and
:data:`IsoDateTime` accept only ISO 8601 text (or ``date``/``datetime`` objects from Python).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Form, Path, Query
from pydantic import BeforeValidator, Field

from fenghuo.core.limits import DB_ID_MAX

#: An id in the URL path (``/cases/{case_id}``).
DbId = Annotated[int, Path(ge=1, le=DB_ID_MAX)]
#: An optional id in the query string (``?watched_mark_id=…``).
QueryId = Annotated[int | None, Query(ge=1, le=DB_ID_MAX)]
#: A required id in a posted form.
FormId = Annotated[int, Form(ge=1, le=DB_ID_MAX)]
#: An id inside a JSON body model (``other_case_id: BodyId``).
BodyId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]

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


def only(*values: str) -> str:
    """A ``pattern`` that admits exactly ``values`` — for query filters the domain code would
    otherwise take as "matches nothing" (an unknown state answering an empty list instead of a
    422 that names the parameter)."""
    return "^(" + "|".join(re.escape(v) for v in values) + ")$"


#: The language of a report or export (``?lang=``): only the two the catalogues hold.
ReportLang = Annotated[str, Query(pattern=only("en", "zh_CN"), json_schema_extra=one_of("en", "zh_CN"))]
