"""Demo trademark data (invented, labelled "(demo)"): a small register with squatting-like
filings, two enterprise portfolios, a trade fair, a distributor, and a first watch run — so the
early-warning pages have something to show after ``make demo``.

When the shared sample is present (``$FENGHUO_SHARED/data/trademarks/``: 824 real EUIPO records and
the ST.66 samples), it is ingested into the demo register too, so the demo portfolios (chosen to
resemble real records there: 哨兵/WEBSENTRY, MONIREAL, HOOTAUDIO, 熊猫/PANDA, 家味/HOMETASTE) get real
alerts, not only alerts against invented marks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from fenghuo.core.db import session_scope
from fenghuo.core.settings import shared_dir
from fenghuo.tm.ingest import ingest_paths
from fenghuo.tm.models import BusinessRelationship, TradeFair
from fenghuo.tm.portfolio import import_marks
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.runs import run_for_org
from fenghuo.tm.squatters import relationship_key

DEMO_FAIR = "Demo Consumer Electronics Fair (demo)"

#: The shared sample registers, relative to ``$FENGHUO_SHARED`` (read-only; ingested, never copied).
SHARED_REGISTERS: tuple[str, ...] = ("data/trademarks/euipo-xml", "data/trademarks/st66-samples")


@dataclass
class SharedSample:
    """What :func:`load_shared_sample` found: the paths ingested and the counts, or the paths missing."""

    loaded: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    stored: int = 0
    quarantined: int = 0


def _data(name: str) -> Path:
    return Path(str(resources.files("fenghuo.tm") / "data" / "demo" / name))


def load_shared_sample(progress: Callable[[int], None] | None = None) -> SharedSample:
    """Ingest the shared EUIPO and ST.66 samples into the register when they are present.

    Idempotent (ingest upserts by global id); the caller reports ``missing`` so a user knows why
    only the invented register is there.
    """
    result = SharedSample()
    base = shared_dir()
    for rel in SHARED_REGISTERS:
        (result.loaded if (base / rel).is_dir() else result.missing).append(base / rel)
    if result.loaded:
        summary = ingest_paths(result.loaded, progress=progress)
        result.stored, result.quarantined = summary.stored, summary.quarantined
    return result


def load_demo(organisations: dict[str, int]) -> None:
    """Ingest the demo register, import portfolios, record a fair and a distributor, run the watch."""
    ingest_paths([_data("register.csv")])
    enterprises = [org_id for name, org_id in organisations.items() if "Beacon Electronics" in name or
                   "Jade Rabbit" in name]
    files = {"Beacon Electronics": "portfolio_beacon.csv", "Jade Rabbit": "portfolio_rabbit.csv"}
    for name, org_id in organisations.items():
        for key, file in files.items():
            if key in name:
                marks, _errors = read_portfolio(_data(file))
                with session_scope(org_id=org_id, actor_label="demo") as session:
                    import_marks(session, org_id, marks)
                    if key == "Jade Rabbit" and session.scalar(select(BusinessRelationship)) is None:
                        session.add(BusinessRelationship(
                            organisation_id=org_id, counterpart_name="Rabbit Snacks LLC (demo)",
                            counterpart_key=relationship_key("Rabbit Snacks LLC (demo)"), relation="distributor",
                            country="US", since=date(2024, 1, 1)))
    with session_scope(org_id=None, platform_admin=True, actor_label="demo") as session:
        if session.scalar(select(TradeFair).where(TradeFair.name == DEMO_FAIR)) is None:
            session.add(TradeFair(name=DEMO_FAIR, country="DE", city="Berlin", start_date=date(2026, 9, 1),
                                  end_date=date(2026, 9, 5)))
    for org_id in enterprises:
        run_for_org(org_id, workers=1)
