"""Which regional systems a state belongs to and whether its national route is open.

Why derived from the PCT Applicant's Guide national chapters (``data/offices.csv``): they are the
one source that states, per office, "European: patents", "ARIPO: …", "national route closed (via
OA)". The planner uses this to add regional routes (EP, EA, ARIPO, OAPI, EP validation).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
REGIONAL_OFFICES = ("EP", "EA", "AP", "OA")


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    systems: tuple[str, ...]
    national_route_closed: bool
    via: str
    utility_model: str
    source: str
    as_of: str


@lru_cache(maxsize=1)
def _offices() -> dict[str, OfficeInfo]:
    with (DATA / "offices.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return {r["code"]: OfficeInfo(r["code"], tuple(s for s in r["systems"].split(";") if s),
                                  r["national_route_closed"] == "true", r["via"], r["utility_model"], r["source"],
                                  r["as_of"]) for r in rows}


def office_info(code: str) -> OfficeInfo | None:
    return _offices().get(code.upper())


def regional_systems(code: str) -> tuple[str, ...]:
    """``DE`` → ``("EP",)``; ``RU`` → ``("EA",)``; ``BF`` → ``("OA",)``; ``MA`` → ``("EP-validation",)``."""
    info = office_info(code)
    return info.systems if info else ()
