"""Ingest service, in process: `IngestService.process` on the starter pack, per storage backend.

Each event is one unit of work (dedupe, velocity fetch, evaluate, decide, plan, commit). The
baseline is the floor cost of durable storage: a bare sqlite3 insert of the event's JSON, one
transaction per event, with the journal settings of Garrison's SQLite engine (WAL,
synchronous=NORMAL). Throughput and latency passes use different events, so nothing is replayed.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Measurement, Side, compare
from bench.report import Row
from bench.workload import to_event, wire_events
from garrison.adapters.fakes import RecordingTransport
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, Store, bootstrap
from garrison.config import Settings

NAME = "ingest-service"
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
BASELINE_LABEL = "bare sqlite3 insert"
Wire = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Size:
    events: int
    warm_events: int
    budget_s: float
    rounds: int


FULL = Size(events=6_000, warm_events=200, budget_s=12.0, rounds=3)
QUICK = Size(events=300, warm_events=20, budget_s=1.0, rounds=2)


@dataclass(frozen=True, slots=True)
class Workload:
    warm: list[Wire]
    timed: list[Wire]
    sampled: list[Wire]


def run(*, quick: bool) -> list[Row]:
    size = QUICK if quick else FULL
    wires = wire_events(size.warm_events + 2 * size.events)
    rest = wires[size.warm_events :]
    half = len(rest) // 2
    work = Workload(wires[: size.warm_events], rest[:half], rest[half:])
    with tempfile.TemporaryDirectory(prefix="garrison-bench-") as name, ExitStack() as stack:
        folder = Path(name)
        baseline = stack.enter_context(_bare_sqlite(folder / "bare.db"))
        memory = stack.enter_context(_container("memory://", MemoryStore()))
        sql, skipped = _sql_container(folder / "garrison.db", stack)
        sides = [
            _side("garrison memory", memory.ingest.process, work),
            _side(BASELINE_LABEL, baseline, work, convert=False),
        ]
        if sql is not None:
            sides.insert(0, _side("garrison sqlite", sql.ingest.process, work))
        measured = {m.label: m for m in compare(sides, budget_s=size.budget_s, rounds=size.rounds)}
    return _rows(measured, skipped)


def _rows(measured: dict[str, Measurement], skipped: str | None) -> list[Row]:
    base = measured[BASELINE_LABEL]
    rows = []
    sql = measured.get("garrison sqlite")
    if sql is None:
        rows.append(Row(NAME, "starter pack, SQLite store", None, skipped=skipped))
    else:
        details = {"store": "SqlStore on a SQLite file (WAL)", "rules": "starter pack"}
        rows.append(Row(NAME, "starter pack, SQLite store", _as(sql), base, details=details))
    memory_note = (
        "MemoryStore copies its tables per unit of work, so its cost grows with the events "
        "stored; it is the reference implementation and test fake, not a production store"
    )
    rows.append(
        Row(
            NAME,
            "starter pack, memory store",
            _as(measured["garrison memory"]),
            base,
            details={"store": "MemoryStore", "rules": "starter pack", "note": memory_note},
        )
    )
    return rows


def _as(measured: Measurement) -> Measurement:
    """The same figures under the label every row's subject carries."""
    return Measurement(
        "garrison",
        measured.events,
        measured.seconds,
        measured.p50_ms,
        measured.p99_ms,
        measured.latency_samples,
        measured.round_rates,
    )


def _side(
    label: str, work: Callable[[Any], object], load: Workload, *, convert: bool = True
) -> Side:
    """Warm `work` up on the warm-up events, then a side over the timed and sampled events.

    Garrison takes domain events (converted here, untimed); the baseline takes the wire dicts.
    """
    prepare: Callable[[Wire], Any] = to_event if convert else (lambda wire: wire)
    for wire in load.warm:
        work(prepare(wire))
    items = [prepare(wire) for wire in load.timed]
    sampled = [prepare(wire) for wire in load.sampled]
    return Side(label, work, items, sampled, repeatable=False)


def _sql_container(path: Path, stack: ExitStack) -> tuple[Container | None, str | None]:
    try:
        from garrison.adapters.storage.sql import SqlStore, migrate
    except ImportError as missing:
        return None, f"SQL storage not available: {missing}"
    url = f"sqlite:///{path}"
    migrate(url)
    return stack.enter_context(_container(url, SqlStore(url))), None


@contextmanager
def _container(url: str, store: Store) -> Iterator[Container]:
    settings = Settings(database_url=url, secret_key=SECRET, log_level="WARNING")
    container = bootstrap(settings, store=store, transport=RecordingTransport())
    try:
        yield container
    finally:
        container.close()


@contextmanager
def _bare_sqlite(path: Path) -> Iterator[Callable[[Wire], None]]:
    """An insert of one event's JSON in its own transaction, on a fresh WAL database."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT NOT NULL)")

        def insert(wire: Wire) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO events (id, body) VALUES (?, ?)", (wire["id"], json.dumps(wire))
            )
            connection.execute("COMMIT")

        yield insert
    finally:
        connection.close()
