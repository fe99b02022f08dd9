"""Every failure becomes HTTP here, in one JSON shape: `{"error": {"code", "message", "field"}}`.

`field` names the offending input as a path such as `events[3].occurred_at` (or is null).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from garrison.domain.errors import (
    Conflict,
    GarrisonError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)

API_PREFIX = "/v1"
JSON = "application/json"
_STATUS: tuple[tuple[type[GarrisonError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),  # InvalidTransition included
    (Unauthenticated, 401),
    (PermissionDenied, 403),
)
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
_PARAM_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def status_for(error: GarrisonError) -> int:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        orjson.dumps(error_body(code, message, field)),
        status_code=status,
        media_type=JSON,
        headers=headers,
    )


def garrison_error_response(error: GarrisonError) -> Response:
    status = status_for(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return error_response(status, error.code, error.message, error.field, headers)


def field_path(loc: Sequence[str | int]) -> str | None:
    """`("body", "events", 3, "occurred_at")` -> `events[3].occurred_at`."""
    parts = list(loc)
    if parts and parts[0] in _PARAM_SOURCES:
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or None


def internal_error_response() -> Response:
    return error_response(500, "internal", "an unexpected error happened; it has been logged")


async def handle_garrison_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GarrisonError)
    return garrison_error_response(exc)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if not errors:
        return error_response(422, InvalidInput.code, "invalid request")
    first = errors[0]
    if first.get("type") == "json_invalid":
        return error_response(422, InvalidInput.code, "request body is not valid JSON")
    path = field_path(first.get("loc", ()))
    message = str(first.get("msg", "invalid value"))
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(422, InvalidInput.code, message, path)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Routing errors under /v1 use the error shape; elsewhere FastAPI's default answers."""
    assert isinstance(exc, HTTPException)
    if not _is_api(request.url.path):
        return await http_exception_handler(request, exc)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    return error_response(exc.status_code, code, message, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GarrisonError, handle_garrison_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(HTTPException, handle_http_error)


def _is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")
