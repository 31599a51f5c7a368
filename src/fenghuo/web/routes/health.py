"""GET /health: the process answers and the database is reachable."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from fenghuo import __version__
from fenghuo.core.db import get_engine

router = APIRouter(tags=["health"])


@router.get("/health", summary="Health check")
def health() -> JSONResponse:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return JSONResponse({"status": "error", "database": str(exc)[:200], "version": __version__}, status_code=503)
    return JSONResponse({"status": "ok", "database": database, "version": __version__})
