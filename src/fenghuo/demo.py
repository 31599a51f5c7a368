"""Demo data for ``fenghuo demo`` / ``make demo``: invented organisations, users and marks.

Everything here is made up for the demo and labelled so (names end in "(Demo)" / "（演示）").
Loading is idempotent: running the demo twice changes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from fenghuo.core.models import Organisation, OrgKind, Role, User

DEMO_PASSWORD = "demo-password-1"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    organisation: str
    role: str


@dataclass
class DemoSummary:
    logins: list[DemoLogin] = field(default_factory=list)
    organisations: dict[str, int] = field(default_factory=dict)
    #: The shared register sample: ``fenghuo.tm.demo.SharedSample`` (None when not asked for).
    shared: Any = None


DEMO_ORGS: tuple[tuple[str, OrgKind, str | None, str | None], ...] = (
    ("Shenzhen Beacon Electronics Co., Ltd. (Demo) 深圳烽燧电子（演示）", OrgKind.ENTERPRISE, None, "Guangdong"),
    ("Ningbo Jade Rabbit Foods Co., Ltd. (Demo) 宁波玉兔食品（演示）", OrgKind.ENTERPRISE, None, "Zhejiang"),
    (
        "Overseas IP Dispute Guidance Centre (Demo) 海外知识产权纠纷应对指导中心（演示）",
        OrgKind.GUIDANCE_CENTRE,
        None,
        None,
    ),
    ("Guangdong Branch (Demo) 广东分中心（演示）", OrgKind.GUIDANCE_CENTRE, "centre", "Guangdong"),
    ("Canton Fair IP Service Station (Demo) 广交会知识产权服务站（演示）", OrgKind.EXHIBITION_STATION, None, None),
    ("Beacon Mutual Insurance (Demo) 烽火保险（演示）", OrgKind.INSURER, None, None),
    ("IP Plan Office (Demo) 规划实施办公室（演示）", OrgKind.ADMINISTRATION, None, None),
)

DEMO_USERS: tuple[tuple[str, int, Role, str], ...] = (
    ("admin@demo.fenghuo.test", 0, Role.ADMIN, "en"),
    ("analyst@demo.fenghuo.test", 0, Role.MEMBER, "zh_CN"),
    ("foods@demo.fenghuo.test", 1, Role.ADMIN, "zh_CN"),
    ("centre@demo.fenghuo.test", 2, Role.ADMIN, "zh_CN"),
    ("branch@demo.fenghuo.test", 3, Role.MEMBER, "zh_CN"),
    ("station@demo.fenghuo.test", 4, Role.ADMIN, "en"),
    ("insurer@demo.fenghuo.test", 5, Role.ADMIN, "en"),
    ("plans@demo.fenghuo.test", 6, Role.ADMIN, "zh_CN"),
)

PLATFORM_ADMIN = "platform@demo.fenghuo.test"

#: Domain modules append loaders ``(session, summary) -> None`` for their own demo data.
DEMO_LOADERS: list[Callable[[Session, DemoSummary], None]] = []

#: Domain demo modules, each with ``load_demo(organisations: dict[str, int]) -> None`` (run after the
#: organisations are committed, so they may use their own sessions).
DEMO_MODULES: tuple[str, ...] = ("fenghuo.tm.demo", "fenghuo.disputes.demo", "fenghuo.filing.demo",
                                 "fenghuo.policy.demo")


def _ensure_org(session: Session, name: str, kind: OrgKind, parent_id: int | None, region: str | None) -> int:
    existing = session.scalar(select(Organisation).where(Organisation.name == name))
    if existing is not None:
        return existing.id
    return orgs.create_organisation(session, name, kind, parent_id=parent_id, region=region).id


def _ensure_user(session: Session, email: str, locale: str, platform_admin: bool = False) -> User:
    existing = session.scalar(select(User).where(User.email == email))
    if existing is not None:
        return existing
    return orgs.create_user(session, email, DEMO_PASSWORD, locale=locale, platform_admin=platform_admin)


def load_demo(*, shared_sample: bool = True, progress: Callable[[int], None] | None = None) -> DemoSummary:
    """Create the demo organisations, users and domain data; with ``shared_sample``, first ingest the
    shared EUIPO/ST.66 register sample (when present) so the demo watch finds real conflicts."""
    summary = DemoSummary()
    with session_scope(org_id=None, platform_admin=True, actor_label="demo") as session:
        ids: list[int] = []
        for name, kind, parent, region in DEMO_ORGS:
            parent_id = ids[2] if parent == "centre" else None
            ids.append(_ensure_org(session, name, kind, parent_id, region))
            summary.organisations[name] = ids[-1]
        for email, org_index, role, locale in DEMO_USERS:
            user = _ensure_user(session, email, locale)
            orgs.add_member(session, ids[org_index], user.id, role)
            summary.logins.append(DemoLogin(email, DEMO_PASSWORD, DEMO_ORGS[org_index][0], role.value))
        _ensure_user(session, PLATFORM_ADMIN, "en", platform_admin=True)
        summary.logins.append(DemoLogin(PLATFORM_ADMIN, DEMO_PASSWORD, "platform", "platform admin"))
        for loader in DEMO_LOADERS:
            loader(session, summary)
    if shared_sample:
        from fenghuo.tm.demo import load_shared_sample

        summary.shared = load_shared_sample(progress=progress)
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a domain without demo data yet
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        module.load_demo(summary.organisations)
    return summary
