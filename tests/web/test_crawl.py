"""Crawl the demo as every demo account in both languages, following every link the UI offers.

Why: a page that renders is not a page a person can use. The crawl fails on any 5xx, on any
same-site link (``<a href>`` or a GET form needing no input) that answers 4xx, and — on Chinese
pages — on any English catalogue string or snake_case code left in the visible text. Paths are
normalised (numbers → ``{n}``) so each page pattern is visited at most a few times.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from fenghuo.demo import DEMO_PASSWORD, DEMO_USERS, PLATFORM_ADMIN
from tests.webkit import csrf_of, demo_app_in

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "src" / "fenghuo" / "locale"

ACCOUNTS = tuple(email for email, *_ in DEMO_USERS) + (PLATFORM_ADMIN,)
LANGS = ("en", "zh_CN")

#: Visits per normalised path pattern, and pages per account and language (a bound, not a target).
PER_PATTERN = 2
MAX_PAGES = 250

#: Links never followed: they change state or leave the HTML pages (downloads are fetched but not parsed).
SKIP_PREFIXES = ("/logout", "/static/", "/api/", "/docs", "/openapi")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ics", ".json", ".svg", ".png")

SNAKE = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@.-]*[\w/@])")
# Text that may legitimately hold English or codes on a Chinese page: code, marks, foreign names.
EXEMPT_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "option"}
EXEMPT_CLASS = "lang-exempt"  # a mark, a party or an office name as registered abroad


@dataclass
class CrawlReport:
    visited: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


def _english_msgids() -> list[tuple[str, re.Pattern[str]]]:
    """Catalogue strings whose Chinese differs from the English, as whole-text patterns."""
    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    out: list[tuple[str, re.Pattern[str]]] = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        msgid = message.id.strip()
        if not msgid or message.string == message.id or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        parts = re.split(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}", msgid)
        if sum(len(p.strip()) for p in parts) < 3:
            continue
        body = r"(?:.+?)".join(re.escape(" ".join(p.split())) for p in parts)
        out.append((msgid, re.compile(rf"^\s*{body}\s*[:：]?\s*$", re.S)))
    return out


def _pattern(path: str) -> str:
    parts = urlsplit(path)
    norm = re.sub(r"/\d+(?=/|$)", "/{n}", parts.path)
    norm = re.sub(r"/[0-9a-f]{16,}(?=/|$)", "/{h}", norm)
    keys = sorted({kv.split("=", 1)[0] for kv in parts.query.split("&") if kv})
    return norm + ("?" + "&".join(keys) if keys else "")


def _visible_texts(doc: lxml.html.HtmlElement) -> Iterator[str]:
    """Visible text nodes (and titles/placeholders), skipping code, options and exempt names."""
    body = doc.find("body")
    if body is None:
        body = doc
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if _exempt(el):
            continue
        if el.text and el.text.strip():
            yield " ".join(el.text.split())
        for attr in ("title", "placeholder", "aria-label"):
            val = el.get(attr)
            if val and val.strip():
                yield " ".join(val.split())
        if el.tag == "input" and el.get("type") in ("submit", "button") and el.get("value"):
            yield el.get("value", "")
    for el in body.iter():
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tail and el.tail.strip() and not _exempt(el.getparent()):
            yield " ".join(el.tail.split())


def _exempt(el: lxml.html.HtmlElement) -> bool:
    node: lxml.html.HtmlElement | None = el
    while node is not None:
        if isinstance(node.tag, str) and (node.tag in EXEMPT_TAGS or EXEMPT_CLASS in (node.get("class") or "").split()
                                          or node.get("translate") == "no"):
            return True
        node = node.getparent()
    return False


def _snake_codes(text: str) -> list[str]:
    cleaned = re.sub(r"\S+@\S+|https?://\S+|\S+\.(?:csv|json|xml|pdf|xlsx|txt)\b", " ", text)
    return SNAKE.findall(cleaned)


def _links(doc: lxml.html.HtmlElement, base: str) -> Iterator[str]:
    for a in doc.iter("a"):
        href = a.get("href")
        if href:
            yield urljoin(base, href)
    for form in doc.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        if any(i.get("required") is not None for i in form.iter("input", "select", "textarea")):
            continue
        yield urljoin(base, form.get("action") or base)


def _same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + ("?" + parts.query if parts.query else "")


def crawl(client: TestClient, lang: str, msgids: list[tuple[str, re.Pattern[str]]]) -> CrawlReport:
    report = CrawlReport()
    seen_patterns: dict[str, int] = {}
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    while queue and report.visited < MAX_PAGES:
        path, referrer = queue.popleft()
        pattern = _pattern(path)
        if path in seen or seen_patterns.get(pattern, 0) >= PER_PATTERN:
            continue
        seen.add(path)
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        response = client.get(path, follow_redirects=True)
        report.visited += 1
        if response.status_code >= 500:
            report.add(f"{response.status_code} {path} (linked from {referrer})")
            continue
        if response.status_code >= 400:
            report.add(f"{response.status_code} {path} (linked from {referrer})")
            continue
        final = response.url.path
        if final.startswith("/login"):
            report.add(f"redirected to login: {path} (linked from {referrer})")
            continue
        if "text/html" not in response.headers.get("content-type", "") or path.endswith(DOWNLOAD_SUFFIXES):
            continue
        doc = lxml.html.fromstring(response.text)
        if lang == "zh_CN":
            for text in _visible_texts(doc):
                for code in _snake_codes(text):
                    report.add(f"code {code!r} on {pattern}: {text[:80]!r}")
                for msgid, rx in msgids:
                    if rx.match(text):
                        report.add(f"English {msgid!r} on {pattern}")
                        break
        for url in _links(doc, str(response.url)):
            target = _same_site(url)
            if target is not None and target not in seen:
                queue.append((target, path))
    return report


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The demo loaded once into a throwaway FENGHUO_HOME (SQLite) for the whole session."""
    with demo_app_in(tmp_path_factory.mktemp("crawl-home")) as app:
        yield app


@pytest.fixture(scope="session")
def english_msgids() -> list[tuple[str, re.Pattern[str]]]:
    return _english_msgids()


def _login(client: TestClient, email: str, lang: str) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_of(page.text),
                                    "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, f"{email} cannot log in: {r.status_code}"
    home = client.get("/")
    r = client.post("/lang", data={"lang": lang, "next": "/", "csrf_token": csrf_of(home.text)},
                    follow_redirects=False)
    assert r.status_code in (303, 302), f"language switch for {email}: {r.status_code}"


@pytest.mark.skipif(os.environ.get("FENGHUO_SKIP_CRAWL") == "1", reason="FENGHUO_SKIP_CRAWL=1")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("email", ACCOUNTS)
def test_crawl_demo(demo_app: object, english_msgids: list[tuple[str, re.Pattern[str]]], email: str,
                    lang: str) -> None:
    with TestClient(demo_app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        _login(client, email, lang)
        report = crawl(client, lang, english_msgids)
    assert report.visited > 3, f"{email}: the crawl reached only {report.visited} pages"
    assert not report.errors, f"{email} [{lang}] {len(report.errors)} defects:\n" + "\n".join(report.errors)


def test_detectors_find_what_they_should() -> None:
    """The crawl's own checks: a code and an English string are caught, names and URLs are not."""
    assert _snake_codes("状态 default_judgment 已提交") == ["default_judgment"]
    assert _snake_codes("见 https://example.org/a_b 和 x_y@example.com、data_file.csv") == []
    doc = lxml.html.fromstring("<html><body><p>Dashboard</p><p class='lang-exempt'>related_forum</p>"
                               "<code>a_b</code><p>风险 high_risk</p></body></html>")
    texts = list(_visible_texts(doc))
    assert "Dashboard" in texts and "风险 high_risk" in texts
    assert all("related_forum" not in t and "a_b" not in t for t in texts)
    assert _pattern("/tm/marks/12/alerts?page=3") == "/tm/marks/{n}/alerts?page"
