"""Sizes of everything Fenghuo reads from outside: fields, records, archives, bodies.

Why one module: a cap written next to each parser drifts (one reader caps 10 MB, the next
forgets). Every reader asks here, and an operator can raise a cap for one installation with
an environment variable ``FENGHUO_LIMIT_<NAME>`` (for example
``FENGHUO_LIMIT_ARCHIVE_MEMBER_BYTES=4294967296`` for a register's 3 GB full dump) without a
code change. Tests lower a cap the same way (``monkeypatch.setenv``) to prove it small.

Two kinds of sizes live here:

* **Column lengths** (``MARK_CHARS``, ``NAME_CHARS``, …) are constants: the database columns
  have these widths, so the Pydantic schemas, the forms and the CSV importers declare them as
  ``max_length`` and reject longer text with a message naming the field, instead of the
  database refusing the row (a 500) or, on SQLite, silently storing it.
* **Input caps** (:class:`Limits`) bound work and memory per request or per file; they are
  read at call time by :func:`limits`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

# --- ids -------------------------------------------------------------------------------------
#: The largest primary key accepted from outside: PostgreSQL ``integer`` (the id columns), and
#: far below SQLite's 2^63 so a crafted id is a clean 404/422 on both.
DB_ID_MAX = 2_147_483_647

# --- column lengths (characters) -------------------------------------------------------------
MARK_CHARS = 500          # a watched mark, a register's mark text (tm_watched_mark.mark)
MARK_ID_CHARS = 100       # the organisation's own reference for a watched mark
NAME_CHARS = 500          # party / owner / applicant names
SHORT_NAME_CHARS = 300    # counterparts, fairs, complainants
TITLE_CHARS = 500         # case, event, plan, task titles
NUMBER_CHARS = 120        # case and event numbers
FORUM_CHARS = 200
DESCRIPTION_CHARS = 20_000  # free text (notes, summaries, descriptions)
ALIAS_CHARS = 500         # one alias of a watched mark (as long as a mark)
ALIASES_MAX = 100         # how many aliases one mark may carry
VARIANT_CHARS = 1_000     # one variant (a romanisation of a 500-character mark is longer than it)
VARIANT_NOTE_CHARS = 500
LIST_ITEMS_MAX = 1_000     # entries of one list in an imported record (parties, rights, stores)


@dataclass(frozen=True)
class Limits:
    """Caps on input size. Defaults fit every real register file and upload seen so far."""

    # register files (tm ingest / watch)
    record_field_chars: int = 1_000_000
    """Any one text of a register record while parsing (EUIPO goods lists reach 114,000)."""
    record_bytes: int = 16 * 1024 * 1024
    """One record's text in total (all fields summed; the largest real EUIPO record is ~3 MB)."""
    register_mark_chars: int = 2_000
    """One verbal element (the mark itself) of a register record."""
    register_name_chars: int = 2_000
    """One party name (applicant, representative) of a register record."""
    archive_member_bytes: int = 2 * 1024 * 1024 * 1024
    """One member of a zip (declared and actually read): real EUIPO monthly dumps are ~1 GB."""
    archive_members: int = 100_000
    """Members of one archive."""
    archive_depth: int = 2
    """Zips inside zips: a register dump is at most a zip of zips."""
    # imports (CSV / JSON)
    csv_field_chars: int = 10_000
    """One CSV cell (dispute events, TM portfolio)."""
    csv_rows: int = 100_000
    json_depth: int = 32
    """Nesting of an imported JSON document (dispute events are two levels deep)."""
    # HTTP
    request_body_bytes: int = 1 * 1024 * 1024
    """Any request body not on an upload route (forms, JSON)."""
    upload_body_bytes: int = 25 * 1024 * 1024
    """A request body on an upload route (file + form overhead), see web.app.UPLOAD_ROUTES."""


def limits() -> Limits:
    """The caps of this process: defaults, overridden by ``FENGHUO_LIMIT_<NAME>`` (bytes/chars).

    Read at call time (not cached) so a test or a long-running worker sees the environment
    as it is now. A malformed override is ignored rather than taking the process down.
    """
    overrides: dict[str, int] = {}
    for f in fields(Limits):
        raw = os.environ.get(f"FENGHUO_LIMIT_{f.name.upper()}")
        if raw is None:
            continue
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            continue
        if value > 0:
            overrides[f.name] = value
    return Limits(**overrides)
