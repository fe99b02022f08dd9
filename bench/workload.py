"""Realistic work for the benchmarks: simulator traffic as wire dicts and as domain events.

Velocity counts are computed ahead of time from the same traffic (an exact sliding window per
entity), so the engine benchmark evaluates rules against the values a live system would fetch.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.rules import EvalContext
from garrison.domain.signals import Aggregate, VelocitySpec
from garrison.simulator import DEFAULT_FILE_START, Simulation

SEED = 7
RATE = 50.0
"""Simulated events per second: sets the population, so entities repeat like real traffic."""


def wire_events(count: int, *, seed: int = SEED, tag: str = "") -> list[dict[str, Any]]:
    """About `count` simulator events (at most `count`), ids suffixed with `tag` when given."""
    duration = max(10.0, count / RATE * 1.05)
    simulation = Simulation(seed=seed, rate=RATE, duration_s=duration, start=DEFAULT_FILE_START)
    events: list[dict[str, Any]] = []
    for wire in simulation.events():
        if tag:
            wire["id"] = f"{wire['id']}_{tag}"
        events.append(wire)
        if len(events) >= count:
            break
    return events


def to_event(wire: dict[str, Any]) -> Event:
    """The domain event a wire dict stands for (the simulator only writes valid ones)."""
    return Event(
        EventId(wire["id"]),
        wire["type"],
        datetime.fromisoformat(wire["occurred_at"]),
        {EntityKind(kind): ident for kind, ident in wire["entities"].items()},
        dict(wire["attributes"]),
    )


def velocity_values(
    events: Sequence[Event], specs: Iterable[VelocitySpec]
) -> list[dict[VelocitySpec, float]]:
    """Each spec's aggregate per event, over its window ending at the event (the event included).

    Only specs whose key the event carries get a value, as the ingest service fetches them.
    """
    ordered = sorted(set(specs))
    seen: dict[tuple[VelocitySpec, str], deque[tuple[float, Any]]] = defaultdict(deque)
    values: list[dict[VelocitySpec, float]] = []
    for event in events:
        at = event.occurred_at.timestamp()
        found: dict[VelocitySpec, float] = {}
        for spec in ordered:
            key = spec.key.read(event)
            if key is None:
                continue
            window = seen[(spec, str(key))]
            while window and window[0][0] <= at - spec.window_seconds:
                window.popleft()
            if spec.matches(event):
                window.append((at, None if spec.of is None else spec.of.read(event)))
            found[spec] = _aggregate(spec, window)
        values.append(found)
    return values


def _aggregate(spec: VelocitySpec, window: deque[tuple[float, Any]]) -> float:
    if spec.aggregate is Aggregate.DISTINCT:
        return len({str(value) for _, value in window})
    if spec.aggregate is Aggregate.SUM:
        return sum(value for _, value in window if isinstance(value, (int, float)))
    return len(window)


def contexts(events: Sequence[Event], specs: Iterable[VelocitySpec]) -> list[EvalContext]:
    """One evaluation context per event, with its precomputed velocity values."""
    return [
        EvalContext(event, velocity)
        for event, velocity in zip(events, velocity_values(events, specs), strict=True)
    ]
