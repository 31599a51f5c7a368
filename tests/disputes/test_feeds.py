"""USITC and CourtListener adapters on fixtures in their documented formats; fetch with a --since cursor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.outbound import OutboundError
from fenghuo.disputes import feeds
from tests.disputes.conftest import FIXTURES


def _doc(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_usitc_investigations() -> None:
    result = feeds.parse_usitc(_doc("usitc_investigations.json"))
    numbers = [r.number for r in result.records]
    assert numbers == ["337-TA-1401", "337-TA-1380"]  # the Title VII investigation is not an IP dispute
    first = result.records[0]
    assert first.kind == "itc337" and first.filed_on == date(2025, 6, 27)
    assert ("Loctek Ergonomic Technology Corp.", "respondent", "Ningbo, China") in {
        (p.name, p.role, p.context) for p in first.parties}
    assert result.errors[0].field == "number"
    assert result.newest == date(2025, 6, 27)
    since = feeds.parse_usitc(_doc("usitc_investigations.json"), since=date(2025, 1, 1))
    assert [r.number for r in since.records] == ["337-TA-1401"]


def test_courtlistener_dockets_and_schedule_a() -> None:
    result = feeds.parse_courtlistener(_doc("courtlistener_search.json"))
    kinds = {r.number: r.kind for r in result.records}
    assert kinds == {"ilnd:1:25-cv-07001": "schedule_a", "txed:2:25-cv-00412": "us_district"}
    sched = next(r for r in result.records if r.kind == "schedule_a")
    assert "JADERABBIT-Official" in sched.stores and "Brand Holdings Inc." not in sched.stores
    assert sched.url and sched.url.startswith("https://www.courtlistener.com/docket/")
    assert [e.field for e in result.errors] == ["number"]


def test_fetch_uses_and_advances_the_cursor(fenghuo_home: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_doc("courtlistener_search.json"))

    client = httpx.Client(transport=httpx.MockTransport(handler))
    feeds.write_cursor("courtlistener", date(2025, 11, 1))
    result = feeds.fetch("courtlistener", client=client)
    assert seen[0].url.params["filed_after"] == "2025-11-01"
    assert seen[0].url.params["type"] == "r"
    assert len(result.records) == 2 and result.newest == date(2025, 11, 6)
    feeds.write_cursor("courtlistener", result.newest)
    assert feeds.read_cursor("courtlistener") == date(2025, 11, 6)
    assert (fenghuo_home / "disputes_feed_cursors.json").exists()
    assert feeds.read_cursor("usitc") is None


def test_a_next_link_off_the_feed_host_is_not_followed(fenghuo_home: Path) -> None:
    """A page's ``next`` comes from the answer: pointing it inside (or anywhere else) fetches nothing."""
    seen: list[httpx.Request] = []
    page = {**_doc("courtlistener_search.json"), "next": "http://169.254.169.254/latest/meta-data/"}  # type: ignore[dict-item]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=page)

    with pytest.raises(ValidationFailed) as exc:
        feeds.fetch("courtlistener", client=httpx.Client(transport=httpx.MockTransport(handler)), max_pages=3)
    assert exc.value.field == "next" and [r.url.host for r in seen] == ["www.courtlistener.com"]


def test_feed_redirects_are_not_followed_and_answers_are_capped(fenghuo_home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8799/internal-admin"})

    with pytest.raises(OutboundError):
        feeds.fetch("usitc", client=httpx.Client(transport=httpx.MockTransport(redirect)))
    assert len(seen) == 1
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 100)
    big = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=b"[" + b" " * 500 + b"]")))
    with pytest.raises(OutboundError) as exc:
        feeds.fetch("usitc", client=big)
    assert "larger than 100" in str(exc.value)
