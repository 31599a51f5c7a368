"""Filing docket objects of organisation A (a saved plan and one of its deadlines)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fenghuo.core.db import session_scope
from tests.webkit import World

#: Route planning and PPH checks compute on public reference data only.
PUBLIC_DATA_PREFIXES = ("/api/v1/filing/pph/",)


def objects(world: World, third_org_id: int) -> dict[str, Any]:
    from fenghuo.filing.application import make_application
    from fenghuo.filing.docket import list_entries, save_plan

    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        app = make_application("invention", "2026-03-02", title="ALPHA-SECRET-MARK invention")
        record = save_plan(s, world.a.org_id, app, ["US", "JP"], date(2026, 3, 10), title="ALPHA-SECRET-MARK plan")
        entry = list_entries(s, plan_id=record.id)[0]
        return {"plan_id": record.id, "entry_id": entry.id}
