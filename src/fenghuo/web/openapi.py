"""The OpenAPI document says what the API really sends.

FastAPI documents only the success response and its own validation error; Fenghuo answers every
failure as an RFC 9457 problem object (``application/problem+json``, see ``web.app``) and some
operations return files. Clients generated from the document, and Schemathesis' conformance
checks, would otherwise meet undocumented statuses and media types. This module post-processes
the generated document once:

* every ``/api`` operation documents the problem statuses the platform's error handlers send
  (400, 401, 403, 404, 409, 413, 415, 422, 429) with one shared ``Problem`` schema;
* operations that return files declare their media types (:data:`FILE_MEDIA_TYPES`), and a test
  checks that every route answering a non-JSON body is listed there.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: Statuses any API operation may answer through the shared error handlers, with the reason.
PROBLEM_STATUSES: dict[int, str] = {
    400: "The request could not be carried out (a domain rule refused it).",
    401: "No API token, or an invalid, revoked or expired one.",
    403: "The token's organisation, role or scope may not do this.",
    404: "No such object in the caller's organisation (or out of range).",
    409: "The change conflicts with the current state.",
    413: "The request body or an uploaded file is too large.",
    415: "Unsupported media or file type.",
    422: "Invalid input; `errors` names the record and field of each problem.",
    429: "Too many requests; retry after the time in `Retry-After`.",
}

#: Operations that answer a file instead of JSON: (method, path) → media types of the 200 body.
FILE_MEDIA_TYPES: dict[tuple[str, str], tuple[str, ...]] = {
    ("get", "/api/v1/disputes/cases/{case_id}/documents/{document_id}"): ("application/octet-stream",),
    ("get", "/api/v1/disputes/stats/export.csv"): ("text/csv",),
    ("get", "/api/v1/disputes/stats/report.pdf"): ("application/pdf",),
    ("get", "/api/v1/filing/docket.ics"): ("text/calendar",),
    ("get", "/api/v1/policy/plans/{policy_plan_id}/export"): (
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("get", "/api/v1/policy/evaluations/{evaluation_id}/report"): ("application/pdf", "text/html"),
    ("get", "/api/v1/policy/evidence/{evidence_id}"): ("application/octet-stream",),
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem object.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "record": {"type": ["string", "integer", "null"]},
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def describe_errors_and_files(document: dict[str, Any]) -> dict[str, Any]:
    """Add the problem responses and file media types to a generated OpenAPI document (in place)."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    # FastAPI's own validation-error body is never sent: the handler answers a problem object.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses: dict[str, Any] = operation["responses"]
            for status, description in PROBLEM_STATUSES.items():
                responses[str(status)] = _problem_response(description)
            media_types = FILE_MEDIA_TYPES.get((method, path))
            if media_types:
                ok = responses.setdefault("200", {"description": "The file."})
                ok["content"] = {
                    media: {"schema": {"type": "string", "format": "binary"}} for media in media_types
                }
    return document


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the described document (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = describe_errors_and_files(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
