"""The HTTP load generator, run in its own process: keep-alive HTTP/1.1 over asyncio streams.

    python bench/http_client.py PLAN.json   # prints one JSON object with each phase's figures

A hand-written client keeps its own CPU cost low, which matters when the server shares the
machine. Each of `concurrency` connections sends a request, reads the whole response, and sends
the next, until the phase's time is up. Event bodies come from a JSON-lines file; once it is used
up the events are sent again under new ids (`evt_r1_...`), so the server never sees a replay.
A batch request carries `batch` consecutive events (ids prefixed `b0_`, `b1_`, ...); its items
count once each, less the items answered with an error (those carry an `"error"` object).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import percentile  # noqa: E402


class Request(Protocol):
    def __call__(self) -> bytes: ...
    def items(self, status: int, body: bytes) -> int:
        """How many items a response with this status and body answered successfully."""
        ...


class Events:
    """Request bytes for POST /v1/events (one new event id each) or, with `batch`, for
    POST /v1/events/batch with that many events."""

    def __init__(self, host: str, key: str, lines: list[bytes], batch: int | None = None) -> None:
        path = "/v1/events" if batch is None else "/v1/events/batch"
        self.head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        self.lines = lines
        self.batch = batch
        self.sent = 0

    def _next(self) -> bytes:
        """The next event; ids are changed (`r1_...`, or `b0_...` in batches) so that single
        events and batches never send the same id twice."""
        round_, index = divmod(self.sent, len(self.lines))
        self.sent += 1
        body = self.lines[index]
        if self.batch is not None:
            return body.replace(b'"id":"', b'"id":"b%d_' % round_, 1)
        if round_:
            body = body.replace(b'"id":"', b'"id":"r%d_' % round_, 1)
        return body

    def __call__(self) -> bytes:
        if self.batch is None:
            body = self._next()
        else:
            body = b'{"events":[' + b",".join(self._next() for _ in range(self.batch)) + b"]}"
        head = f"{self.head}Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body

    def items(self, status: int, body: bytes) -> int:
        if not 200 <= status < 300:
            return 0
        return 1 if self.batch is None else self.batch - body.count(b'"error":{')


class PlainGet:
    def __init__(self, host: str, path: str) -> None:
        self.request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()

    def __call__(self) -> bytes:
        return self.request

    def items(self, status: int, body: bytes) -> int:
        return 1 if 200 <= status < 300 else 0


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """Read one response: (status, whether the server will close the connection, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += (await reader.readexactly(size + 2))[:size]
            if size == 0:
                break
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() == "close", body


async def connection(
    host: str, port: int, request: Request, stop_at: float, found: dict[str, Any]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    clock = time.perf_counter_ns
    try:
        while time.perf_counter() < stop_at:
            began = clock()
            writer.write(request())
            status, closing, body = await read_response(reader)
            found["latencies"].append(clock() - began)
            found["statuses"][status] += 1
            found["items"] += request.items(status, body)
            if closing:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def phase(host: str, port: int, request: Request, seconds: float, concurrency: int) -> Any:
    found: dict[str, Any] = {"latencies": [], "statuses": Counter(), "items": 0}
    began = time.perf_counter()
    stop_at = began + seconds
    tasks = [connection(host, port, request, stop_at, found) for _ in range(concurrency)]
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - began
    failures = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    samples = sorted(ns / 1e6 for ns in found["latencies"])
    return {
        "requests": len(samples),
        "items": found["items"],
        "seconds": elapsed,
        "p50_ms": percentile(samples, 0.5) if samples else None,
        "p99_ms": percentile(samples, 0.99) if samples else None,
        "statuses": {str(k): v for k, v in sorted(found["statuses"].items())},
        "connection_failures": failures[:5],
    }


async def main(plan: dict[str, Any]) -> dict[str, Any]:
    host, port = plan["host"], plan["port"]
    lines = Path(plan["events_file"]).read_bytes().splitlines()
    events = Events(f"{host}:{port}", plan["key"], lines)
    batches = Events(f"{host}:{port}", plan["key"], lines, plan.get("batch", 100))
    requests: dict[str, Request] = {
        "events": events,
        "batch": batches,
        "healthz": PlainGet(host, "/healthz"),
    }
    results: dict[str, Any] = {}
    for step in plan["phases"]:
        concurrency = step.get("concurrency", plan["concurrency"])
        outcome = await phase(host, port, requests[step["request"]], step["seconds"], concurrency)
        results[step["name"]] = outcome
    return results


def run(plan: dict[str, Any]) -> dict[str, Any]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main(plan))
    return uvloop.run(main(plan))


if __name__ == "__main__":
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text()))))
