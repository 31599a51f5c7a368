"""Trademark early-warning objects of organisation A."""

from __future__ import annotations

from datetime import date
from typing import Any

from fenghuo.core import grants
from fenghuo.core.db import session_scope
from tests.webkit import World

PUBLIC_DATA_PREFIXES = ("/api/v1/tm/register", "/api/v1/tm/quarantine")


def objects(world: World, third_org_id: int) -> dict[str, Any]:
    from fenghuo.tm.models import Alert, BusinessRelationship, NotificationChannel, RegisterMark, WatchedMark, WatchRun

    with session_scope(org_id=None, platform_admin=True) as s:
        register = RegisterMark(global_id="EM:SECRET1", office="EM", application_number="SECRET1",
                                mark_text="ALPHA-SECRET-MARK", record={}, content_hash="x",
                                applicant_name="Public Applicant", applicant_key="PUBLIC APPLICANT")
        s.add(register)
        s.flush()
        register_id = register.id
    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        mark = WatchedMark(mark_id="ALPHA-1", mark="ALPHA-SECRET-MARK", classes=[9])
        run = WatchRun()
        rel = BusinessRelationship(counterpart_name="Alpha Distributor", counterpart_key="alpha distributor")
        channel = NotificationChannel(kind="webhook", target="https://alpha.example/ALPHA-SECRET-MARK")
        s.add_all([mark, run, rel, channel])
        s.flush()
        alert = Alert(watched_mark_id=mark.id, register_mark_id=register_id, score=90, level="high",
                      deadline=date(2030, 1, 1))
        s.add(alert)
        s.flush()
        grant = grants.grant(s, mark, third_org_id)
        return {"mark_id": mark.id, "watched_mark_id": mark.id, "alert_id": alert.id, "run_id": run.id,
                "relationship_id": rel.id, "grant_id": grant.id, "channel_id": channel.id,
                "applicant_key": "PUBLIC APPLICANT", "register_id": register_id}
