"""Statistics across organisations suppress small cells (issue #9): a count of 1 in a province
points at one enterprise. Page, API, CSV and PDF say "<5" with the footnote, and the total cannot
give a hidden cell back (complementary suppression). An enterprise's own statistics are exact."""

from __future__ import annotations

import io
import random

import pytest
from fastapi.testclient import TestClient

from fenghuo.core import orgs, tokens
from fenghuo.core.db import session_scope
from fenghuo.core.models import User
from fenghuo.disputes import cases, stats
from tests.webkit import World, bearer


@pytest.mark.parametrize(("rows", "hidden"), [
    ([("A", 10), ("B", 2), ("C", 7)], {"B", "C"}),          # one small cell: its complement is hidden too
    ([("A", 10), ("B", 2), ("C", 3), ("D", 8)], {"B", "C"}),  # two small cells reaching 5: enough
    ([("A", 10), ("B", 1), ("C", 1), ("D", 8)], {"B", "C", "D"}),  # 1 + 1 < 5: one more
    ([("A", 3), ("B", 1)], {"A", "B"}),                      # total below 5: everything
    ([("A", 5), ("B", 9)], set()),
])
def test_suppress(rows: list[tuple[str, int]], hidden: set[str]) -> None:
    assert {c.value for c in stats.suppress(rows, 5) if c.suppressed} == hidden


def test_no_hidden_cell_can_be_recovered_from_the_total() -> None:
    rng = random.Random(9)
    for _ in range(2000):
        rows = [(str(i), rng.choice([1, 1, 2, 3, 4, 5, 6, 9, 20])) for i in range(rng.randint(1, 6))]
        shown = stats.suppress(rows, 5)
        total = sum(n for _v, n in rows)
        hidden = [c for c in shown if c.suppressed]
        if total < 5:
            assert len(hidden) == len(rows)
        elif hidden:
            assert len(hidden) >= 2 and total - sum(c.cases or 0 for c in shown) >= 5
        assert all(c.cases is None for c in hidden)


def _tenant(name: str, kind: str, region: str | None = None) -> tuple[int, str, int]:
    with session_scope(org_id=None, platform_admin=True) as s:
        org = orgs.create_organisation(s, name, kind, region=region)
        user = orgs.create_user(s, f"{name.split()[0].lower()}@example.com", "correct-horse-battery")
        orgs.add_member(s, org.id, user.id, "admin")
        row = s.get(User, user.id)
        assert row is not None
        return org.id, tokens.create_token(s, row, org.id, "t", "read write")[1], user.id


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_cross_tenant_statistics_hide_the_lone_enterprise(client: TestClient, world: World) -> None:
    lone_id, _t, lone_user = _tenant("Ningxia Lone Co", "enterprise", region="Ningxia")
    _c, centre_token, _u = _tenant("Guidance Centre", "guidance_centre")
    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        for _ in range(7):
            cases.open_case(s, cases.CaseIntake("Alpha suit", "itc337", forum="USITC", country="US"))
    with session_scope(org_id=lone_id, user_id=lone_user) as s:
        cases.open_case(s, cases.CaseIntake("Lone suit", "us_district", forum="D. Del.", country="US"))
    centre = bearer(centre_token)
    figures = client.get("/api/v1/disputes/stats", headers=centre).json()
    assert figures["total"] == 8 and figures["suppression"]["threshold"] == 5
    province = {c["value"]: c for c in figures["province"]}
    assert province["Ningxia"] == {"value": "Ningxia", "cases": None, "suppressed": True}
    # the complement is hidden too, so 8 - shown cells does not give Ningxia's 1 back
    assert province["Zhejiang"]["suppressed"] is True
    forum = {c["value"]: c for c in figures["forum"]}
    assert forum["D. Del."]["cases"] is None and forum["USITC"]["cases"] is None
    assert figures["suppression"]["note"] == "cells with fewer than 5 are suppressed"
    csv_text = client.get("/api/v1/disputes/stats/export.csv?dimension=province", headers=centre).text
    assert "Province,Ningxia,<5" in csv_text and "cells with fewer than 5 are suppressed" in csv_text
    assert ",1\n" not in csv_text.replace("\r\n", "\n")
    chart = client.get("/api/v1/disputes/stats/chart?dimension=province", headers=centre).json()
    assert chart["data"]["values"] == []
    pdf = _pdf_text(client.get("/api/v1/disputes/stats/report.pdf?lang=en", headers=centre).content)
    assert "Ningxia" in pdf and "<5" in pdf and "cells with fewer than 5 are suppressed" in pdf
    zh_pdf = _pdf_text(client.get("/api/v1/disputes/stats/report.pdf?lang=zh_CN", headers=centre).content)
    assert "<5" in zh_pdf
    page = client.get("/disputes/stats", headers=centre)
    assert page.status_code == 200 and 'id="suppression-note"' in page.text and "&lt;5*" in page.text
    # A chart whose every count is hidden says why, not "no data yet".
    assert "Counts below the threshold are not charted" in page.text
    # the enterprise's own statistics are exact
    own = client.get("/api/v1/disputes/stats", headers=bearer(world.a.write_token)).json()
    assert own["total"] == 7 and own["forum"] == [{"value": "USITC", "cases": 7, "suppressed": False}]
    assert own["suppression"]["applied"] is False


def test_threshold_is_a_setting(client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _c, centre_token, _u = _tenant("Guidance Centre", "guidance_centre")
    with session_scope(org_id=world.a.org_id, user_id=world.a.admin_id) as s:
        for _ in range(3):
            cases.open_case(s, cases.CaseIntake("Alpha suit", "itc337", forum="USITC", country="US"))
    monkeypatch.setenv(stats.MIN_CELL_ENV, "3")
    figures = client.get("/api/v1/disputes/stats", headers=bearer(centre_token)).json()
    assert figures["total"] == 3 and figures["forum"] == [{"value": "USITC", "cases": 3, "suppressed": False}]
    monkeypatch.setenv(stats.MIN_CELL_ENV, "10")
    figures = client.get("/api/v1/disputes/stats", headers=bearer(centre_token)).json()
    assert figures["total"] is None and figures["suppression"]["note"] == "cells with fewer than 10 are suppressed"
