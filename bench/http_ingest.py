"""HTTP ingestion: `garrison serve` with 2 uvicorn workers on a migrated SQLite file, loaded by
`http_client.py` in another process over loopback.

Two cases: one event per request (POST /v1/events), and 100 events per request (POST
/v1/events/batch, one transaction each, from fewer connections, as a producer that batches
would send them). Events/s counts events answered with a decision; latencies are per request.
The baseline is the same client against GET /healthz of the same server: the framework's floor.
The server is always stopped at the end (its whole process group), whatever happened.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import orjson

from bench.measure import Measurement
from bench.report import Row, Target
from bench.workload import wire_events
from garrison.adapters.fakes import RecordingTransport
from garrison.bootstrap import bootstrap
from garrison.config import Settings
from garrison.domain.access import Role

NAME = "http-ingest"
HOST = "127.0.0.1"
WORKERS = 2
CONCURRENCY = 16
BATCH = 100
BATCH_CONCURRENCY = 4
TARGET = Target(min_per_s=3_000, max_p99_ms=25.0)
BATCH_TARGET = Target(min_per_s=3_000)
"""A batch's p99 is per request of 100 events, not per event: only the rate is held to."""
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
CLIENT = Path(__file__).resolve().parent / "http_client.py"
READY_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Size:
    seconds: float
    warm_seconds: float
    events: int
    """Distinct events written for the client; it re-sends them under new ids if they run out."""


FULL = Size(seconds=20.0, warm_seconds=2.0, events=80_000)
QUICK = Size(seconds=3.0, warm_seconds=0.5, events=10_000)


def run(*, quick: bool, seconds: float | None = None) -> list[Row]:
    size = QUICK if quick else FULL
    phase_s = seconds if seconds is not None else size.seconds
    case = f"POST /v1/events, SQLite, {WORKERS} workers"
    batch_case = f"POST /v1/events/batch ({BATCH} events), SQLite, {WORKERS} workers"
    try:
        from garrison.adapters.storage.sql import migrate
    except ImportError as missing:
        skipped = f"SQL storage not available: {missing}"
        return [
            Row(NAME, case, None, skipped=skipped),
            Row(NAME, batch_case, None, skipped=skipped),
        ]
    with tempfile.TemporaryDirectory(prefix="garrison-bench-http-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'garrison.db'}"
        migrate(url)
        key = _ingest_key(url)
        events_file = folder / "events.jsonl"
        lines = (orjson.dumps(wire) for wire in wire_events(size.events, tag="http"))
        events_file.write_bytes(b"\n".join(lines) + b"\n")
        port = _free_port()
        plan = {
            "host": HOST,
            "port": port,
            "concurrency": CONCURRENCY,
            "batch": BATCH,
            "key": key,
            "events_file": str(events_file),
            "phases": [
                {"name": "warm_healthz", "request": "healthz", "seconds": size.warm_seconds},
                {"name": "healthz", "request": "healthz", "seconds": phase_s},
                {"name": "warm_events", "request": "events", "seconds": size.warm_seconds},
                {"name": "events", "request": "events", "seconds": phase_s},
                {
                    "name": "warm_batch",
                    "request": "batch",
                    "seconds": size.warm_seconds,
                    "concurrency": BATCH_CONCURRENCY,
                },
                {
                    "name": "batch",
                    "request": "batch",
                    "seconds": phase_s,
                    "concurrency": BATCH_CONCURRENCY,
                },
            ],
        }
        results = _load(folder, url, port, plan)
    return [_row(case, results, phase_s), _batch_row(batch_case, results, phase_s)]


def _ingest_key(url: str) -> str:
    settings = Settings(database_url=url, secret_key=SECRET, log_level="WARNING")
    container = bootstrap(settings, transport=RecordingTransport())
    try:
        return container.access.create_api_key("bench-http", Role.INGEST, actor="bench").key
    finally:
        container.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def _load(folder: Path, url: str, port: int, plan: dict[str, Any]) -> dict[str, Any]:
    """Start the server, run the client against it, and always stop the server."""
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan))
    with (folder / "server.log").open("wb") as log:
        server = _start_server(folder, url, port, log)
        try:
            _wait_ready(server, port)
            budget = sum(step["seconds"] for step in plan["phases"]) + 60
            done = subprocess.run(
                [sys.executable, str(CLIENT), str(plan_file)],
                capture_output=True,
                text=True,
                timeout=budget,
                check=False,
            )
        finally:
            _stop(server)
    if done.returncode != 0:
        tail = (folder / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the load client failed: {done.stderr[-2000:]}\nserver log:\n{tail}")
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def _start_server(folder: Path, url: str, port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARRISON_")}
    env.update({"GARRISON_DATABASE_URL": url, "GARRISON_SECRET_KEY": SECRET})
    command = [sys.executable, "-m", "garrison.entrypoints.cli.main", "serve"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(WORKERS), "--no-migrate"]
    return subprocess.Popen(
        command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_ready(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before serving")
        try:
            if httpx.get(f"http://{HOST}:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /readyz within {READY_TIMEOUT_S:.0f} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (uvicorn's supervisor and workers), then SIGKILL."""
    for sig, wait_s in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue


def _measurement(label: str, phase: dict[str, Any]) -> Measurement:
    """Items answered successfully (events, or health checks) per second; latency per request."""
    ok = phase["items"]
    requests = phase["requests"]
    return Measurement(label, ok, phase["seconds"], phase["p50_ms"], phase["p99_ms"], requests)


def _row(case: str, results: dict[str, Any], phase_s: float) -> Row:
    events, healthz = results["events"], results["healthz"]
    return Row(
        NAME,
        case,
        _measurement("garrison", events),
        _measurement("GET /healthz", healthz),
        target=TARGET,
        details={
            "seconds_per_phase": phase_s,
            "workers": WORKERS,
            "concurrency": CONCURRENCY,
            "client": "bench/http_client.py: asyncio keep-alive HTTP/1.1, separate process",
            "events_statuses": events["statuses"],
            "healthz_statuses": healthz["statuses"],
            "events_requests": events["requests"],
            "connection_failures": events["connection_failures"] + healthz["connection_failures"],
            "note": "events/s counts 2xx answers only; server, workers and client share the "
            "machine's CPUs",
        },
    )


def _batch_row(case: str, results: dict[str, Any], phase_s: float) -> Row:
    batch, healthz = results["batch"], results["healthz"]
    return Row(
        NAME,
        case,
        _measurement("garrison", batch),
        _measurement("GET /healthz", healthz),
        target=BATCH_TARGET,
        details={
            "seconds_per_phase": phase_s,
            "workers": WORKERS,
            "concurrency": BATCH_CONCURRENCY,
            "events_per_request": BATCH,
            "client": "bench/http_client.py: asyncio keep-alive HTTP/1.1, separate process",
            "batch_statuses": batch["statuses"],
            "batch_requests": batch["requests"],
            "connection_failures": batch["connection_failures"],
            "note": "events/s counts events answered with a decision; p50/p99 are per request "
            "of 100 events, each request one transaction",
        },
    )
