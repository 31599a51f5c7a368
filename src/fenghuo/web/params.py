"""Shared request parameter types.

Why: an id of 99999999999999999999999 in a path, query, form or body used to reach the
database and fail there (``OverflowError`` on SQLite past 2^63, ``NumericValueOutOfRange`` on
PostgreSQL past 2^31) — a 500. Declaring the bounds once here makes every route answer a
422 naming the parameter before any query runs. ``web.app`` keeps a safety net for any id
that slips past (a 404/422 problem, never a 500).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query
from pydantic import Field

from fenghuo.core.limits import DB_ID_MAX

#: An id in the URL path (``/cases/{case_id}``).
DbId = Annotated[int, Path(ge=1, le=DB_ID_MAX)]
#: An optional id in the query string (``?watched_mark_id=…``).
QueryId = Annotated[int | None, Query(ge=1, le=DB_ID_MAX)]
#: A required id in a posted form.
FormId = Annotated[int, Form(ge=1, le=DB_ID_MAX)]
#: An id inside a JSON body model (``other_case_id: BodyId``).
BodyId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]
