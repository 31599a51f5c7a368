"""The outbound gate: URLs are checked when saved and addresses when sent (resolved, checked,
pinned), nothing inside the network is reached unless allow-listed, no redirect is followed,
answers are capped; webhook signatures verify (and refuse replays when asked)."""

from __future__ import annotations

import http.server
import ipaddress
import threading
from collections.abc import Iterator

import httpx
import pytest

from fenghuo.core import outbound
from fenghuo.core.outbound import OutboundError, OutboundRefused, check_url


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[tuple[str, str, str]] = []
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"ok")

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        type(self).hits.append((self.command, self.path, self.headers.get("Host", "")))
        status, headers, body = type(self).answer
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[int, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"hits": [], "answer": (200, {}, b"ok")})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], handler
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(outbound.ALLOW_ENV, raising=False)
    monkeypatch.delenv(outbound.ALLOW_HTTP_ENV, raising=False)


REFUSED = [
    "https://127.0.0.1/x", "https://127.1/x", "https://2130706433/x", "https://0x7f000001/x", "https://0/x",
    "https://0.0.0.0/x", "https://[::1]/x", "https://[::]/x", "https://[::ffff:127.0.0.1]/x",
    "https://[::ffff:10.0.0.1]/x", "https://[2002:7f00:1::]/x", "https://[64:ff9b::a9fe:a9fe]/x",
    "https://10.1.2.3/x", "https://172.16.0.1/x", "https://192.168.1.1/x", "https://169.254.169.254/latest/",
    "https://[fe80::1]/x", "https://[fd00:ec2::254]/x", "https://[fc00::1]/x", "https://100.64.0.1/x",
    "https://100.100.100.200/x", "https://224.0.0.1/x", "https://[ff02::1]/x", "https://240.0.0.1/x",
    "https://255.255.255.255/x", "https://198.18.0.1/x", "https://192.0.0.192/x", "https://localhost/x",
    "https://LOCALHOST./x", "https://admin.localhost/x", "https://metadata.google.internal/x",
    "https://intranet/x", "https://printer.local/x",
]


@pytest.mark.parametrize("url", REFUSED)
def test_inside_addresses_are_refused_when_saved(url: str) -> None:
    with pytest.raises(OutboundRefused) as exc:
        check_url(url, field="webhook_url", resolver=lambda h, p: ["93.184.216.34"])
    assert exc.value.field == "webhook_url" and "does not connect there" in exc.value.message


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://hooks.example.com/x", "https://"), ("http://hooks.example.com/x", "https://"),
    ("https://user:pw@hooks.example.com/x", "user name"), ("https:///x", "host"), ("hooks.example.com", "https://"),
    ("https://hooks.example.com:99999/x", "port"),
])
def test_bad_urls_name_the_field(url: str, reason: str) -> None:
    with pytest.raises(OutboundRefused) as exc:
        check_url(url, field="target", resolver=lambda h, p: ["93.184.216.34"])
    assert exc.value.field == "target" and reason in exc.value.message


def test_a_name_resolving_inside_is_refused_and_public_ones_pass() -> None:
    with pytest.raises(OutboundRefused) as exc:
        check_url("https://hooks.evil.example/x", field="target", resolver=lambda h, p: ["8.8.8.8", "127.0.0.1"])
    assert "127.0.0.1" in exc.value.message
    assert check_url(" https://hooks.example.com/x ", resolver=lambda h, p: ["93.184.216.34"]) == \
        "https://hooks.example.com/x"
    assert check_url("https://93.184.216.34/x") == "https://93.184.216.34/x"
    assert check_url("https://[2606:2800:220:1:248:1893:25c8:1946]/x")

    def unresolvable(host: str, port: int) -> list[str]:
        raise OSError("no DNS")

    assert check_url("https://not-yet.example.org/x", resolver=unresolvable)  # checked again at send


def test_allow_list_lets_on_premise_receivers_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(outbound.ALLOW_ENV, "hooks.corp.example, 10.20.0.0/16")
    assert check_url("http://10.20.1.5:8080/hook")
    assert check_url("http://hooks.corp.example/hook", resolver=lambda h, p: ["10.99.0.1"])
    with pytest.raises(OutboundRefused):
        check_url("https://10.21.0.1/hook")
    with pytest.raises(OutboundRefused):
        check_url("http://hooks.example.com/hook", resolver=lambda h, p: ["93.184.216.34"])
    monkeypatch.setenv(outbound.ALLOW_HTTP_ENV, "1")  # development: plain http, still only to public hosts
    assert check_url("http://hooks.example.com/hook", resolver=lambda h, p: ["93.184.216.34"])
    with pytest.raises(OutboundRefused):
        check_url("http://127.0.0.1/hook")


def test_ipv4_mapped_and_embedded_addresses() -> None:
    refusal = outbound.address_refusal
    assert refusal(ipaddress.ip_address("::ffff:169.254.169.254"))
    assert refusal(ipaddress.ip_address("2001::8000:ffff:80ff:fefe"))  # Teredo hiding 127.0.1.1
    assert refusal(ipaddress.ip_address("8.8.8.8")) is None
    assert refusal(ipaddress.ip_address("::ffff:8.8.8.8")) is None


def test_send_to_loopback_reaches_nothing(server: tuple[int, type[_Handler]]) -> None:
    """The reported attack: a signed POST to http://127.0.0.1:PORT/internal-admin."""
    port, handler = server
    with pytest.raises(OutboundRefused):
        outbound.request("POST", f"http://127.0.0.1:{port}/internal-admin", content=b"{}")
    with pytest.raises(OutboundRefused):
        outbound.request("POST", f"https://127.0.0.1:{port}/internal-admin", content=b"{}")
    assert handler.hits == []


def test_dns_rebinding_is_caught_at_send(server: tuple[int, type[_Handler]]) -> None:
    """Public when saved, loopback when sent: the transport checks the address it connects to."""
    port, handler = server
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, p: int) -> list[str]:
        return next(answers)

    url = f"https://rebind.attacker.example:{port}/internal-admin"
    assert check_url(url, resolver=rebinding) == url
    client = outbound.guarded_client(resolver=rebinding)
    with pytest.raises(OutboundRefused) as exc:
        outbound.request("POST", url, content=b"{}", client=client)
    assert "127.0.0.1" in exc.value.message and handler.hits == []


def test_allow_listed_receiver_gets_the_request_at_the_pinned_address(
        server: tuple[int, type[_Handler]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is resolved once by the gate and the connection goes to that address (the name
    itself has no DNS entry, so a second lookup at connect time would fail)."""
    port, handler = server
    monkeypatch.setenv(outbound.ALLOW_ENV, "receiver.fenghuo.test")
    client = outbound.guarded_client(resolver=lambda h, p: ["127.0.0.1"])
    answer = outbound.request("POST", f"http://receiver.fenghuo.test:{port}/hook", content=b"{}", client=client)
    assert answer.status_code == 200 and answer.content == b"ok"
    assert handler.hits == [("POST", "/hook", f"receiver.fenghuo.test:{port}")]


def test_redirects_are_not_followed(server: tuple[int, type[_Handler]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, handler = server
    monkeypatch.setenv(outbound.ALLOW_ENV, "127.0.0.1")
    handler.answer = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    with pytest.raises(OutboundError) as exc:
        outbound.request("POST", f"http://127.0.0.1:{port}/hook", content=b"{}")
    assert "redirect" in str(exc.value) and len(handler.hits) == 1


def test_answers_are_capped_and_errors_reported(server: tuple[int, type[_Handler]],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    port, handler = server
    monkeypatch.setenv(outbound.ALLOW_ENV, "127.0.0.1")
    handler.answer = (200, {}, b"x" * 5000)
    with pytest.raises(OutboundError) as exc:
        outbound.request("GET", f"http://127.0.0.1:{port}/big", max_bytes=1000)
    assert "larger than 1000" in str(exc.value)
    handler.answer = (500, {}, b"boom")
    with pytest.raises(OutboundError) as exc:
        outbound.request("GET", f"http://127.0.0.1:{port}/err")
    assert "500" in str(exc.value)


def test_an_injected_client_still_gets_the_url_check() -> None:
    seen: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: (seen.append(r), httpx.Response(200))[1]))
    with pytest.raises(OutboundRefused):
        outbound.request("POST", "https://169.254.169.254/x", client=client)
    assert outbound.request("POST", "https://hooks.example.com/x", client=client).status_code == 200
    assert len(seen) == 1


def test_signatures_verify_and_refuse_replays() -> None:
    headers = outbound.signed_headers("s3cret", b'{"a":1}', now=1_000_000)
    ts, sig = headers["X-Fenghuo-Timestamp"], headers["X-Fenghuo-Signature"]
    assert sig.startswith("sha256=") and outbound.verify("s3cret", ts, b'{"a":1}', sig)
    assert not outbound.verify("other", ts, b'{"a":1}', sig)
    assert not outbound.verify("s3cret", ts, b'{"a":2}', sig)
    assert outbound.verify("s3cret", ts, b'{"a":1}', sig, max_age=300, now=1_000_100)
    assert not outbound.verify("s3cret", ts, b'{"a":1}', sig, max_age=300, now=1_000_400)
    from fenghuo.tm import notify as tm_notify

    assert tm_notify.sign is outbound.sign and tm_notify.verify is outbound.verify  # one signature everywhere
