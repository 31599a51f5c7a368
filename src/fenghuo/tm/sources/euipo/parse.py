"""EUIPO trade mark XML (schema EM-TM-TradeMark-V3-4, the format of the ``CTMS_*.zip`` bulk files).

The schema is a profile of WIPO ST.66, so the element mapping is shared with
``fenghuo.tm.sources.st66``; EUIPO specifics: office EM, parties only by EUIPO key (names are in
separate applicant files), goods and services in every EU language, one publication per event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from fenghuo.tm.records import RecordError, RegisterRecord
from fenghuo.tm.sources.st66.parse import iter_records as _iter_st66

FORMAT = "euipo"
NAMESPACE = "http://euipo.europa.eu/trademark/data"


def iter_records(stream: str | IO[bytes], *, source: str | None = None) -> Iterator[RegisterRecord | RecordError]:
    yield from _iter_st66(stream, source=source, office="EM")
