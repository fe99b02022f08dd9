"""The live server for browser tests: storage, seed traffic, users and uvicorn in a thread."""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, Store, bootstrap
from garrison.config import Settings
from garrison.domain.access import SYSTEM, Role
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId, QueueName

PASSWORD = "browser test password"
REVIEWER = "reviewer@example.com"
ADMIN = "admin@example.com"
SIM_SEED, SIM_RATE, SIM_SECONDS = 7, 2.0, 300.0
"""About 740 simulated events: a few seconds of ingest over SQLite, and a handful of cases."""


@dataclass(frozen=True)
class LiveServer:
    url: str
    container: Container
    users: Mapping[str, str]

    def open_case(self, queue: str) -> Case:
        """The most urgent open case of a queue, as the seeded traffic left it."""
        cases = self.container.review.cases(
            SYSTEM, queue=QueueName(queue), status=CaseStatus.OPEN, limit=1
        )
        assert cases, f"the seeded traffic left no open case in queue {queue!r}"
        return cases[0]

    def any_case(self) -> Case:
        """A case the seeded traffic opened, whatever earlier tests did with it."""
        cases = self.container.review.cases(SYSTEM, limit=1)
        assert cases, "the seeded traffic opened no case"
        return cases[0]


def build_container(folder: Path) -> Container:
    """Over a migrated SQLite file when the SQL adapter is there, else in memory."""
    store: Store
    if importlib.util.find_spec("garrison.adapters.storage.sql") is not None:
        from garrison.adapters.storage.sql import SqlStore, migrate

        url = f"sqlite:///{folder / 'garrison.db'}"
        migrate(url)
        store = SqlStore(url)
    else:
        url, store = "memory://", MemoryStore()
    settings = Settings(
        database_url=url,
        secret_key="browser-tests",
        secret_key_file=folder / "secret.key",
        dispatch_in_server=False,
    )
    container = bootstrap(settings, store=store)
    container.access.create_user(REVIEWER, Role.REVIEWER, PASSWORD, actor="test")
    container.access.create_user(ADMIN, Role.ADMIN, PASSWORD, actor="test")
    seed(container)
    return container


def seed(container: Container) -> None:
    """Run simulated traffic through ingest, then dispatch until the cases are open."""
    for event in simulated_events():
        container.ingest.process(event)
    while container.dispatcher.run_once().busy:
        pass


def simulated_events() -> Iterator[Event]:
    if importlib.util.find_spec("garrison.simulator") is None:
        yield from hand_written_events()
        return
    from garrison.simulator import DEFAULT_FILE_START, Simulation

    simulation = Simulation(SIM_SEED, SIM_RATE, SIM_SECONDS, DEFAULT_FILE_START)
    for wire in simulation.events():
        yield from_wire(wire)


def from_wire(wire: Mapping[str, Any]) -> Event:
    return Event(
        EventId(str(wire["id"])),
        str(wire["type"]),
        datetime.fromisoformat(str(wire["occurred_at"]).replace("Z", "+00:00")),
        {EntityKind(kind): str(ident) for kind, ident in wire["entities"].items()},
        dict(wire["attributes"]),
    )


def hand_written_events() -> Iterator[Event]:
    """A stand-in for the simulator: flagged content and a chargeback."""
    start = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    for n in range(3):
        yield Event(
            EventId(f"evt_hand_{n}"),
            "content.submitted",
            start + timedelta(minutes=n),
            {EntityKind.ACCOUNT: f"acct_{n}", EntityKind.CONTENT: f"cnt_{n}"},
            {"text": f"flagged text {n}", "moderation_score": 0.95, "category": "harassment"},
        )
    yield Event(
        EventId("evt_hand_cb"),
        "payment.chargeback",
        start,
        {EntityKind.ACCOUNT: "acct_9", EntityKind.PAYMENT_METHOD: "pm_9"},
        {"amount_usd": 40.0, "reason": "fraudulent"},
    )


def build_app(container: Container) -> FastAPI:
    """The whole web app when its factory is there, else just the console."""
    if importlib.util.find_spec("garrison.entrypoints.web.app") is not None:
        from garrison.entrypoints.web.app import create_app

        return create_app(container)
    from garrison.entrypoints.web import console

    app = FastAPI()
    console.install(app, container)
    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run uvicorn in a thread on a free local port; yield its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
