"""Forms that keep the user's work: a rejected form post re-renders the page it came from.

Why one mechanism in the error handlers and not code in every route: there are some seventy
form posts and each raises :class:`~fenghuo.core.errors.ValidationFailed` (or FastAPI's
``RequestValidationError``) from deep in the domain code. Instead of a bare "422 · Invalid
input" page that loses what was typed, the handler asks the application for the page the form
was on (the ``Referer`` when it is same-site, else the nearest page above the post's path),
fills the form whose ``action`` is the post's path with the submitted values, marks the named
field ``is-invalid`` with the message beside it (Bootstrap 5 ``invalid-feedback``) and answers
that page with status 422. Messages that name no field of the form go in an alert at the top of
the form. An htmx post gets the filled form alone, retargeted to the form it came from.

The HTML is edited by position (``html.parser`` reports where each tag starts), so the rest of
the page is byte for byte what the page route rendered; templates need no change to take part.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.routing import Match

from fenghuo.core.i18n import _

_NO_VALUE_TYPES = frozenset({"hidden", "submit", "button", "reset", "file", "password", "image"})
_SECRET_NAMES = frozenset({"password", "new_password", "current_password", "secret", "token"})
#: The CSRF field keeps the token that was sent (the page rendered again may carry a fresh one whose
#: cookie the browser would not get: a token rotated per page, as the public consultation form does).
_CSRF = "csrf_token"


@dataclass
class _Field:
    """One control inside the target form, with the offsets of its tags in the page."""

    tag: str
    name: str
    attrs: list[tuple[str, str | None]]
    start: int  # start tag begins
    start_end: int  # start tag ends
    end: int = -1  # for textarea/select: where the end tag ends; inputs: start_end
    content_start: int = -1  # textarea/select: after the start tag
    content_end: int = -1  # textarea/select: where the end tag begins
    options: list[tuple[int, int, list[tuple[str, str | None]], str]] = field(default_factory=list)


@dataclass
class _Form:
    start: int
    start_end: int
    end: int = -1
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    fields: list[_Field] = field(default_factory=list)
    formactions: set[str] = field(default_factory=set)  # submit buttons posting elsewhere (formaction=)


class _Scanner(HTMLParser):
    """Find every ``<form>`` and its controls with their character offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self._line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self._line_starts.append(i + 1)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._open: _Field | None = None  # textarea or select being read
        self._option: tuple[int, int, list[tuple[str, str | None]]] | None = None
        self._option_text: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _tag_end(self, start: int) -> int:
        text = self.get_starttag_text() or ""
        return start + len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        end = self._tag_end(start)
        if tag == "form":
            self._form = _Form(start, end, attrs=attrs)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = dict(attrs).get("name") or ""
        formaction = dict(attrs).get("formaction")
        if tag in ("button", "input") and formaction:
            self._form.formactions.add(_path_of(formaction))
        if tag == "input" and name:
            self._form.fields.append(_Field(tag, name, attrs, start, end, end))
        elif tag in ("textarea", "select") and name:
            self._open = _Field(tag, name, attrs, start, end, content_start=end)
            self._form.fields.append(self._open)
        elif tag == "option" and self._open is not None and self._open.tag == "select":
            self._close_option(start)
            self._option = (start, end, attrs)
            self._option_text = []

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text.append(data)

    def _close_option(self, at: int) -> None:
        if self._option is not None and self._open is not None:
            o_start, o_end, o_attrs = self._option
            self._open.options.append((o_start, o_end, o_attrs, "".join(self._option_text).strip()))
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        at = self._offset()
        if tag == "option":
            self._close_option(at)
        elif tag in ("textarea", "select") and self._open is not None and self._open.tag == tag:
            self._close_option(at)
            self._open.content_end = at
            self._open.end = self.text.index(">", at) + 1
            self._open = None
        elif tag == "form" and self._form is not None:
            self._form.end = at
            self._form = None


def _start_tag(tag: str, attrs: Iterable[tuple[str, str | None]]) -> str:
    parts = [tag]
    for key, value in attrs:
        parts.append(key if value is None else f'{key}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def _set_attr(attrs: list[tuple[str, str | None]], key: str, value: str | None) -> list[tuple[str, str | None]]:
    out = [(k, v) for k, v in attrs if k != key]
    out.append((key, value))
    return out


def _without(attrs: list[tuple[str, str | None]], key: str) -> list[tuple[str, str | None]]:
    return [(k, v) for k, v in attrs if k != key]


def _add_class(attrs: list[tuple[str, str | None]], cls: str) -> list[tuple[str, str | None]]:
    current = (dict(attrs).get("class") or "").split()
    if cls not in current:
        current.append(cls)
    return _set_attr(attrs, "class", " ".join(current))


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def _field_matches(error_field: str | None, name: str) -> bool:
    if not error_field:
        return False
    if error_field == name:
        return True
    last = error_field.replace("[", ".").replace("]", "").split(".")[-1]
    return last == name or name.split(".")[-1] == last


def fill_form(
    page: str,
    action: str,
    values: dict[str, list[str]],
    errors: Sequence[dict[str, Any]],
    *,
    page_path: str = "",
) -> tuple[str, str | None]:
    """Fill the form posting to ``action`` with ``values`` and mark ``errors`` beside their fields.

    Returns the page and the filled form's HTML (``None`` when no form on the page posts there;
    the messages then go in an alert at the top of ``<main>``).
    """
    scanner = _Scanner(page)
    scanner.feed(page)
    scanner.close()
    target_path = _path_of(action)

    def posts_here(form: _Form) -> bool:
        form_action = dict(form.attrs).get("action")
        path = _path_of(form_action) if form_action else (page_path or target_path)
        return (path == target_path or target_path in form.formactions) and form.end > 0

    candidates = [f for f in scanner.forms if posts_here(f)]
    if not candidates:
        return _alert_in_main(page, errors), None
    # Several forms may post to the same path (one per state button): prefer the one holding an erring field,
    # then the one whose hidden/submit values match what was sent.
    def score(form: _Form) -> int:
        names = {f.name for f in form.fields}
        s = sum(3 for e in errors for n in names if _field_matches(e.get("field"), n))
        for f in form.fields:
            a = dict(f.attrs)
            if a.get("type") in ("hidden", "submit") and f.name in values and (a.get("value") or "") in values[f.name]:
                s += 1
        return s

    form = max(candidates, key=score)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    seen: dict[str, int] = {}
    unmatched = [e for e in errors if not any(_field_matches(e.get("field"), f.name) for f in form.fields)]
    marked: set[str] = set()
    for fld in form.fields:
        a = dict(fld.attrs)
        kind = (a.get("type") or "text").lower() if fld.tag == "input" else fld.tag
        sent = values.get(fld.name)
        messages = [str(e.get("message") or "") for e in errors if _field_matches(e.get("field"), fld.name)]
        attrs = fld.attrs
        if messages and fld.name not in marked and kind != "hidden":
            attrs = _set_attr(_add_class(attrs, "is-invalid"), "aria-invalid", "true")
        if fld.tag == "input":
            if kind == "hidden" and fld.name == _CSRF and sent:
                attrs = _set_attr(attrs, "value", sent[0])
            elif sent is not None and kind not in _NO_VALUE_TYPES and fld.name not in _SECRET_NAMES:
                if kind in ("checkbox", "radio"):
                    on = (a.get("value") or "on") in sent
                    attrs = _set_attr(attrs, "checked", None) if on else _without(attrs, "checked")
                else:
                    index = seen.get(fld.name, 0)
                    seen[fld.name] = index + 1
                    if index < len(sent):
                        attrs = _set_attr(attrs, "value", sent[index])
            elif sent is None and kind == "checkbox" and values:
                attrs = _without(attrs, "checked")  # an unticked box is absent from the post
            edits.append((fld.start, fld.start_end, _start_tag("input", attrs)))
            anchor = fld.start_end
        else:
            edits.append((fld.start, fld.start_end, _start_tag(fld.tag, attrs)))
            if fld.tag == "textarea" and sent is not None and fld.content_end >= 0:
                edits.append((fld.content_start, fld.content_end, html.escape(sent[0], quote=False)))
            elif fld.tag == "select" and sent is not None:
                for o_start, o_end, o_attrs, o_text in fld.options:
                    o_value = dict(o_attrs).get("value")
                    chosen = (o_value if o_value is not None else o_text) in sent
                    new_attrs = _set_attr(o_attrs, "selected", None) if chosen else _without(o_attrs, "selected")
                    edits.append((o_start, o_end, _start_tag("option", new_attrs)))
            anchor = fld.end if fld.end > 0 else fld.start_end
        if messages and fld.name not in marked and kind != "hidden":
            marked.add(fld.name)
            feedback = "".join(f'<div class="invalid-feedback d-block" data-field="{html.escape(fld.name)}">'
                               f"{html.escape(m)}</div>" for m in messages)
            edits.append((anchor, anchor, feedback))
    if unmatched:
        edits.append((form.start_end, form.start_end, _alert(unmatched)))
    out = _apply(page, edits)
    # The filled form's own HTML, for htmx: re-scan the edited page for the same form position.
    shift = sum(len(r) - (e - s) for s, e, r in edits if s < form.start)
    form_start = form.start + shift
    closing = out.find("</form>", form_start)
    fragment = out[form_start:closing + len("</form>")] if closing >= 0 else None
    return out, fragment


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out = text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out


def _alert(errors: Sequence[dict[str, Any]]) -> str:
    items = "".join(f"<li>{html.escape(str(e.get('message') or ''))}</li>" for e in errors)
    return (f'<div class="alert alert-danger" role="alert" data-form-errors>'
            f"<strong>{html.escape(_('Please correct the following and submit again:'))}</strong>"
            f"<ul class=\"mb-0\">{items}</ul></div>")


def _alert_in_main(page: str, errors: Sequence[dict[str, Any]]) -> str:
    at = page.find("<main")
    if at < 0:
        return page
    at = page.index(">", at) + 1
    return page[:at] + _alert(errors) + page[at:]


async def submitted_values(request: Request) -> dict[str, list[str]]:
    """The text values of the posted form (files and secrets left out)."""
    if "form" not in request.headers.get("content-type", ""):
        return {}
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - an unreadable body just means nothing to keep
        return {}
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) or key in _SECRET_NAMES:
            continue
        values.setdefault(key, []).append(str(value))
    return values


def _page_path(request: Request) -> tuple[str, str]:
    """The page the form was on: a same-site Referer, else the nearest GET page above the post."""
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        if (not parts.netloc or parts.netloc == request.url.netloc) and not parts.path.startswith("/api/"):
            return parts.path or "/", parts.query
    path = request.url.path.rstrip("/")
    router = request.app.router
    while path:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        for route in router.routes:
            match, _child = route.matches(scope)
            if match == Match.FULL:
                return path, ""
        path = path.rsplit("/", 1)[0]
    return "/", ""


async def _get_page(request: Request, path: str, query: str) -> tuple[int, str, list[tuple[bytes, bytes]]]:
    """Render ``path`` for the same caller by calling the application in-process."""
    headers = [(k, v) for k, v in request.scope["headers"]
               if k not in (b"content-type", b"content-length", b"hx-request", b"hx-target", b"hx-trigger")]
    scope = {**request.scope, "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "headers": headers, "state": {}, "fenghuo_rerender": True}
    scope.pop("route", None)
    scope.pop("endpoint", None)
    scope.pop("path_params", None)
    status = 500
    resp_headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, resp_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            resp_headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await request.app(scope, receive, send)
    return status, b"".join(chunks).decode("utf-8", "replace"), resp_headers


async def rerender(request: Request, errors: Sequence[dict[str, Any]], status: int = 422) -> Response | None:
    """The page the rejected form came from, filled and annotated; ``None`` when not a page form post."""
    if request.method != "POST" or request.url.path.startswith("/api/") or request.scope.get("fenghuo_rerender"):
        return None
    values = await submitted_values(request)
    path, query = _page_path(request)
    try:
        code, body, headers = await _get_page(request, path, query)
    except Exception:  # noqa: BLE001 - fall back to the error page
        return None
    content_type = next((v.decode() for k, v in headers if k == b"content-type"), "")
    if code != 200 or "text/html" not in content_type:
        return None
    page, fragment = fill_form(body, request.url.path, values, errors, page_path=path)
    if request.headers.get("hx-request") and fragment is not None:
        response: Response = HTMLResponse(fragment, status_code=status)
        response.headers["HX-Retarget"] = f'form[action="{request.url.path}"]'
        response.headers["HX-Reswap"] = "outerHTML"
    else:
        response = HTMLResponse(page, status_code=status)
    # The inner page's cookies are not passed on: the form keeps the CSRF token that was sent with it.
    return response


def problem_items_from_request_errors(raw: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's request validation errors as ``{record, field, message}`` items."""
    return [
        {
            "record": None,
            "field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")),
            "message": _friendly(err),
        }
        for err in raw
    ]


def _friendly(err: dict[str, Any]) -> str:
    """A translated message for the common request errors (FastAPI's own are English only)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return _("This field is required.")
        return _("Enter at least %(n)s characters.", n=ctx.get("min_length"))
    if kind == "string_too_long":
        return _("Enter at most %(n)s characters.", n=ctx.get("max_length"))
    if kind in ("int_parsing", "int_type"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return _("Enter a number.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    return str(err.get("msg", ""))


def add_list_redirects(router: APIRouter, pairs: Sequence[tuple[str, str]], dependency: Callable[..., Any]) -> None:
    """Answer GET on collection paths that only take posts with the page that lists them.

    Why: a user who opens ``/disputes/cases/7/tasks`` (from history, a bookmark, a shared link)
    should land on the list, not on "405 Method not allowed". ``pairs`` are (collection path,
    page path); the page path may use the collection's path parameters (``{case_id}``).
    """
    for path, target in pairs:
        router.add_api_route(path, _list_redirect(target, dependency), methods=["GET"], include_in_schema=False)


def _list_redirect(target: str, dependency: Callable[..., Any]) -> Callable[..., Any]:
    async def endpoint(request: Request, _caller: Any = Depends(dependency)) -> Response:
        params = {k: quote(str(v), safe="") for k, v in request.path_params.items()}
        return RedirectResponse(target.format(**params), status_code=303)

    return endpoint
