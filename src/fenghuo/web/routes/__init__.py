"""The routers of the web app. Each domain adds a module to ``ROUTER_MODULES``; a module
exposes ``router`` (an ``APIRouter``). API routers live under ``/api/v1``.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

ROUTER_MODULES: tuple[str, ...] = (
    "fenghuo.web.routes.health",
    "fenghuo.web.routes.auth",
    "fenghuo.web.routes.pages",
    "fenghuo.web.routes.admin",
    "fenghuo.web.routes.api_core",
    "fenghuo.web.routes.api_reference",
    "fenghuo.web.routes.api_tm",
    "fenghuo.web.routes.tm_pages",
    "fenghuo.web.routes.api_disputes",
    "fenghuo.web.routes.disputes_pages",
    "fenghuo.web.routes.api_filing",
    "fenghuo.web.routes.filing_pages",
    "fenghuo.web.routes.api_policy",
    "fenghuo.web.routes.policy_pages",
    "fenghuo.web.routes.modules",
)

ROUTERS: list[APIRouter] = []


def load_routers() -> list[APIRouter]:
    """Import every router module once (a module not written yet is skipped)."""
    if ROUTERS:
        return ROUTERS
    for name in ROUTER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        ROUTERS.append(module.router)
    return ROUTERS
