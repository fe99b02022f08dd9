"""Console routes answer in HTML: errors become error pages, a missing session a login redirect.

The REST API translates `GarrisonError` to JSON for the whole app; console routes use their own
route class, so an error raised while rendering a page never reaches the JSON handler.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.errors import (
    Conflict,
    GarrisonError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from garrison.entrypoints.web.console.pages import Pages, is_htmx
from garrison.entrypoints.web.console.viewer import LoginRequired

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

_STATUS: tuple[tuple[type[GarrisonError], int, str], ...] = (
    (NotFound, 404, "Not found"),
    (PermissionDenied, 403, "Not allowed"),
    (Unauthenticated, 401, "Sign in needed"),
    (Conflict, 409, "Cannot do that now"),
    (InvalidInput, 400, "Check the request"),
)


def console_route(pages: Pages) -> type[APIRoute]:
    """An APIRoute class whose handler renders failures with `pages`."""

    class ConsoleRoute(APIRoute):
        def get_route_handler(self) -> Handler:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except LoginRequired:
                    return login_redirect(request)
                except GarrisonError as error:
                    return error_page(pages, request, error)
                except RequestValidationError:
                    bad = InvalidInput("the request was missing something or malformed")
                    return error_page(pages, request, bad)

            return guarded

    return ConsoleRoute


def login_redirect(request: Request) -> Response:
    """Send the browser to the login form, then back to the page it asked for."""
    target = "/login"
    if request.method == "GET" and request.url.path != "/":
        target += "?" + urlencode({"next": request.url.path + _query(request)})
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(pages: Pages, request: Request, error: GarrisonError) -> Response:
    status, title = next(
        ((code, text) for kind, code, text in _STATUS if isinstance(error, kind)),
        (400, "Something went wrong"),
    )
    template = "partials/error.html" if is_htmx(request) else "pages/error.html"
    context = {
        "viewer": getattr(request.state, "viewer", None),
        "title": title,
        "status": status,
        "message": error.message,
    }
    response = pages.render(request, template, context, status_code=status)
    if is_htmx(request):
        # Show the failure in the page's alert region, whatever the request meant to swap.
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def safe_next(target: str | None) -> str:
    """Only same-site paths may follow a login (no `//host` or absolute URLs)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queues"


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""
