"""Early-warning pages in-process: forms with CSRF, upload, run, inbox filters, alert detail with
both marks and the reasons, review, variants, applicant profile, settings; tenants separated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fenghuo.tm.ingest import ingest_paths
from tests.tm_store.conftest import PORTFOLIO_CSV, REGISTER_CSV
from tests.webkit import World, csrf_of, login


@pytest.fixture
def watched(client: TestClient, world: World, tmp_path: Path) -> str:
    """A logged in as admin, portfolio uploaded through the page, watch run from the page."""
    path = tmp_path / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    ingest_paths([path])
    login(client, world.a.admin_email)
    page = client.get("/tm/portfolio")
    csrf = csrf_of(page.text)
    r = client.post("/tm/portfolio/import", data={"csrf_token": csrf},
                    files={"file": ("portfolio.csv", PORTFOLIO_CSV.encode(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post("/tm/run", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/tm/runs"
    return csrf


def test_overview_inbox_and_filters(client: TestClient, watched: str) -> None:
    overview = client.get("/tm")
    assert overview.status_code == 200 and 'id="tm-marks">4<' in overview.text and "YILI" in overview.text
    inbox = client.get("/tm/alerts")
    assert all(m in inbox.text for m in ("YILI", "WONG LO KAT", "HERO", "HAIXIN"))
    only_us = client.get("/tm/alerts", params={"office": "US"})
    assert "HERO" in only_us.text and "WONG LO KAT" not in only_us.text
    c32 = client.get("/tm/alerts", params={"class": "32"})
    assert "WONG LO KAT" in c32.text and "HERO" not in c32.text
    bad = client.get("/tm/alerts", params={"class": "abc"})
    assert bad.status_code == 422 and "class" in bad.text
    runs = client.get("/tm/runs")
    assert re.search(r"<td>done</td><td>4</td><td>6</td>", runs.text)


def test_alert_detail_side_by_side_and_review(client: TestClient, watched: str) -> None:
    inbox = client.get("/tm/alerts").text
    alert_id = re.search(r'href="/tm/alerts/(\d+)">YILI<', inbox).group(1)  # type: ignore[union-attr]
    page = client.get(f"/tm/alerts/{alert_id}")
    assert "伊利" in page.text and "YILI" in page.text and "Dairy Traders Kft" in page.text
    assert "pinyin of 伊利 is YILI" in page.text and "R-EM-TMOPP" in page.text and "invalidity" in page.text
    no_csrf = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "reviewing"}, follow_redirects=False)
    assert no_csrf.status_code == 403
    r = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "dismissed", "csrf_token": watched},
                    follow_redirects=False)
    assert r.status_code == 422 and "reason" in r.text
    r = client.post(f"/tm/alerts/{alert_id}/state",
                    data={"state": "reviewing", "reason": "", "csrf_token": watched}, follow_redirects=True)
    assert 'id="alert-state">Under review<' in r.text  # the state in words (label registry)
    applicant = re.search(r'href="(/tm/applicants/[^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    profile = client.get(applicant)
    assert profile.status_code == 200 and "HAIXIN" in profile.text and "WONG LO KAT" in profile.text


def test_variants_page_edits(client: TestClient, watched: str) -> None:
    portfolio = client.get("/tm/portfolio").text
    mark_pk = re.search(r'href="/tm/portfolio/(\d+)">王老吉<', portfolio).group(1)  # type: ignore[union-attr]
    page = client.get(f"/tm/portfolio/{mark_pk}").text
    assert "WONG LO KAT" in page and "WANGLAOJI" in page
    texts = re.findall(r'name="text" value="([^"]*)"', page)
    kinds = re.findall(r'name="kind" value="([^"]*)"', page)
    notes = re.findall(r'name="note" value="([^"]*)"', page)
    data: dict[str, object] = {"csrf_token": watched, "text": texts, "kind": kinds, "note": notes,
                               "enabled": [str(i) for i in range(1, len(texts))], "new_text": "WLJ TEA"}
    r = client.post(f"/tm/portfolio/{mark_pk}/variants", data=data, follow_redirects=True)
    assert r.status_code == 200 and 'value="WLJ TEA"' in r.text
    # The first variant (the characters) is now unticked.
    assert re.search(r'name="enabled" value="0"\s+aria', r.text)


def test_upload_form_reports_bad_rows_and_type(client: TestClient, watched: str) -> None:
    r = client.post("/tm/portfolio/import", data={"csrf_token": watched},
                    files={"file": ("p.csv", b"mark_id,mark,classes\nX1,XENO,9\nX2,,9\n", "text/csv")})
    assert r.status_code == 200 and "X2" in r.text and "field mark" in r.text and "XENO" in r.text
    r = client.post("/tm/portfolio/import", data={"csrf_token": watched},
                    files={"file": ("p.pdf", b"%PDF-1.4", "application/pdf")})
    assert r.status_code == 422


def test_settings_show_webhook_secret_once(client: TestClient, watched: str) -> None:
    r = client.post("/tm/settings/channels", data={"csrf_token": watched, "kind": "webhook",
                                                   "target": "https://hooks.example/a", "mode": "digest",
                                                   "min_level": "high"})
    assert r.status_code == 200 and 'id="webhook-secret"' in r.text
    again = client.get("/tm/settings")
    assert "https://hooks.example/a" in again.text and 'id="webhook-secret"' not in again.text
    r = client.post("/tm/settings/relationships", data={"csrf_token": watched, "counterpart_name": "Acme GmbH",
                                                        "relation": "agent", "country": "DE"}, follow_redirects=True)
    assert "Acme GmbH" in r.text


def test_other_tenant_cannot_open_the_pages_of_a(client: TestClient, world: World, watched: str) -> None:
    inbox = client.get("/tm/alerts").text
    alert_id = re.search(r'href="/tm/alerts/(\d+)"', inbox).group(1)  # type: ignore[union-attr]
    mark_pk = re.search(r'href="/tm/portfolio/(\d+)"', client.get("/tm/portfolio").text).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    login(client, world.b.admin_email)
    assert client.get(f"/tm/alerts/{alert_id}").status_code == 404
    assert client.get(f"/tm/portfolio/{mark_pk}").status_code == 404
    assert "YILI" not in client.get("/tm/alerts").text and ">伊利<" not in client.get("/tm/portfolio").text
    csrf = csrf_of(client.get("/tm").text)
    r = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "reviewing", "csrf_token": csrf})
    assert r.status_code == 404


def test_reasons_and_remedy_read_in_the_readers_language(client: TestClient, watched: str) -> None:
    """The watch ran in English; a reader who switches to Chinese sees the reasons in Chinese."""
    inbox = client.get("/tm/alerts").text
    alert_id = re.search(r'href="/tm/alerts/(\d+)">YILI<', inbox).group(1)  # type: ignore[union-attr]
    english = client.get(f"/tm/alerts/{alert_id}").text
    assert "pinyin of 伊利 is YILI" in english
    client.post("/lang", data={"lang": "zh_CN", "next": "/tm", "csrf_token": watched})
    chinese = client.get(f"/tm/alerts/{alert_id}").text
    reasons = chinese.split('id="reasons"')[1].split("</ul>")[0]
    assert "拼音" in reasons and "pinyin of" not in reasons
    remedy = chinese.split('id="remedy"')[1].split("</p>")[0]
    assert "异议" in remedy and "opposition" not in remedy
