"""Demo trademark data (invented, labelled "(demo)"): a small register with squatting-like
filings, two enterprise portfolios, a trade fair, a distributor, and a first watch run — so the
early-warning pages have something to show after ``make demo``."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from fenghuo.core.db import session_scope
from fenghuo.tm.ingest import ingest_paths
from fenghuo.tm.models import BusinessRelationship, TradeFair
from fenghuo.tm.portfolio import import_marks
from fenghuo.tm.portfolio_csv import read_portfolio
from fenghuo.tm.runs import run_for_org
from fenghuo.tm.squatters import relationship_key

DEMO_FAIR = "Demo Consumer Electronics Fair (demo)"


def _data(name: str) -> Path:
    return Path(str(resources.files("fenghuo.tm") / "data" / "demo" / name))


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
