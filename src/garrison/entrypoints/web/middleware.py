"""Request telemetry, as plain ASGI middleware (it sits on the ingestion hot path).

Each request is timed, counted by route template and status, and logged as one line (method,
route template, status, duration: never bodies, query strings or client addresses). An exception
nothing else handled is logged once and answered with a 500 in the error shape, never a traceback.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from garrison.adapters.telemetry import Metrics
from garrison.entrypoints.web.errors import internal_error_response

UNMATCHED = "unmatched"
logger = logging.getLogger("garrison.web.request")


class RequestTelemetry:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        started = False

        async def send_and_watch(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        except Exception:
            logger.exception(
                "unhandled error", extra={"method": scope["method"], "route": route_of(scope)}
            )
            status = 500
            if started:
                raise
            await internal_error_response()(scope, receive, send)
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method, route = scope["method"], route_of(scope)
        self.metrics.observe_request(method, route, status, seconds)
        logger.info(
            "%s %s %s",
            method,
            route,
            status,
            extra={
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
            },
        )


def route_of(scope: Scope) -> str:
    """The matched route's template (`/v1/cases/{case_id}`), so metrics stay low-cardinality."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED
