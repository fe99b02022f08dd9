"""Operations metrics computed from cases and appeals: queue health, reviewer throughput,
appeal overturn rates. Pure: the caller passes the records, the window and `now`.

The backlog forecast divides the backlog by the net drain rate (resolved minus new cases an
hour over the window); when new cases come at least as fast as they are resolved the backlog
does not clear and the forecast is None.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from garrison.domain.cases import Case, CaseStatus, Queue


@dataclass(frozen=True, slots=True)
class QueueHealth:
    queue: str
    open: int
    claimed: int
    oldest_age_s: float
    """Age of the oldest unresolved case (0 when none)."""
    overdue: int
    """Unresolved cases past their SLA."""
    sla_met: float | None
    """Share of the cases resolved in the window that were resolved within the SLA."""
    inflow_per_h: float
    outflow_per_h: float
    clears_in_h: float | None
    """Forecast hours until the backlog is empty at the window's rates (None: not clearing)."""

    @property
    def backlog(self) -> int:
        return self.open + self.claimed


@dataclass(frozen=True, slots=True)
class Throughput:
    reviewer: str
    resolved: int
    median_handle_s: float


@dataclass(frozen=True, slots=True)
class OverturnRate:
    key: str
    """A policy or rule name (or `all`)."""
    decided: int
    overturned: int

    @property
    def rate(self) -> float:
        return self.overturned / self.decided if self.decided else 0.0


def forecast_clear(backlog: int, inflow_per_h: float, outflow_per_h: float) -> float | None:
    if backlog == 0:
        return 0.0
    drain = outflow_per_h - inflow_per_h
    return backlog / drain if drain > 0 else None


def queue_health(
    queue: Queue, cases: Sequence[Case], now: datetime, window: timedelta
) -> QueueHealth:
    """Health of one queue from its cases (unresolved ones, and those resolved recently)."""
    since = now - window
    hours = window.total_seconds() / 3600
    sla = timedelta(seconds=queue.sla_seconds)
    waiting = [c for c in cases if c.status is not CaseStatus.RESOLVED]
    resolved = [c for c in cases if c.resolution is not None and c.resolution.at >= since]
    met = [
        c for c in resolved if c.resolution is not None and c.resolution.at - c.created_at <= sla
    ]
    inflow = sum(c.created_at >= since for c in cases) / hours
    outflow = len(resolved) / hours
    oldest = min((c.created_at for c in waiting), default=now)
    return QueueHealth(
        queue=str(queue.name),
        open=sum(c.status is CaseStatus.OPEN for c in waiting),
        claimed=sum(c.status is CaseStatus.CLAIMED for c in waiting),
        oldest_age_s=(now - oldest).total_seconds(),
        overdue=sum(now - c.created_at > sla for c in waiting),
        sla_met=len(met) / len(resolved) if resolved else None,
        inflow_per_h=round(inflow, 3),
        outflow_per_h=round(outflow, 3),
        clears_in_h=forecast_clear(len(waiting), inflow, outflow),
    )


def throughput(cases: Iterable[Case], since: datetime) -> list[Throughput]:
    """Cases each reviewer resolved since `since`, most first, with the median handling time."""
    handled: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        r = case.resolution
        if r is not None and r.at >= since:
            handled[str(r.by)].append((r.at - case.created_at).total_seconds())
    out = [Throughput(who, len(times), statistics.median(times)) for who, times in handled.items()]
    return sorted(out, key=lambda t: (-t.resolved, t.reviewer))


def overturn_rates(decided: Iterable[tuple[bool, Sequence[str]]]) -> list[OverturnRate]:
    """From (overturned?, keys) per decided appeal: the rate overall (`all`) and per key."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for overturned, keys in decided:
        for key in ("all", *keys):
            counts[key][0] += 1
            counts[key][1] += int(overturned)
    rates = [OverturnRate(key, n, o) for key, (n, o) in counts.items()]
    return sorted(rates, key=lambda r: (r.key != "all", -r.decided, r.key))
