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
    assert "/consult/{evaluation_id}" in paths and "/api/v1/disputes/cases/{case_id}" in paths


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
