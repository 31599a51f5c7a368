"""Platform objects of organisation A: an invitation it sent (to nobody of organisation B)."""

from __future__ import annotations

from typing import Any

from fenghuo.core import invitations
from fenghuo.core.db import session_scope
from tests.webkit import World

#: The invitations waiting for the caller: only the caller's own.
CALLER_SCOPED = {("GET", "/api/v1/invitations")}


def objects(world: World, third_org_id: int) -> dict[str, Any]:
    with session_scope(org_id=None, platform_admin=True) as s:
        inv = invitations.invite(s, world.a.org_id, "alpha-recruit@example.com", "member",
                                 invited_by_user_id=world.a.admin_id, send=False)
        return {"invitation_id": inv.id}
