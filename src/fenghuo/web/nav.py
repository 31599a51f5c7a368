"""The main navigation, computed per caller from the same checks the routes apply.

Why here and not in the template: a link the account may not open (a 403) or that does not fit
its kind of organisation (trademark watching for an insurer) is a dead end. Each entry names the
check its route uses (``require_org``, ``require_org_admin``/``admin_home``, ``require_platform_admin``)
plus the kinds of organisation the module serves; ``base.html`` only loops over the result
(``NAV`` in the template context, set by :func:`fenghuo.web.templating.render`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fenghuo.core.i18n import LazyString, lazy_gettext
from fenghuo.core.models import OrgKind, Role
from fenghuo.web.deps import Caller


def acts_for_org(caller: Caller) -> bool:
    """``require_org``: the caller acts for an organisation."""
    return caller.org_id is not None


def may_open_admin(caller: Caller) -> bool:
    """``/admin`` (``admin_home``): organisation administrators and platform administrators."""
    return caller.role is Role.ADMIN or caller.is_platform_admin


def is_platform_admin(caller: Caller) -> bool:
    """``require_platform_admin``."""
    return caller.is_platform_admin


def _kinds(*kinds: OrgKind) -> Callable[[Caller], bool]:
    allowed = {k.value for k in kinds}

    def check(caller: Caller) -> bool:
        return acts_for_org(caller) and caller.org_kind in allowed

    return check


@dataclass(frozen=True)
class NavItem:
    href: str
    label: LazyString
    key: str
    allowed: Callable[[Caller], bool]


#: Every module entry, in display order. Kinds: trademark watching is an enterprise's work; dispute
#: alerts, cases, stations and insurance serve every organisation kind except the plan office's;
#: the filing planner serves enterprises and the centres advising them; plan tracking serves
#: administrations (plan offices and the agencies reporting to them).
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("/", lazy_gettext("Dashboard"), "dashboard", lambda caller: True),
    NavItem("/tm", lazy_gettext("Early warning"), "tm", _kinds(OrgKind.ENTERPRISE)),
    NavItem("/disputes", lazy_gettext("Disputes"), "disputes",
            _kinds(OrgKind.ENTERPRISE, OrgKind.GUIDANCE_CENTRE, OrgKind.TRADE_PROMOTION, OrgKind.EXHIBITION_STATION,
                   OrgKind.INSURER)),
    NavItem("/disputes/stations", lazy_gettext("Fair stations"), "stations", _kinds(OrgKind.EXHIBITION_STATION)),
    NavItem("/disputes/insurance", lazy_gettext("Insurance"), "insurance", _kinds(OrgKind.INSURER)),
    NavItem("/disputes/stats", lazy_gettext("Statistics"), "stats",
            _kinds(OrgKind.GUIDANCE_CENTRE, OrgKind.TRADE_PROMOTION, OrgKind.ADMINISTRATION)),
    NavItem("/filing", lazy_gettext("Filing"), "filing",
            _kinds(OrgKind.ENTERPRISE, OrgKind.GUIDANCE_CENTRE, OrgKind.TRADE_PROMOTION)),
    NavItem("/plans", lazy_gettext("Plans"), "plans", _kinds(OrgKind.ADMINISTRATION)),
    NavItem("/admin", lazy_gettext("Administration"), "admin", may_open_admin),
)


def nav_items(caller: Caller | None) -> list[tuple[str, LazyString, str]]:
    """``(href, label, key)`` of every module the caller may open and that fits its organisation."""
    if caller is None:
        return []
    return [(item.href, item.label, item.key) for item in NAV_ITEMS if item.allowed(caller)]
