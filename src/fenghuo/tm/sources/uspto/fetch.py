"""Download a USPTO daily trademark applications file (``apcYYMMDD.zip``).

The USPTO Open Data Portal publishes one zip per day in the "Trademark Full Text XML Data (No
Images) – Daily Applications" product. The base URL is configurable because the portal has moved
before; ``FENGHUO_USPTO_DAILY_URL`` overrides it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import httpx

from fenghuo.core import outbound

DEFAULT_BASE = "https://data.uspto.gov/api/v1/datasets/products/files/TRTDXFAP"


def daily_file_name(day: date) -> str:
    return f"apc{day:%y%m%d}.zip"


def daily_url(day: date, base: str | None = None) -> str:
    base = (base or os.environ.get("FENGHUO_USPTO_DAILY_URL") or DEFAULT_BASE).rstrip("/")
    return f"{base}/{daily_file_name(day)}"


class FetchError(Exception):
    pass


def fetch_daily(day: date, dest: Path, client: httpx.Client | None = None, *, base: str | None = None) -> Path:
    """Download the daily file for ``day`` into the folder ``dest``; returns the file path.

    Streams to a temporary name and renames when complete, so an interrupted download never
    leaves a truncated zip that ingest would read. The base URL comes from the environment, so the
    download goes through the outbound gate like every other request Fenghuo makes: every hop
    (redirects included) is resolved, checked and pinned to a public address unless it is on
    ``FENGHUO_OUTBOUND_ALLOW``.
    """
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / daily_file_name(day)
    partial = target.with_suffix(".zip.part")
    own = client is None
    url = daily_url(day, base)
    try:
        outbound.check_url(url, field="FENGHUO_USPTO_DAILY_URL", resolve=False)
    except outbound.OutboundRefused as exc:
        raise FetchError(f"download of {daily_file_name(day)} refused: {exc.message}") from None
    http = client or outbound.guarded_client(timeout=120, field="FENGHUO_USPTO_DAILY_URL")
    try:
        with http.stream("GET", url, follow_redirects=True) as response:
            if response.status_code == 404:
                raise FetchError(f"no USPTO daily file for {day.isoformat()} ({daily_file_name(day)})")
            response.raise_for_status()
            with partial.open("wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
    except (httpx.HTTPError, outbound.OutboundError, outbound.OutboundRefused) as exc:
        partial.unlink(missing_ok=True)
        raise FetchError(f"download of {daily_file_name(day)} failed: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if own:
            http.close()
    partial.replace(target)
    return target
