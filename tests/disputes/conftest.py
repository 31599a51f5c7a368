"""A small dispute world: a centre and its Zhejiang branch, two enterprises with registered
identities, a fair station, an insurer and an administration, each with an admin user."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fenghuo.core import orgs
from fenghuo.core.db import session_scope

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class DisputeWorld:
    org: dict[str, int] = field(default_factory=dict)
    user: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def dw(db_engine: Engine) -> DisputeWorld:
    from fenghuo.disputes.routing import save_identity

    out = DisputeWorld()
    with session_scope(org_id=None, platform_admin=True) as s:
        centre = orgs.create_organisation(s, "Guidance Centre", "guidance_centre")
        specs = [
            ("centre", centre.id),
            ("branch", orgs.create_organisation(s, "Zhejiang Branch", "guidance_centre", parent_id=centre.id,
                                                region="Zhejiang").id),
            ("gd_branch", orgs.create_organisation(s, "Guangdong Branch", "guidance_centre", parent_id=centre.id,
                                                   region="Guangdong").id),
            ("loctek", orgs.create_organisation(s, "宁波乐歌人体工学科技股份有限公司", "enterprise", region="Zhejiang",
                                                industry="furniture").id),
            ("beacon", orgs.create_organisation(s, "深圳烽燧电子有限公司", "enterprise", region="Guangdong").id),
            ("station", orgs.create_organisation(s, "Canton Fair Station", "exhibition_station").id),
            ("insurer", orgs.create_organisation(s, "Mutual Insurer", "insurer").id),
            ("insurer2", orgs.create_organisation(s, "Other Insurer", "insurer").id),
            ("admin", orgs.create_organisation(s, "Plan Office", "administration").id),
        ]
        for key, org_id in specs:
            out.org[key] = org_id
            user = orgs.create_user(s, f"{key}@example.com", "correct-horse-battery")
            orgs.add_member(s, org_id, user.id, "admin")
            out.user[key] = user.id
    with session_scope(org_id=out.org["loctek"], user_id=out.user["loctek"]) as s:
        save_identity(s, names=[], aliases=["Loctek"], uscc=None, lei=None, marks=["FlexiSpot"], products=[])
    with session_scope(org_id=out.org["beacon"], user_id=out.user["beacon"]) as s:
        save_identity(s, names=["Shenzhen Beacon Electronics Co., Ltd."], aliases=[], uscc=None, lei=None,
                      marks=[], products=[])
    return out
