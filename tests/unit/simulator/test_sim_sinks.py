"""Sinks: JSON-lines files (plain and gzipped), the HTTP batch sink, and real-time pacing."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from garrison.simulator import DEFAULT_FILE_START, Simulation
from garrison.simulator.sinks import (
    DeliveryFailed,
    DeliveryRefused,
    FileSink,
    HttpSink,
    Pacer,
    deliver,
    truth_path_for,
)

Event = dict[str, Any]


def _events(n: int, step_s: float = 0.1) -> list[Event]:
    sim = Simulation(1, 1 / step_s, n * step_s * 3, DEFAULT_FILE_START)
    return list(sim.events())[:n]


def _write(path: Path, events: list[Event]) -> bytes:
    with FileSink(path) as sink:
        deliver(events, sink, batch_size=7)
    return path.read_bytes()


@pytest.mark.parametrize("name", ["t.jsonl", "t.jsonl.gz"])
def test_file_sink_writes_one_event_per_line_reproducibly(tmp_path: Path, name: str) -> None:
    events = _events(40)
    first = _write(tmp_path / name, events)
    second = _write(tmp_path / ("again-" + name), events)
    assert first == second
    text = gzip.decompress(first) if name.endswith(".gz") else first
    assert [json.loads(line) for line in text.decode().splitlines()] == events


@pytest.mark.parametrize(
    ("out", "truth"),
    [
        ("traffic.jsonl", "traffic.truth.json"),
        ("traffic.jsonl.gz", "traffic.truth.json"),
        ("dir/run.ndjson", "dir/run.truth.json"),
        ("events", "events.truth.json"),
    ],
)
def test_truth_goes_next_to_the_output(out: str, truth: str) -> None:
    assert truth_path_for(Path(out)) == Path(truth)


class Server:
    """A scripted Garrison batch endpoint behind httpx.MockTransport."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(json.loads(request.content))
        reply = self.responses.pop(0) if self.responses else httpx.Response(200, json={})
        if isinstance(reply, Exception):
            raise reply
        return reply

    def sink(self) -> HttpSink:
        naps: list[float] = []
        transport = httpx.MockTransport(self)
        return HttpSink(
            "http://garrison.test/", "gk_secret", transport=transport, sleep=naps.append
        )


def test_http_sink_posts_batches_with_the_api_key() -> None:
    server = Server()
    events = _events(25)
    with server.sink() as sink:
        assert deliver(events, sink, batch_size=10) == 25
    assert [len(b["events"]) for b in server.bodies] == [10, 10, 5]
    assert [e for b in server.bodies for e in b["events"]] == events
    for request in server.requests:
        assert request.method == "POST"
        assert str(request.url) == "http://garrison.test/v1/events/batch"
        assert request.headers["Authorization"] == "Bearer gk_secret"
    assert sink.report.sent == 25


@pytest.mark.parametrize("status", [401, 403, 422])
def test_a_refusal_carries_the_server_error(status: int) -> None:
    body = {"error": {"code": "unauthenticated", "message": "bad key", "field": None}}
    server = Server(httpx.Response(status, json=body))
    with server.sink() as sink, pytest.raises(DeliveryRefused) as caught:
        deliver(_events(3), sink)
    assert caught.value.status == status
    assert "bad key" in caught.value.message
    assert len(server.requests) == 1


def test_conflicts_are_counted_not_fatal() -> None:
    per_event = {
        "results": [
            {"status": 200, "decision": {"verdict": "allow"}},
            {"status": 409, "error": {"code": "conflict", "message": "other body"}},
            {"status": 422, "error": {"code": "invalid_input", "message": "bad type"}},
        ]
    }
    server = Server(httpx.Response(409, json={}), httpx.Response(200, json=per_event))
    with server.sink() as sink:
        deliver(_events(5), sink, batch_size=2)
    assert len(server.requests) == 3
    assert sink.report.conflicts == 3
    assert sink.report.rejected == 1
    assert "bad type" in sink.report.first_rejection
    assert sink.report.sent == 1


def test_connection_errors_and_server_errors_are_retried() -> None:
    server = Server(httpx.ConnectError("refused"), httpx.Response(503), httpx.Response(200))
    with server.sink() as sink:
        deliver(_events(4), sink)
    assert len(server.requests) == 3
    assert server.bodies[0] == server.bodies[2]
    assert sink.report.sent == 4


def test_retries_run_out() -> None:
    server = Server(*[httpx.ConnectError("refused") for _ in range(10)])
    with server.sink() as sink, pytest.raises(DeliveryFailed) as caught:
        deliver(_events(2), sink)
    assert "ConnectError" in caught.value.message
    assert len(server.requests) == 6


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.batches: list[tuple[float, list[str]]] = []

    def send(self, batch: Sequence[Mapping[str, Any]]) -> None:
        self.batches.append((self.clock.now, [e["occurred_at"] for e in batch]))


def test_pacing_sends_each_event_once_it_is_due() -> None:
    clock = FakeClock()
    pacer = Pacer(DEFAULT_FILE_START, clock=clock, sleep=clock.sleep)
    sink = Recorder(clock)
    events = _events(30, step_s=0.1)
    deliver(events, sink, pacer=pacer, flush_after_s=0.5, batch_size=100)
    assert [e for _, batch in sink.batches for e in batch] == [e["occurred_at"] for e in events]
    assert len(sink.batches) > 1
    schedule = Pacer(DEFAULT_FILE_START, clock=lambda: 0.0)
    for sent_at, batch in sink.batches:
        elapsed = sent_at - 100.0
        assert elapsed >= schedule.due_in({"occurred_at": batch[-1]}) - 1e-9  # never early
        assert elapsed - schedule.due_in({"occurred_at": batch[0]}) < 0.5  # never held long
