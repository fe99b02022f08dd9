"""The HTTP load generator, run in its own process: keep-alive HTTP/1.1 over asyncio streams.

    python bench/http_client.py PLAN.json   # prints one JSON object with each phase's figures

A hand-written client keeps its own CPU cost low, which matters when the server shares the
machine. Each of `concurrency` connections sends a request, reads the whole response, and sends
the next, until the phase's time is up. Event bodies come from a JSON-lines file; once it is used
up the events are sent again under new ids (`evt_r1_...`), so the server never sees a replay.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import percentile  # noqa: E402

Request = Callable[[], bytes]


class Events:
    """Request bytes for POST /v1/events, one new event id each."""

    def __init__(self, host: str, path: str, key: str, lines: list[bytes]) -> None:
        self.head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        self.lines = lines
        self.sent = 0

    def __call__(self) -> bytes:
        round_, index = divmod(self.sent, len(self.lines))
        self.sent += 1
        body = self.lines[index]
        if round_:
            body = body.replace(b'"id":"', b'"id":"r%d_' % round_, 1)
        head = f"{self.head}Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body


def plain_get(host: str, path: str) -> Request:
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    return lambda: request


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response: (status, whether the server will close the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() == "close"


async def connection(
    host: str, port: int, request: Request, stop_at: float, found: dict[str, Any]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    clock = time.perf_counter_ns
    try:
        while time.perf_counter() < stop_at:
            began = clock()
            writer.write(request())
            status, closing = await read_response(reader)
            found["latencies"].append(clock() - began)
            found["statuses"][status] += 1
            if closing:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def phase(host: str, port: int, request: Request, seconds: float, concurrency: int) -> Any:
    found: dict[str, Any] = {"latencies": [], "statuses": Counter()}
    began = time.perf_counter()
    stop_at = began + seconds
    tasks = [connection(host, port, request, stop_at, found) for _ in range(concurrency)]
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - began
    failures = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    samples = sorted(ns / 1e6 for ns in found["latencies"])
    return {
        "requests": len(samples),
        "seconds": elapsed,
        "p50_ms": percentile(samples, 0.5) if samples else None,
        "p99_ms": percentile(samples, 0.99) if samples else None,
        "statuses": {str(k): v for k, v in sorted(found["statuses"].items())},
        "connection_failures": failures[:5],
    }


async def main(plan: dict[str, Any]) -> dict[str, Any]:
    host, port, concurrency = plan["host"], plan["port"], plan["concurrency"]
    lines = Path(plan["events_file"]).read_bytes().splitlines()
    events = Events(f"{host}:{port}", "/v1/events", plan["key"], lines)
    requests: dict[str, Request] = {"events": events, "healthz": plain_get(host, "/healthz")}
    results: dict[str, Any] = {}
    for step in plan["phases"]:
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
