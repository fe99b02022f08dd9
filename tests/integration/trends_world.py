"""Simulated traffic with a scam burst, ingested through the real engine into a memory container
(shared by the trends integration tests and the incident browser test)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.simulator.bursts import Burst, BurstTruth, with_burst
from garrison.simulator.simulation import Simulation

START = datetime(2026, 1, 1, tzinfo=UTC)
BURST_HOUR = 72.5
"""The burst begins half-way through hour 72 (day 4, 00:30)."""


@dataclass
class BurstWorld:
    container: Container
    clock: ManualClock
    truth: BurstTruth

    def at_hour(self, hour: float) -> datetime:
        return START + timedelta(hours=hour)


def wire_event(wire: dict[str, Any]) -> Event:
    return Event(
        EventId(wire["id"]),
        wire["type"],
        datetime.fromisoformat(wire["occurred_at"].replace("Z", "+00:00")),
        {EntityKind(kind): ident for kind, ident in wire["entities"].items()},
        wire["attributes"],
    )


def burst_world(
    *, rate: float = 0.05, hours: float = 75, settings: dict[str, Any] | None = None
) -> BurstWorld:
    """`hours` of traffic from START at `rate` events a second, a scam burst at BURST_HOUR."""
    clock = ManualClock(START + timedelta(hours=hours))
    values: dict[str, Any] = {"database_url": "memory://", "secret_key": "test"}
    values.update(dispatch_in_server=False, **(settings or {}))
    container = bootstrap(
        Settings(**values),
        store=MemoryStore(),
        clock=clock,
        ids=SequentialIds(),
        transport=RecordingTransport(),
    )
    simulation = Simulation(seed=3, rate=rate, duration_s=hours * 3600, start=START, abuse_share=0)
    burst = Burst(start_s=BURST_HOUR * 3600, duration_s=2 * 3600, per_hour=20)
    events, truth = with_burst(simulation, burst)
    batch: list[Event] = []
    for wire in events:
        batch.append(wire_event(wire))
        if len(batch) == 500:
            container.ingest.process_batch(batch)
            batch = []
    if batch:
        container.ingest.process_batch(batch)
    return BurstWorld(container, clock, truth)
