"""Telemetry: JSON log lines without personal data, and Prometheus metrics on a private registry.

Log lines carry time, level, logger and message, plus only the extra fields named in
`SAFE_FIELDS` (ids, routes, statuses, durations): request bodies, emails and client addresses
are never written, even when a caller passes them as `extra`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

SAFE_FIELDS: frozenset[str] = frozenset(
    {
        "method",
        "route",
        "status",
        "duration_ms",
        "error_code",
        "event_id",
        "decision_id",
        "case_id",
        "delivery_id",
        "principal_id",
        "performed",
        "delivered",
        "retried",
        "dead",
        "cases_opened",
    }
)
"""Extra fields a log line may carry. Anything else passed as `extra` is left out."""

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class JsonFormatter(logging.Formatter):
    """One JSON object per line: `time`, `level`, `logger`, `message`, then safe extra fields."""

    def __init__(self, fields: Iterable[str] = SAFE_FIELDS) -> None:
        super().__init__()
        self._fields = frozenset(fields)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self._fields & record.__dict__.keys():
            line[name] = record.__dict__[name]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """Send every log line to stderr, as JSON or as plain text.

    uvicorn's access log is silenced: it writes client addresses, and the web app logs each request
    itself (method, route template, status, duration).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    access = logging.getLogger("uvicorn.access")
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True


class Metrics:
    """The server's Prometheus metrics on a registry of their own, so tests can build many apps."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "garrison_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "garrison_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.ingested = Counter(
            "garrison_ingest_events",
            "Events received, by result: decided, replayed or rejected.",
            ["result"],
            registry=self.registry,
        )
        self.decisions = Counter(
            "garrison_decisions",
            "New decisions by verdict.",
            ["verdict"],
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> bytes:
        """The registry in the Prometheus text format."""
        return bytes(generate_latest(self.registry))
