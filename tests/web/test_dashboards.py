"""Each demo account sees its own kind's dashboard, and its navigation offers only pages it may open.

Why: the guidance centre, station and insurer used to get the enterprise's trademark cards ("0
watched marks") and the platform administrator was offered modules that answer 403.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient

from fenghuo.demo import DEMO_PASSWORD, PLATFORM_ADMIN
from tests.webkit import csrf_of, demo_app_in

#: account → (dashboard kind, card ids that must be there, card ids that must not, nav keys it must not see)
EXPECTED: dict[str, tuple[str, set[str], set[str], set[str]]] = {
    "admin@demo.fenghuo.test": ("enterprise", {"card-tm-high", "card-tm-watched", "card-disputes", "card-filing",
                                               "card-members"}, {"card-queue"}, {"plans", "stations"}),
    "analyst@demo.fenghuo.test": ("enterprise", {"card-tm-high", "card-filing"}, {"card-members"},
                                  {"plans", "admin"}),
    "foods@demo.fenghuo.test": ("enterprise", {"card-tm-medium", "card-disputes"}, set(), {"plans"}),
    "centre@demo.fenghuo.test": ("centre", {"card-disputes", "card-queue", "card-shared", "card-stats"},
                                 {"card-tm-watched", "card-tm-high"}, {"tm", "plans", "insurance"}),
    "branch@demo.fenghuo.test": ("branch", {"card-disputes", "card-queue", "card-shared"}, {"card-tm-watched"},
                                 {"tm", "plans", "admin"}),
    "station@demo.fenghuo.test": ("station", {"card-fairs", "card-complaints", "card-overdue"},
                                  {"card-tm-watched"}, {"tm", "plans", "filing"}),
    "insurer@demo.fenghuo.test": ("insurer", {"card-policies", "card-claims"}, {"card-tm-watched"},
                                  {"tm", "plans", "filing"}),
    "plans@demo.fenghuo.test": ("administration", {"card-tasks", "card-red", "card-reminders"},
                                {"card-tm-watched", "card-disputes"}, {"tm", "disputes", "filing"}),
    PLATFORM_ADMIN: ("platform", {"card-orgs", "card-users", "card-tm-quarantine", "card-ingest-failed"},
                     {"card-tm-watched"}, {"tm", "disputes", "filing", "plans"}),
}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The demo (without the shared register sample, for speed) in a throwaway SQLite home."""
    with demo_app_in(tmp_path_factory.mktemp("dash-home"), shared_sample=False) as app:
        yield app


def _login(client: TestClient, email: str) -> str:
    page = client.get("/login")
    r = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_of(page.text),
                                    "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, f"{email} cannot log in"
    home = client.get("/")
    assert home.status_code == 200
    return home.text


def _nav(html: str) -> dict[str, str]:
    doc = lxml.html.fromstring(html)
    return {a.get("data-nav"): a.get("href") for a in doc.xpath("//a[@data-nav]")}


def _number(doc: lxml.html.HtmlElement, card_id: str) -> int:
    text = doc.xpath(f"//*[@id='{card_id}']//*[contains(@class, 'fh-stat')]")[-1].text_content()
    return int(re.sub(r"\D", "", text))


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_dashboard_fits_the_kind_and_every_nav_link_opens(demo_app: object, email: str) -> None:
    kind, present, absent, hidden = EXPECTED[email]
    with TestClient(demo_app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        html = _login(client, email)
        doc = lxml.html.fromstring(html)
        kinds = doc.xpath("//section[@data-kind]/@data-kind")
        assert kind in kinds, f"{email}: dashboards {kinds}, expected {kind}"
        ids = set(doc.xpath("//*[starts-with(@id, 'card-')]/@id"))
        assert present <= ids, f"{email}: missing cards {present - ids}"
        assert not (absent & ids), f"{email}: cards that do not fit: {absent & ids}"
        assert "Ask an administrator" not in html
        nav = _nav(html)
        assert not (hidden & set(nav)), f"{email}: offered {hidden & set(nav)}"
        for key, href in nav.items():
            r = client.get(href)
            assert r.status_code == 200, f"{email}: nav {key} {href} answers {r.status_code}"
        # every card's link opens too
        for href in doc.xpath("//section[@data-kind]//a/@href"):
            r = client.get(href.split("#")[0])
            assert r.status_code == 200, f"{email}: dashboard link {href} answers {r.status_code}"


def test_demo_gives_centre_branch_station_and_insurer_something_to_see(demo_app: object) -> None:
    counts = {}
    for email, card in (("centre@demo.fenghuo.test", "card-shared"), ("centre@demo.fenghuo.test", "card-queue"),
                        ("branch@demo.fenghuo.test", "card-disputes"),
                        ("station@demo.fenghuo.test", "card-complaints"),
                        ("insurer@demo.fenghuo.test", "card-claims"), ("plans@demo.fenghuo.test", "card-tasks"),
                        (PLATFORM_ADMIN, "card-orgs"), ("admin@demo.fenghuo.test", "card-tm-watched")):
        with TestClient(demo_app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
            counts[(email, card)] = _number(lxml.html.fromstring(_login(client, email)), card)
    assert all(n > 0 for n in counts.values()), counts


def test_centre_sees_the_shared_case_and_alert(demo_app: object) -> None:
    with TestClient(demo_app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        doc = lxml.html.fromstring(_login(client, "centre@demo.fenghuo.test"))
        shared = doc.xpath("//*[@id='list-shared']//a/@href")
        assert any(h.startswith("/disputes/cases/") for h in shared)
        case = client.get(next(h for h in shared if h.startswith("/disputes/cases/")))
        assert case.status_code == 200 and "337-TA-9001" in case.text
        alerts = doc.xpath("//*[@id='list-disputes']//a[starts-with(@href, '/disputes/alerts/')]/@href")
        assert alerts and client.get(alerts[0]).status_code == 200


def test_nav_items_follow_the_route_checks() -> None:
    from fenghuo.core.models import Role
    from fenghuo.web.deps import Caller
    from fenghuo.web.nav import nav_items

    def caller(kind: str | None, role: Role | None, platform: bool = False) -> Caller:
        return Caller(user_id=1, email="x@example.com", display_name="", locale="en", is_platform_admin=platform,
                      org_id=1 if kind else None, org_name="o" if kind else None, org_kind=kind, role=role,
                      via="session")

    assert [k for _h, _l, k in nav_items(caller(None, None, platform=True))] == ["dashboard", "admin"]
    assert [k for _h, _l, k in nav_items(caller(None, None))] == ["dashboard"]
    member = [k for _h, _l, k in nav_items(caller("enterprise", Role.MEMBER))]
    assert "tm" in member and "admin" not in member
    assert "admin" in [k for _h, _l, k in nav_items(caller("insurer", Role.ADMIN))]
    assert nav_items(None) == []
