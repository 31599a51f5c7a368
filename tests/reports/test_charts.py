"""Server-side charts: whole-number count axes, labels not cut, no rotated axis title, a "no data
yet" panel, Chinese headings without stray spaces; on the statistics page and in the PDF."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient

from fenghuo.core import i18n
from fenghuo.reports import charts
from tests.webkit import World, bearer, login


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r'role-axis-label.*?</g>', svg, re.S)


def _texts(svg: str) -> list[str]:
    return [t for t in re.findall(r">([^<>]+)</t(?:ext|span)>", svg)]


def test_count_axis_has_whole_numbers_only() -> None:
    svg = charts.bar_chart([("EUIPO", 1), ("USPTO", 1)], title="t", value_title="cases")
    texts = _texts(svg)
    assert "0" in texts and "1" in texts
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in texts), texts  # no 0.2 / 0.5 ticks
    assert texts.count("1") == 1  # the old "d" format printed the 0.5 tick as a second "1"
    assert charts.integer_ticks(1) == [0, 1] and charts.integer_ticks(7) == [0, 2, 4, 6, 8]
    assert all(isinstance(t, int) for t in charts.integer_ticks(1234))


def test_long_labels_wrap_instead_of_being_cut() -> None:
    svg = charts.bar_chart([("US International Trade Commission", 2)], title="Cases by forum")
    texts = _texts(svg)
    assert "US International Trade" in texts and "Commission" in texts
    assert not any(t.startswith("US International Trade Commi") and t != "US International Trade Commission"
                   for t in texts)
    assert charts.wrap_label("美国联邦地区法院德克萨斯东区分院的案件").count("\n") == 1


def test_value_axis_title_is_horizontal_and_font_is_cjk() -> None:
    svg = charts.bar_chart([("浙江", 3)], title="按省份统计的案件", value_title="案件数")
    assert "案件数" in svg and "按省份统计的案件" in svg and "Noto Sans CJK SC" in svg
    title = re.search(r'<text[^>]*>案件数</text>', svg)
    assert title is not None and "rotate(" not in title.group(0)


def test_no_data_state_instead_of_empty_axes() -> None:
    token = i18n.set_locale("zh_CN")
    try:
        empty = charts.bar_chart([], title="按受理机构统计的案件")
        zeros = charts.bar_chart([("A", 0)], title="x")
    finally:
        i18n.reset_locale(token)
    assert "fh-chart-empty" in empty and "暂无数据" in empty and "role-axis" not in empty
    assert "fh-chart-empty" in zeros
    assert "No data yet" in charts.bar_chart([], title="t")
    img = charts.bar_chart([], output="img")
    assert img.startswith("<img") and "image/svg+xml" in img


def test_pdf_image_output_is_png() -> None:
    img = charts.bar_chart([("A", 2)], title="t", output="img")
    assert img.startswith('<img class="chart" width=') and "data:image/png;base64," in img


def test_stats_page_has_charts_headers_and_whole_headings(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    for forum in ("USITC", "USITC", "EDTX"):
        assert client.post("/api/v1/disputes/cases", headers=a,
                           json={"title": "c", "kind": "itc337", "forum": forum, "country": "US"}).status_code == 201
    login(client, world.a.admin_email)
    page = client.get("/disputes/stats").text
    for dim in ("forum", "country", "province", "outcome", "kind", "industry"):
        assert f'id="chart-{dim}"' in page
    forum = page.split('id="chart-forum"')[1].split("</figure>")[0]
    assert "<svg" in forum and "<script" not in page.split('id="stats-total"')[1]
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in _texts(forum))
    table = page.split('id="stats-forum"')[1].split("</table>")[0]
    assert "<thead><tr><th" in table and "Number of cases" in table
    outcome = page.split('id="chart-outcome"')[1].split("</figure>")[0]
    assert "(unknown)" in outcome  # no case has an outcome yet: counted, in words
    client.post("/lang", data={"lang": "zh_CN", "next": "/disputes/stats",
                               "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})  # type: ignore[union-attr]
    zh = client.get("/disputes/stats").text
    assert "按受理机构统计的案件" in zh and "按 " not in zh and "（未知）" in zh


def test_empty_stats_page_says_what_to_do(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    page = client.get("/disputes/stats").text
    assert 'id="stats-empty"' in page and 'href="/disputes"' in page and page.count("fh-chart-empty") == 6


def test_stats_pdf_contains_chart_images(client: TestClient, world: World) -> None:
    from pypdf import PdfReader

    a = bearer(world.a.write_token)
    for forum in ("USITC", "EDTX"):
        client.post("/api/v1/disputes/cases", headers=a, json={"title": "c", "kind": "itc337", "forum": forum})
    pdf = client.get("/api/v1/disputes/stats/report.pdf?lang=zh_CN", headers=a)
    assert pdf.status_code == 200
    images = [img for page in PdfReader(io.BytesIO(pdf.content)).pages for img in page.images]
    assert images, "the PDF has no chart image"
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "按受理机构统计的案件" in text and "按 受理机构" not in text


def test_station_page_charts_complaints(client: TestClient, world: World) -> None:
    from tests.web.test_disputes_api import _org_token

    _org, token, _user = _org_token("Station", "exhibition_station")
    st = bearer(token)
    station = client.post("/api/v1/disputes/stations", headers=st, json={
        "fair": "Canton Fair 137", "starts_on": "2025-04-15", "ends_on": "2025-04-19"}).json()
    url = f"/api/v1/disputes/stations/{station['id']}/complaints"
    for respondent in ("Booth Co", "Other Co"):
        client.post(url, headers=st, json={"complainant": "Patentee", "respondent": respondent})
    login(client, "station-admin@example.com")
    page = client.get(f"/disputes/stations/{station['id']}").text
    outcomes = page.split('id="chart-outcomes"')[1].split("</figure>")[0]
    assert "<svg" in outcomes and "Pending" in outcomes and "fh-chart-empty" not in outcomes
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in _texts(outcomes))
    assert 'id="chart-right-types"' in page


def test_tm_overview_and_insurance_charts_say_no_data_yet(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    overview = client.get("/tm").text
    levels = overview.split('id="chart-levels"')[1].split("</figure>")[0]
    assert "fh-chart-empty" in levels and "No data yet" in levels
    assert 'id="chart-offices"' in overview
    insurance = client.get("/disputes/insurance").text
    assert "fh-chart-empty" in insurance.split('id="chart-claims"')[1].split("</figure>")[0]


def test_control_characters_in_labels_do_not_kill_the_process() -> None:
    """vl-convert aborts the process on NUL/ESC in a label; tenants' names reach the labels."""
    import subprocess
    import sys

    code = ("from fenghuo.reports.charts import bar_chart; "
            "svg = bar_chart([('a\\x00b', 2), ('\\x1b[31mred', 1), ('lone \\ud800', 3)], title='t', value_title='n'); "
            "print('<svg' in svg)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "True"


def test_chart_safe_keeps_ordinary_text() -> None:
    from fenghuo.reports.charts import chart_safe

    assert chart_safe({"title": "按受理机构统计的案件", "rows": [{"v": "US ITC\x00"}]}) == {
        "title": "按受理机构统计的案件", "rows": [{"v": "US ITC "}]}
    assert chart_safe("x\ud800y") == "x\ufffdy"
