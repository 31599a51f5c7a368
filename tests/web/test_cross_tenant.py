"""Cross-tenant matrix: EVERY /api/v1 route is walked with another organisation's token.

Routes with a path parameter naming an object of organisation A must answer 404 to
organisation B (not 403: B must not learn the object exists). Routes without path parameters
must not leak A's data into B's answer. A route that is neither covered by an id fixture nor
listed as caller-scoped or platform-only fails the test, so new routes cannot skip the matrix.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fenghuo.core import orgs
from fenghuo.core.db import session_scope
from tests.web import tenant_objects
from tests.webkit import World, bearer

#: Routes whose answer depends only on the caller (their own user, tokens, organisation).
CALLER_SCOPED = {
    ("GET", "/api/v1/me"), ("GET", "/api/v1/tokens"), ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/organisations"), ("GET", "/api/v1/audit"), ("GET", "/api/v1/grants"),
    ("POST", "/api/v1/grants"),
}
#: Routes only platform administrators may call: B (not a platform admin) gets 403.
PLATFORM_ONLY = {("POST", "/api/v1/organisations")}
#: Public reference data (the same for everybody).
PUBLIC_DATA_PREFIXES: tuple[str, ...] = ("/api/v1/reference/",)
for _module in tenant_objects.modules():
    PUBLIC_DATA_PREFIXES += tuple(getattr(_module, "PUBLIC_DATA_PREFIXES", ()))
    CALLER_SCOPED |= set(getattr(_module, "CALLER_SCOPED", set()))
    PLATFORM_ONLY |= set(getattr(_module, "PLATFORM_ONLY", set()))

SECRET_MARKERS = ("Alpha Secret Org", "alpha-admin@example.com", "ALPHA-SECRET-MARK")


@pytest.fixture
def a_objects(world: World) -> dict[str, Any]:
    """Objects owned by organisation A, by the path-parameter names routes use for them."""
    with session_scope(org_id=None, platform_admin=True) as s:
        third = orgs.create_organisation(s, "Third Org", "guidance_centre").id
    found: dict[str, Any] = {**world.a.objects, "code": "SA"}
    for module in tenant_objects.modules():
        found.update(module.objects(world, third))
    return found


def _example(schema: dict[str, Any], spec: dict[str, Any], name: str = "") -> Any:
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return _example(spec["components"]["schemas"][name], spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _example(options[0], spec) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("format") == "date":
        return "2030-01-02"
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: _example(v, spec, k) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "string":
        if "email" in name:
            return "someone@example.com"
        return "x" * max(int(schema.get("minLength", 1)), 1)
    return {"integer": 1, "number": 1.0, "boolean": False, "array": []}.get(str(kind))


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = []
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                ops.append((method.upper(), path, op))
    return ops


def test_every_api_route_is_isolated(client: TestClient, world: World, a_objects: dict[str, Any]) -> None:
    spec = client.get("/api/openapi.json").json()
    operations = _operations(spec)
    assert len(operations) >= 10
    uncovered: list[str] = []
    failures: list[str] = []
    for method, path, op in operations:
        params = re.findall(r"{(\w+)}", path)
        body = None
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = _example(content["application/json"]["schema"], spec)
        url = path
        for name in params:
            if name not in a_objects:
                uncovered.append(f"{method} {path}: no fixture for path parameter {name!r}")
                break
            url = url.replace("{" + name + "}", str(a_objects[name]))
        else:
            kwargs: dict[str, Any] = {"headers": bearer(world.b.write_token)}
            if body is not None:
                kwargs["json"] = body
            elif content:
                kwargs["files"] = {"file": ("x.csv", b"mark_id,mark\n", "text/csv")}
            response = client.request(method, url, **kwargs)
            text = response.text
            if (method, path) in PLATFORM_ONLY and response.status_code != 403:
                failures.append(f"{method} {path}: platform-only route gave {response.status_code}")
            elif (method, path) in PLATFORM_ONLY:
                pass
            elif params and not path.startswith(PUBLIC_DATA_PREFIXES):
                if response.status_code != 404:
                    failures.append(f"{method} {url}: expected 404 for another organisation, got "
                                    f"{response.status_code} {text[:160]}")
            elif response.status_code >= 500:
                failures.append(f"{method} {url}: server error {text[:160]}")
            if not path.startswith(PUBLIC_DATA_PREFIXES):
                leaked = [m for m in SECRET_MARKERS if m in text]
                if leaked:
                    failures.append(f"{method} {url}: leaks {leaked}")
    assert not uncovered, "routes outside the matrix:\n" + "\n".join(uncovered)
    assert not failures, "\n".join(failures)


def test_a_sees_its_own_objects(client: TestClient, world: World, a_objects: dict[str, Any]) -> None:
    """The matrix would pass vacuously if every route 404ed: A itself must get its data."""
    r = client.get(f"/api/v1/organisations/{world.a.org_id}/members", headers=bearer(world.a.write_token))
    assert r.status_code == 200 and "alpha-admin@example.com" in r.text
