"""Adapters for the public dispute feeds, and the ``--since`` cursor kept in FENGHUO_HOME.

USITC: the investigations JSON (one object per investigation: ``investigationNumber`` such as
``337-TA-1400``, ``title``, ``investigationType``, ``investigationStatus``, dates such as
``dateOfInstitution`` / ``complaintFiledDate``, and ``complainants`` / ``respondents`` lists of
``{"name", "city", "country"}``; the list sits under ``data`` or ``investigations``).

CourtListener: the REST v4 search API over RECAP dockets (``type=r``): a page
``{"count", "next", "results": [...]}`` whose results carry ``docketNumber``, ``caseName``,
``court`` / ``court_id``, ``dateFiled``, ``suitNature`` ("830 Patent", "840 Trademark"),
``party`` (names) and ``docket_absolute_url``. Cases whose caption says "Schedule A" or
"Partnerships and Unincorporated Associations" become ``schedule_a`` events.

Both map onto :func:`fenghuo.disputes.events.parse_record`, so feed items are validated exactly
like imported files; a bad item is reported, never fatal. Network access goes through
``core.outbound`` like every webhook: the official hosts are fixed, but a page's ``next`` link
comes from the answer, so it must stay on the feed's own host, and every request is checked
and pinned after DNS resolution, follows no redirect and reads at most ``MAX_FEED_BYTES``. The
``httpx.Client`` may be replaced by the caller (tests use ``httpx.MockTransport``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from fenghuo.core.errors import ValidationFailed
from fenghuo.core.i18n import _
from fenghuo.core.outbound import request as outbound_request
from fenghuo.core.settings import get_settings
from fenghuo.disputes.events import EventRecord, RecordError, parse_record

USITC_URL = "https://ids.usitc.gov/api/investigations"
COURTLISTENER_URL = "https://www.courtlistener.com/api/rest/v4/search/"
FEEDS = ("usitc", "courtlistener")
#: Largest feed answer read (one USITC document or one CourtListener page).
MAX_FEED_BYTES = 32 * 1024 * 1024
FEED_TIMEOUT = 60.0
#: Nature-of-suit codes worth watching: 830 patent, 835 patent (ANDA), 840 trademark.
NATURE_OF_SUIT = ("830", "835", "840")
_SCHEDULE_A = re.compile(r"schedule\s+a|partnerships\s+and\s+unincorporated\s+associations", re.I)


@dataclass
class FeedResult:
    records: list[EventRecord]
    errors: list[RecordError]
    newest: date | None


def _first(item: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if item.get(key) not in (None, ""):
            return item[key]
    return None


def _party_list(value: Any, role: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for entry in value or []:
        if isinstance(entry, Mapping):
            name = str(entry.get("name") or entry.get("partyName") or "").strip()
            where = ", ".join(str(entry[k]) for k in ("city", "country") if entry.get(k))
            if name:
                out.append({"name": name, "role": role, "context": where})
        elif str(entry).strip():
            out.append({"name": str(entry).strip(), "role": role, "context": ""})
    return out


def usitc_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """One USITC investigation object → the common event mapping."""
    number = str(_first(item, "investigationNumber", "investigation_number") or "").strip()
    filed = _first(item, "dateOfInstitution", "institutionDate", "complaintFiledDate", "dateComplaintFiled")
    return {
        "kind": "itc337", "number": number, "title": _first(item, "title", "investigationTitle") or "",
        "forum": "US International Trade Commission", "country": "US", "filed_on": str(filed or "")[:10],
        "served_on": str(_first(item, "dateOfService", "serviceDate") or "")[:10],
        "temporary_relief": bool(_first(item, "temporaryRelief", "tempRelief")),
        "parties": _party_list(item.get("complainants"), "complainant")
        + _party_list(item.get("respondents"), "respondent"),
        "rights": [str(p) for p in item.get("patents") or []],
        "products": [str(_first(item, "product", "productDescription") or "")] if _first(
            item, "product", "productDescription") else [],
        "url": _first(item, "url", "edisUrl"),
    }


def parse_usitc(doc: Any, *, since: date | None = None) -> FeedResult:
    """USITC investigations JSON → Section 337 events newer than ``since`` (by institution date)."""
    items = doc.get("data") or doc.get("investigations") if isinstance(doc, Mapping) else doc
    if not isinstance(items, list):
        raise ValidationFailed(_("not a USITC investigations document (no data list)"), field="data",
                               record="usitc")
    records: list[EventRecord] = []
    errors: list[RecordError] = []
    newest: date | None = None
    for i, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            errors.append(RecordError(f"item {i}", "item", _("not an object")))
            continue
        kind = str(_first(item, "investigationType", "type") or "337")
        if "337" not in kind:
            continue  # Title VII (antidumping) investigations are not IP disputes
        try:
            rec = parse_record(usitc_item(item), f"item {i}", source="usitc")
        except RecordError as exc:
            errors.append(exc)
            continue
        if since and rec.filed_on and rec.filed_on <= since:
            continue
        records.append(rec)
        if rec.filed_on and (newest is None or rec.filed_on > newest):
            newest = rec.filed_on
    return FeedResult(records, errors, newest)


def courtlistener_item(item: Mapping[str, Any]) -> dict[str, Any]:
    caption = str(_first(item, "caseName", "case_name") or "")
    schedule_a = bool(_SCHEDULE_A.search(caption))
    plaintiff, _sep, defendant = caption.partition(" v. ")
    parties: list[dict[str, str]] = []
    names = [str(p).strip() for p in item.get("party") or [] if str(p).strip()]
    plaintiff_key = plaintiff.strip().lower()
    for name in names:
        role = "plaintiff" if plaintiff_key and name.lower() in plaintiff_key else "defendant"
        parties.append({"name": name, "role": role, "context": ""})
    if not parties and plaintiff and defendant:
        parties = [{"name": plaintiff.strip(), "role": "plaintiff", "context": ""},
                   {"name": defendant.strip(), "role": "defendant", "context": ""}]
    court = str(_first(item, "court", "court_citation_string", "court_id") or "")
    url = _first(item, "docket_absolute_url", "absolute_url")
    return {
        "kind": "schedule_a" if schedule_a else "us_district",
        "number": f"{_first(item, 'court_id') or ''}:{_first(item, 'docketNumber', 'docket_number') or ''}".strip(":")
        if _first(item, "docketNumber", "docket_number") else "",
        "title": caption, "forum": court, "country": "US",
        "filed_on": str(_first(item, "dateFiled", "date_filed") or "")[:10],
        "parties": parties,
        "stores": [p["name"] for p in parties if p["role"] == "defendant"] if schedule_a else [],
        "rights": [str(_first(item, "suitNature", "nature_of_suit") or "")] if _first(
            item, "suitNature", "nature_of_suit") else [],
        "url": f"https://www.courtlistener.com{url}" if isinstance(url, str) and url.startswith("/") else url,
    }


def parse_courtlistener(page: Any, *, since: date | None = None) -> FeedResult:
    """One CourtListener search page → district-court / Schedule A events filed after ``since``."""
    if not isinstance(page, Mapping) or not isinstance(page.get("results"), list):
        raise ValidationFailed(_("not a CourtListener search page (no results list)"), field="results",
                               record="courtlistener")
    records: list[EventRecord] = []
    errors: list[RecordError] = []
    newest: date | None = None
    for i, item in enumerate(page["results"], 1):
        if not isinstance(item, Mapping):
            errors.append(RecordError(f"item {i}", "item", _("not an object")))
            continue
        try:
            rec = parse_record(courtlistener_item(item), f"item {i}", source="courtlistener")
        except RecordError as exc:
            errors.append(exc)
            continue
        if since and rec.filed_on and rec.filed_on <= since:
            continue
        records.append(rec)
        if rec.filed_on and (newest is None or rec.filed_on > newest):
            newest = rec.filed_on
    return FeedResult(records, errors, newest)


# --- fetching with a cursor ------------------------------------------------------------------------------


def cursor_path() -> Path:
    return get_settings().home / "disputes_feed_cursors.json"


def read_cursor(feed: str) -> date | None:
    path = cursor_path()
    if not path.exists():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get(feed)
    except (json.JSONDecodeError, AttributeError):
        return None
    return date.fromisoformat(value) if value else None


def write_cursor(feed: str, value: date) -> None:
    path = cursor_path()
    data: dict[str, str] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            data = {}
    data[feed] = value.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(path)


def _pages_courtlistener(client: httpx.Client | None, since: date | None, token: str | None,
                         max_pages: int) -> Iterator[Any]:
    params: dict[str, str] | None = {"type": "r", "order_by": "dateFiled desc",
                                     "nature_of_suit": " OR ".join(NATURE_OF_SUIT)}
    if since and params is not None:
        params["filed_after"] = since.isoformat()
    headers = {"Authorization": f"Token {token}"} if token else {}
    url: str | None = COURTLISTENER_URL
    home = urlsplit(COURTLISTENER_URL)
    for _page in range(max_pages):
        if url is None:
            return
        link = urlsplit(url)
        if (link.scheme, link.hostname) != (home.scheme, home.hostname):
            raise ValidationFailed(_("the next page is not on %(host)s", host=str(home.hostname)), field="next",
                                   record="courtlistener")
        page = _get_json(client, url, params, headers, "courtlistener")
        yield page
        url, params = (page.get("next") if isinstance(page, Mapping) else None), None


def _get_json(client: httpx.Client | None, url: str, params: dict[str, str] | None,
              headers: dict[str, str] | None, feed: str) -> Any:
    answer = outbound_request("GET", url, field=feed, client=client, params=params, headers=headers,
                              max_bytes=MAX_FEED_BYTES, timeout=FEED_TIMEOUT)
    try:
        return answer.json()
    except ValueError:
        raise ValidationFailed(_("the feed did not answer JSON"), field=feed, record=feed) from None


def fetch(feed: str, *, since: date | None = None, client: httpx.Client | None = None,
          token: str | None = None, max_pages: int = 5) -> FeedResult:
    """Fetch one feed newer than ``since`` (default: the stored cursor)."""
    if feed not in FEEDS:
        raise ValidationFailed(_("must be one of %(values)s", values=", ".join(FEEDS)), field="feed")
    since = since or read_cursor(feed)
    if feed == "usitc":
        return parse_usitc(_get_json(client, USITC_URL, {"investigationType": "Sec 337"}, None, feed), since=since)
    total = FeedResult([], [], None)
    for page in _pages_courtlistener(client, since, token, max_pages):
        part = parse_courtlistener(page, since=since)
        total.records.extend(part.records)
        total.errors.extend(part.errors)
        if part.newest and (total.newest is None or part.newest > total.newest):
            total.newest = part.newest
    return total
