"""Timing loops and their figures: throughput and per-item latency, Garrison and its baseline
interleaved round by round so that a burst of load from elsewhere hits both sides alike.

Every loop stops at the end of its items or of its time budget, whichever comes first, so a slow
implementation costs a bounded time and reports how many items it got through. The headline rate
is the median of the rounds' rates; every round's rate is kept in the JSON.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

CHECK_EVERY = 256
"""Items between two looks at the clock in a throughput loop."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """What one implementation did: `events` in `seconds`, and per-event latency percentiles."""

    label: str
    events: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    latency_samples: int = 0
    round_rates: tuple[float, ...] = ()
    """Events per second of each timed round, in the order they ran."""

    @property
    def per_second(self) -> float:
        if self.round_rates:
            return statistics.median(self.round_rates)
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "events_per_s": round(self.per_second, 1),
            "p50_ms": _rounded(self.p50_ms),
            "p99_ms": _rounded(self.p99_ms),
            "events": self.events,
            "seconds": round(self.seconds, 6),
            "latency_samples": self.latency_samples,
            "round_rates": [round(rate, 1) for rate in self.round_rates],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (`share` in 0..1) of values sorted ascending."""
    if not sorted_values:
        raise ValueError("no values to take a percentile of")
    rank = max(1, min(len(sorted_values), round(share * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def throughput(
    items: Sequence[Any], work: Callable[[Any], object], budget_s: float
) -> tuple[int, float]:
    """Run `work` over `items` until they or the budget run out: (items done, seconds)."""
    gc.collect()
    clock = time.perf_counter
    start = clock()
    deadline = start + budget_s
    done = 0
    for first in range(0, len(items), CHECK_EVERY):
        for item in items[first : first + CHECK_EVERY]:
            work(item)
        done = min(len(items), first + CHECK_EVERY)
        if clock() >= deadline:
            break
    return done, clock() - start


def latencies_ns(items: Sequence[Any], work: Callable[[Any], object], budget_s: float) -> list[int]:
    """Each item timed on its own with perf_counter_ns, until the items or the budget run out."""
    gc.collect()
    clock = time.perf_counter_ns
    deadline = clock() + int(budget_s * 1e9)
    samples: list[int] = []
    for item in items:
        began = clock()
        work(item)
        ended = clock()
        samples.append(ended - began)
        if ended >= deadline:
            break
    return samples


@dataclass(slots=True)
class Side:
    """One implementation under test: its `work`, the items for throughput and for latency.

    `repeatable` work (pure evaluation) may go over its items again in a later round; other
    work (ingestion) must never see an item twice, so its rounds continue where the last stopped.
    """

    label: str
    work: Callable[[Any], object]
    items: Sequence[Any]
    latency_items: Sequence[Any] | None = None
    repeatable: bool = True
    _at: int = 0
    _latency_at: int = 0
    _events: int = 0
    _seconds: float = 0.0
    _rates: list[float] = field(default_factory=list)
    _samples: list[int] = field(default_factory=list)

    def throughput_round(self, budget_s: float) -> None:
        items = self.items
        if self._at >= len(items):
            if not self.repeatable:
                return
            self._at = 0
        done, seconds = throughput(items[self._at :], self.work, budget_s)
        self._at += done
        self._events += done
        self._seconds += seconds
        if seconds > 0 and done:
            self._rates.append(done / seconds)

    def latency_round(self, budget_s: float) -> None:
        items = self.items if self.latency_items is None else self.latency_items
        if self._latency_at >= len(items):
            if not self.repeatable:
                return
            self._latency_at = 0
        samples = latencies_ns(items[self._latency_at :], self.work, budget_s)
        self._latency_at += len(samples)
        self._samples.extend(samples)

    def result(self) -> Measurement:
        timed = sorted(ns / 1e6 for ns in self._samples)
        return Measurement(
            self.label,
            self._events,
            self._seconds,
            percentile(timed, 0.50) if timed else None,
            percentile(timed, 0.99) if timed else None,
            len(timed),
            tuple(self._rates),
        )


def compare(sides: Sequence[Side], *, budget_s: float, rounds: int) -> list[Measurement]:
    """Throughput rounds, then latency rounds, each round running every side in turn.

    `budget_s` bounds each side's time per kind of pass (throughput, latency) over all rounds.
    """
    share = budget_s / rounds
    for _ in range(rounds):
        for side in sides:
            side.throughput_round(share)
    for _ in range(rounds):
        for side in sides:
            side.latency_round(share)
    return [side.result() for side in sides]
