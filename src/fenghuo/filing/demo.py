"""Demo docket: invented filing plans labelled "(demo)" for the demo enterprises.

Idempotent: a plan with the same title in the same organisation is not added twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fenghuo.core.db import session_scope
from fenghuo.filing.application import make_application
from fenghuo.filing.docket import save_plan
from fenghuo.filing.models import FilingPlanRecord

#: (organisation name prefix, title, type, filed, targets, PCT number, PCT filing date)
DEMO_PLANS: tuple[tuple[str, str, str, str, list[str], str | None, str | None], ...] = (
    ("Shenzhen Beacon Electronics", "Wireless charger CN202610000001 (demo)", "invention", "2026-03-02",
     ["US", "EP", "JP", "SA", "BR"], "PCT/CN2026/000123", "2026-09-01"),
    ("Shenzhen Beacon Electronics", "Charger housing design (demo)", "design", "2026-06-15", ["US", "JP", "EM"],
     None, None),
    ("Ningbo Jade Rabbit Foods", "JADE RABBIT word mark (demo)", "trademark", "2026-07-01",
     ["US", "SA", "BR", "EM"], None, None),
)


def load_demo(organisations: dict[str, int]) -> None:
    for prefix, title, kind, filed, targets, pct, pct_filed in DEMO_PLANS:
        org_id = next((oid for name, oid in organisations.items() if name.startswith(prefix)), None)
        if org_id is None:
            continue
        with session_scope(org_id=org_id, actor_label="demo") as session:
            exists = session.scalar(select(FilingPlanRecord).where(FilingPlanRecord.title == title))
            if exists is not None:
                continue
            app = make_application(kind, filed, pct_number=pct, pct_filed=pct_filed, title=title)
            save_plan(session, org_id, app, targets, max(date.fromisoformat(filed), date(2026, 9, 1)), title=title,
                      reminder_email="ip@demo.fenghuo.test")
