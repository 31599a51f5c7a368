"""Bounded input at the web edge: out-of-range ids, request body caps, length limits.

Why a walk over every route: the probe found 37 of 79 id-bearing API operations and 13 of 17
page routes answering 500 to an id past the database's integer range. A hand-picked list would
miss the next route someone adds; walking the routers keeps every future route honest.
"""

from __future__ import annotations

import re
import typing
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from fenghuo.web.routes import load_routers
from tests.webkit import World, bearer, login

HUGE = "99999999999999999999999"  # past SQLite's 2^63
PG_OVER = "2147483648"  # past PostgreSQL's integer


def _is_int(annotation: Any) -> bool:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is int


def _id_routes() -> list[tuple[str, str]]:
    """(method, path) of every route with an integer path parameter."""
    found: set[tuple[str, str]] = set()
    for router in load_routers():
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            names = re.findall(r"\{(\w+)", route.path)
            hints = typing.get_type_hints(route.endpoint, include_extras=True)
            if not any(_is_int(hints.get(n)) for n in names):
                continue
            for method in route.methods:
                found.add((method, route.path))
    return sorted(found)


ID_ROUTES = _id_routes()


def _fill(path: str, value: str) -> str:
    # Every integer parameter gets the value; the few text parameters get a plausible word.
    def one(match: re.Match[str]) -> str:
        return value if match.group(1).endswith("id") or match.group(1).endswith("pk") else "x"

    return re.sub(r"\{(\w+)(?::\w+)?\}", one, path)


def test_the_walk_sees_the_routes() -> None:
    # A FastAPI upgrade once hid included routes from app.routes; make sure the walk is not empty.
    paths = {p for _m, p in ID_ROUTES}
    assert len(paths) > 60
    assert "/consult/{evaluation_id}" in paths and "/api/v1/disputes/cases/{case_id:int}" in paths


@pytest.fixture
def signed_in(client: TestClient, world: World) -> TestClient:
    login(client, world.a.admin_email)
    client.headers.update(bearer(world.a.write_token))
    return client


@pytest.mark.parametrize("value", [HUGE, PG_OVER])
def test_no_route_answers_5xx_to_an_out_of_range_id(signed_in: TestClient, value: str) -> None:
    failures = []
    for method, path in ID_ROUTES:
        url = _fill(path, value)
        kwargs: dict[str, Any] = {"json": {}} if method in ("POST", "PUT", "PATCH") and "/api/" in path else {}
        response = signed_in.request(method, url, follow_redirects=False, **kwargs)
        if response.status_code >= 500:
            failures.append(f"{method} {url} -> {response.status_code}")
        elif method == "GET" and path.startswith("/api/"):
            assert response.status_code in (404, 422), (url, response.status_code)
            assert response.headers["content-type"].startswith("application/problem+json")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", [HUGE, PG_OVER, "-1", "0"])
def test_public_consultation_page_out_of_range_is_not_a_500(client: TestClient, world: World, value: str) -> None:
    response = client.get(f"/consult/{value}")
    assert response.status_code in (404, 422)
    assert "text/html" in response.headers["content-type"]


def test_ids_in_query_form_and_body_are_bounded(signed_in: TestClient, world: World) -> None:
    r = signed_in.get("/api/v1/tm/alerts", params={"watched_mark_id": HUGE})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "watched_mark_id"
    r = signed_in.get("/api/v1/audit", params={"actor_user_id": PG_OVER})
    assert r.status_code == 422
    r = signed_in.get("/api/v1/tm/alerts", params={"offset": HUGE})
    assert r.status_code == 422
    r = signed_in.post("/api/v1/grants", json={"object_type": "tm_watched_marks", "object_id": HUGE,
                                               "grantee_organisation_id": world.b.org_id})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "object_id"
    r = signed_in.get("/admin/audit", params={"page": HUGE})
    assert r.status_code == 422


def test_overflow_deep_in_a_domain_call_is_a_problem_not_a_500(app: Any, world: World) -> None:
    """The safety net: an id that escapes the declared bounds still answers a problem."""
    from fastapi import APIRouter

    from fenghuo.core.db import session_scope
    from fenghuo.tm.models import WatchedMark

    probe = APIRouter()

    @probe.get("/api/v1/_probe/{raw}")
    async def _probe(raw: str) -> dict[str, str]:
        with session_scope(org_id=world.a.org_id) as s:
            s.get(WatchedMark, int(raw))  # unbounded on purpose
        return {}

    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get(f"/api/v1/_probe/{HUGE}")
    assert r.status_code in (404, 422)
    assert r.headers["content-type"].startswith("application/problem+json")


# --- Content-Disposition (one helper for every download) ---------------------------------------


def test_case_document_with_a_chinese_name_downloads(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    case = client.post("/api/v1/disputes/cases", headers=a, json={"title": "c", "kind": "itc337", "country": "US"})
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    up = client.post(f"/api/v1/disputes/cases/{case_id}/documents", headers=a,
                     files={"file": ("证据.txt", "证据内容".encode(), "text/plain")})
    assert up.status_code == 201, up.text
    r = client.get(f"/api/v1/disputes/cases/{case_id}/documents/{up.json()['id']}", headers=a)
    assert r.status_code == 200 and r.content == "证据内容".encode()
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"") and disposition.isascii()
    assert "filename*=UTF-8''%E8%AF%81%E6%8D%AE.txt" in disposition


@pytest.mark.parametrize(("name", "ascii_name"), [
    ("证据.txt", "download.txt"),
    ("report \"final\".pdf", "report _final.pdf"),
    ("Café\r\nSet-Cookie: x.csv", "CafeSet-Cookie_ x.csv"),
    ("", "download"),
])
def test_content_disposition_is_always_a_safe_header(name: str, ascii_name: str) -> None:
    from urllib.parse import unquote

    from fenghuo.web.downloads import content_disposition

    value = content_disposition(name)
    assert value.isascii() and "\r" not in value and "\n" not in value
    assert f'filename="{ascii_name}"' in value
    assert unquote(value.split("filename*=UTF-8''")[1]) == (name.replace("\r", "").replace("\n", "") or "download")


def test_no_route_writes_content_disposition_by_hand() -> None:
    from pathlib import Path

    import fenghuo.web.routes as routes

    for path in Path(routes.__file__).parent.glob("*.py"):
        assert "Content-Disposition" not in path.read_text(encoding="utf-8"), path.name


# --- lengths declared once (marks of 201-500 characters) ------------------------------------


def test_a_long_mark_is_accepted_everywhere_and_the_list_still_answers(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    r = client.post("/api/v1/tm/marks", headers=a, json={"mark_id": "L1", "mark": "长" * 250})
    assert r.status_code == 201, r.text
    csv_text = "mark_id,mark,classes,owner\nL2," + "B" * 480 + ",29,\nL3," + "C" * 501 + ",29,\n"
    r = client.post("/api/v1/tm/marks/import", headers=a, files={"file": ("p.csv", csv_text.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 1
    assert [(e["record"], e["field"]) for e in r.json()["errors"]] == [("line 3 (L3)", "mark")]
    r = client.get("/api/v1/tm/marks", headers=a)
    assert r.status_code == 200 and {m["mark_id"] for m in r.json()} == {"L1", "L2"}
    r = client.post("/api/v1/tm/marks", headers=a, json={"mark_id": "L4", "mark": "D" * 501})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "mark"


def test_case_party_without_a_role_takes_the_default(client: TestClient, world: World) -> None:
    a = bearer(world.a.write_token)
    case_id = client.post("/api/v1/disputes/cases", headers=a,
                          json={"title": "c", "kind": "itc337", "country": "US"}).json()["id"]
    r = client.post(f"/api/v1/disputes/cases/{case_id}/parties", headers=a, json={"name": "Other Co"})
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "co_respondent"
    r = client.post(f"/api/v1/disputes/cases/{case_id}/parties", headers=a, json={"name": "X", "role": "judge"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "role"


# --- request body cap -------------------------------------------------------------------------


def test_a_declared_body_over_the_cap_is_refused_before_auth(client: TestClient, world: World,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_REQUEST_BODY_BYTES", "1000")
    body = b"x" * 5000
    r = client.post("/api/v1/tm/marks", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413  # not 401: nothing of the body was read, no route ran
    assert r.headers["content-type"].startswith("application/problem+json")
    page = client.post("/tm/portfolio", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]
    small = client.post("/api/v1/tm/marks", json={"mark_id": "S", "mark": "S"})
    assert small.status_code == 401


def test_a_streamed_body_over_the_cap_is_cut_off(client: TestClient, world: World,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FENGHUO_LIMIT_REQUEST_BODY_BYTES", "1000")

    def chunks():  # no Content-Length: chunked transfer
        for _ in range(50):
            yield b"y" * 100

    r = client.post("/api/v1/tm/marks", content=chunks(),
                    headers={"Content-Type": "application/json", **bearer(world.a.write_token)})
    assert r.status_code == 413


def test_upload_routes_have_their_own_larger_cap(client: TestClient, world: World,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from fenghuo.web.bodylimit import body_cap

    monkeypatch.setenv("FENGHUO_LIMIT_REQUEST_BODY_BYTES", "1000")
    monkeypatch.setenv("FENGHUO_LIMIT_UPLOAD_BODY_BYTES", "100000")
    assert body_cap("/api/v1/disputes/cases/7/documents") == 100000
    assert body_cap("/api/v1/disputes/cases/7") == 1000
    csv_text = "mark_id,mark,classes,owner\n" + "".join(f"M{i},MARK{i},29,\n" for i in range(200))
    r = client.post("/api/v1/tm/marks/import", headers=bearer(world.a.write_token),
                    files={"file": ("p.csv", csv_text.encode(), "text/csv")})
    assert r.status_code == 200 and r.json()["created"] == 200
    big = client.post("/api/v1/tm/marks/import", headers=bearer(world.a.write_token),
                      files={"file": ("p.csv", b"x" * 200_000, "text/csv")})
    assert big.status_code == 413
