"""Pages of modules whose workflows are not in the web UI yet: each says what it will do and
what already works (CLI commands), so a user is never left with an empty page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from fenghuo.web.deps import Caller, require_caller
from fenghuo.web.templating import render

router = APIRouter(include_in_schema=False)

MODULES: dict[str, dict[str, Any]] = {}


def _page(name: str):  # type: ignore[no-untyped-def]
    async def page(request: Request, caller: Caller = Depends(require_caller)) -> Response:
        return render(request, "modules/module.html", {"module": MODULES[name], "key": name})

    return page


for _name in MODULES:
    router.add_api_route(f"/{_name}", _page(_name), methods=["GET"])
