"""Outbound HTTP: the one gate every webhook and feed request of Fenghuo goes through.

Why one gate: a URL typed by a tenant (a webhook receiver) or read from a feed (a ``next`` page
link) is an instruction to make the server connect somewhere. Left alone it reaches the
loopback admin port, the cloud metadata service or the office network behind the firewall
(server-side request forgery). So every such URL is checked twice:

* **when saved** (:func:`check_url`): https only (plain http only for allow-listed receivers
  or with ``FENGHUO_OUTBOUND_ALLOW_HTTP=1`` in development), no credentials in the URL, and a
  host that is neither a literal nor a resolved loopback, private, link-local, CGNAT,
  multicast, reserved, unspecified or metadata address (IPv4 and IPv6, IPv4 embedded in IPv6
  included). A refusal is a :class:`OutboundRefused` — a ``ValidationFailed`` naming the field,
  so forms, the API (422) and the CLI (exit 2) say which field is wrong.
* **when sent** (:class:`GuardedTransport`): the host is resolved, every address is checked,
  and the connection goes to the checked address (the request keeps its ``Host`` header and its
  TLS server name), so a DNS answer that changes between check and connect (DNS rebinding)
  cannot redirect it. Redirects are never followed, time is limited and the response body is
  capped.

``FENGHUO_OUTBOUND_ALLOW`` (comma-separated host names and CIDRs, e.g.
``hooks.corp.example,10.20.0.0/16``) lets an on-premise installation reach its own receivers;
allow-listed hosts and networks may also use plain http.

This module knows no domain. It also holds the webhook signature (``sign`` / ``verify``):
receivers check every Fenghuo webhook the same way, whichever module sent it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from fenghuo.core.errors import FenghuoError, ValidationFailed
from fenghuo.core.i18n import N_, _

__all__ = [
    "ALLOW_ENV", "ALLOW_HTTP_ENV", "AllowList", "GuardedTransport", "OutboundError", "OutboundRefused",
    "Response", "address_refusal", "allow_list", "check_url", "guarded_client", "request", "sign",
    "signed_headers", "verify",
]

ALLOW_ENV = "FENGHUO_OUTBOUND_ALLOW"
ALLOW_HTTP_ENV = "FENGHUO_OUTBOUND_ALLOW_HTTP"
#: Seconds to connect, and between bytes read or written.
TIMEOUT = 10.0
#: Largest response body read from a webhook receiver (its answer is not used).
MAX_RESPONSE_BYTES = 64 * 1024
Resolver = Callable[[str, int], list[str]]
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Addresses Python's ``ipaddress`` does not classify but that must never be reached.
_EXTRA_REFUSED: tuple[tuple[str, str], ...] = (
    ("100.64.0.0/10", N_("shared address space (CGNAT)")),  # includes Alibaba Cloud's 100.100.100.200
    ("192.0.0.0/24", N_("IETF protocol assignments")),        # includes Oracle Cloud's 192.0.0.192
    ("198.18.0.0/15", N_("benchmarking network")),
    ("64:ff9b:1::/48", N_("local-use NAT64")),
)
#: Cloud metadata endpoints named explicitly (also covered by the ranges above).
METADATA_ADDRESSES = frozenset({"169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192",
                                "fd00:ec2::254"})
#: Host names that always mean "this machine" or a provider's internal service.
_REFUSED_NAMES = ("localhost", "metadata", "metadata.google.internal", "instance-data")
_REFUSED_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")


class OutboundRefused(ValidationFailed):
    """A URL or address the server must not connect to (the field says which input)."""


class OutboundError(FenghuoError):
    """A request that was allowed but failed: no answer, an error status, a redirect, a body too large."""


@dataclass(frozen=True)
class AllowList:
    """``FENGHUO_OUTBOUND_ALLOW``: on-premise receivers that may be private and may use plain http."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    def allows_host(self, host: str) -> bool:
        host = _norm_host(host)
        if host in self.hosts:
            return True
        ip = _literal_ip(host)
        return ip is not None and self.allows_ip(ip)

    def allows_ip(self, ip: _IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)


def allow_list(value: str | None = None) -> AllowList:
    """Parse the allow-list setting (read from the environment on every call, like every setting)."""
    raw = os.environ.get(ALLOW_ENV, "") if value is None else value
    hosts: set[str] = set()
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for item in (part.strip() for part in raw.replace(";", ",").split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(_norm_host(item))
    return AllowList(frozenset(hosts), tuple(networks))


def _allow_http() -> bool:
    return os.environ.get(ALLOW_HTTP_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _norm_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def _literal_ip(host: str) -> _IPAddress | None:
    """The address a host string denotes by itself, including the forms ``inet_aton`` accepts
    (``2130706433``, ``0x7f.1``, ``127.1``) which resolvers turn into addresses without DNS."""
    host = _norm_host(host)
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host) and any(c.isdigit() for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # well-known NAT64 prefix
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in ipaddress.IPv6Network("::/96") and int(ip) > 1:  # deprecated IPv4-compatible
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: _IPAddress) -> str | None:
    """Why the server must not connect to ``ip`` (None: a public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = address_refusal(inner)
            return _("%(reason)s embedded in an IPv6 address", reason=reason) if reason else None
    if str(ip) in METADATA_ADDRESSES:
        return _("cloud metadata service")
    checks = (("is_unspecified", N_("unspecified address")), ("is_loopback", N_("loopback address")),
              ("is_link_local", N_("link-local address")), ("is_multicast", N_("multicast address")),
              ("is_private", N_("private address")), ("is_reserved", N_("reserved address")),
              ("is_site_local", N_("site-local address")))
    for attribute, label in checks:
        if getattr(ip, attribute, False):
            return _(label)
    for network, label in _EXTRA_REFUSED:
        net = ipaddress.ip_network(network)
        if net.version == ip.version and ip in net:
            return _(label)
    if not ip.is_global:
        return _("not a public address")
    return None


def _refuse(reason: str, field: str, record: str | None) -> OutboundRefused:
    return OutboundRefused(_("the server does not connect there: %(reason)s", reason=reason), field=field,
                           record=record)


def check_url(url: str, *, field: str = "url", record: str | None = None, resolve: bool = True,
              allow: AllowList | None = None, resolver: Resolver | None = None) -> str:
    """Check a URL before it is saved (or requested); returns it stripped.

    With ``resolve`` the host name is looked up once: an answer that points inside (a name for
    127.0.0.1, say) is refused now; a name that does not resolve yet is accepted and checked
    again, after resolution, when a request is sent.
    """
    url = (url or "").strip()
    allow = allow or allow_list()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        host = _norm_host(parts.hostname or "")
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise OutboundRefused(_("the port is not a number between 1 and 65535"), field=field,
                              record=record) from None
    if scheme not in ("https", "http"):
        raise OutboundRefused(_("a URL starting with https:// is expected"), field=field, record=record)
    if not host:
        raise OutboundRefused(_("the URL has no host"), field=field, record=record)
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(_("a URL may not carry a user name or password"), field=field, record=record)
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise OutboundRefused(_("the URL contains spaces or control characters"), field=field, record=record)
    allowed = allow.allows_host(host)
    if scheme == "http" and not (allowed or _allow_http()):
        raise OutboundRefused(_("a URL starting with https:// is expected (plain http only for receivers on "
                                "the allow-list %(setting)s)", setting=ALLOW_ENV), field=field, record=record)
    if allowed:
        return url
    ip = _literal_ip(host)
    if ip is not None:
        reason = address_refusal(ip)
        if reason:
            raise _refuse(reason, field, record)
        return url
    if host in _REFUSED_NAMES or host.endswith(_REFUSED_SUFFIXES) or "." not in host:
        raise _refuse(_("not a public host name"), field, record)
    if resolve:
        try:
            addresses = (resolver or _resolve)(host, parts.port or (443 if scheme == "https" else 80))
        except OSError:
            return url  # not resolvable now; checked again at send
        _check_addresses(host, addresses, allow, field, record)
    return url


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in out:
            out.append(address)
    return out


def _check_addresses(host: str, addresses: Iterable[str], allow: AllowList, field: str,
                     record: str | None) -> list[str]:
    """Every address a name resolves to must be public (one inside is enough to refuse)."""
    checked: list[str] = []
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        reason = None if allow.allows_ip(ip) else address_refusal(ip)
        if reason:
            raise _refuse(_("%(host)s resolves to %(address)s (%(reason)s)", host=host, address=str(ip),
                            reason=reason), field, record)
        checked.append(str(ip))
    if not checked:
        raise OutboundError(_("%(host)s does not resolve", host=host))
    return checked


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that resolves, checks and pins the address of every request.

    The request's URL is rewritten to the checked address; the ``Host`` header stays the name
    and TLS uses the name for SNI and certificate checking, so https works as usual.
    """

    def __init__(self, *, resolver: Resolver | None = None, allow: AllowList | None = None,
                 inner: httpx.BaseTransport | None = None, field: str = "url") -> None:
        self._resolver = resolver or _resolve
        self._allow = allow
        self._inner = inner or httpx.HTTPTransport(retries=0)
        self._field = field

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        allow = self._allow or allow_list()
        url = str(request.url)
        check_url(url, field=self._field, resolve=False, allow=allow)
        host = _norm_host(request.url.host)
        ip = _literal_ip(host)
        if ip is not None:
            return self._inner.handle_request(request)  # a literal public (or allow-listed) address
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = self._resolver(host, port)
        except OSError as exc:
            raise OutboundError(_("%(host)s does not resolve: %(error)s", host=host, error=str(exc))) from None
        if allow.allows_host(host):  # an on-premise receiver named on the allow-list may be private
            pinned = str(ipaddress.ip_address(addresses[0].split("%", 1)[0])) if addresses else ""
            if not pinned:
                raise OutboundError(_("%(host)s does not resolve", host=host))
        else:
            pinned = _check_addresses(host, addresses, allow, self._field, None)[0]
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        request.url = request.url.copy_with(host=pinned)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def guarded_client(*, timeout: float = TIMEOUT, resolver: Resolver | None = None,
                   allow: AllowList | None = None, field: str = "url") -> httpx.Client:
    """An httpx client for untrusted destinations: checked and pinned addresses, no redirects,
    no proxy from the environment (a proxy would connect where it likes)."""
    return httpx.Client(transport=GuardedTransport(resolver=resolver, allow=allow, field=field),
                        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False)


@dataclass
class Response:
    """What :func:`request` read: the status, the headers and at most ``max_bytes`` of body."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def json(self) -> Any:
        import json

        return json.loads(self.content)


def request(method: str, url: str, *, field: str = "url", client: httpx.Client | None = None,
            content: bytes | None = None, headers: Mapping[str, str] | None = None,
            params: Mapping[str, str] | None = None, max_bytes: int = MAX_RESPONSE_BYTES,
            timeout: float = TIMEOUT) -> Response:
    """Send one request through the gate and read a capped answer.

    ``client`` (tests pass an ``httpx.MockTransport`` one) replaces the guarded client for the
    connection only: the URL is still checked, redirects are still not followed and the body is
    still capped.
    """
    check_url(url, field=field, resolve=False)
    http = client or guarded_client(timeout=timeout, field=field)
    try:
        with http.stream(method, url, content=content, headers=dict(headers or {}), params=params,
                         follow_redirects=False) as answer:
            if answer.is_redirect or 300 <= answer.status_code < 400:
                raise OutboundError(_("%(url)s answered a redirect (%(status)s), which is not followed",
                                      url=_short(url), status=answer.status_code))
            body = bytearray()
            for chunk in answer.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise OutboundError(_("the answer of %(url)s is larger than %(n)s bytes", url=_short(url),
                                          n=max_bytes))
            if answer.status_code >= 400:
                raise OutboundError(_("%(url)s answered %(status)s", url=_short(url), status=answer.status_code))
            return Response(answer.status_code, dict(answer.headers), bytes(body), str(answer.url))
    except httpx.HTTPError as exc:
        raise OutboundError(_("request to %(url)s failed: %(error)s", url=_short(url),
                              error=type(exc).__name__)) from None
    finally:
        if client is None:
            http.close()


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:120]


# --- webhook signatures ---------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=HMAC-SHA256(secret, "{timestamp}.{body}")`` — the ``X-Fenghuo-Signature`` header."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, max_age: int | None = None,
           now: float | None = None) -> bool:
    """Check a webhook signature (constant time); with ``max_age`` also refuse old timestamps (replays)."""
    if max_age is not None:
        try:
            if abs((now if now is not None else time.time()) - int(timestamp)) > max_age:
                return False
        except ValueError:
            return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The headers of a signed JSON webhook body."""
    timestamp = str(int(now if now is not None else time.time()))
    return {"Content-Type": "application/json", "X-Fenghuo-Timestamp": timestamp,
            "X-Fenghuo-Signature": sign(secret, timestamp, body)}
