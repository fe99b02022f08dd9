"""Dashboards: volumes over time by dimension, rule hit rates, queue health, reviewer throughput
and appeal overturn rates, and every one of them as a table (`metric`) for CSV exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.appeals import AppealStatus
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.errors import InvalidInput
from garrison.domain.ops_metrics import (
    OverturnRate,
    QueueHealth,
    Throughput,
    overturn_rates,
    queue_health,
    throughput,
)
from garrison.domain.trends import Dimension, Observation, series_by, tally
from garrison.services.ports import Clock
from garrison.services.trends import floor_time, read_observations
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

OTHER = "other"
CASE_SCAN = 20_000


class Metric(StrEnum):
    VOLUME_BY_POLICY = "volume_by_policy"
    VOLUME_BY_VERDICT = "volume_by_verdict"
    VOLUME_BY_COUNTRY = "volume_by_country"
    VOLUME_BY_TIER = "volume_by_tier"
    VOLUME_BY_TYPE = "volume_by_type"
    RULE_HITS = "rule_hits"
    QUEUE_HEALTH = "queue_health"
    REVIEWER_THROUGHPUT = "reviewer_throughput"
    APPEAL_OVERTURNS = "appeal_overturns"


VOLUME_DIMENSIONS = {
    Metric.VOLUME_BY_POLICY: Dimension.POLICY,
    Metric.VOLUME_BY_VERDICT: Dimension.VERDICT,
    Metric.VOLUME_BY_COUNTRY: Dimension.COUNTRY,
    Metric.VOLUME_BY_TIER: Dimension.TIER,
    Metric.VOLUME_BY_TYPE: Dimension.TYPE,
}


@dataclass(frozen=True, slots=True)
class Series:
    """Counts per bucket for the top values of one dimension (the rest summed as `other`)."""

    dimension: Dimension
    starts: tuple[datetime, ...]
    lines: dict[str, list[int]]


@dataclass(frozen=True, slots=True)
class RuleRate:
    rule: str
    hits: int
    rate: float
    """Hits per event of the window."""


@dataclass(frozen=True, slots=True)
class Appeals:
    available: bool
    """False when this installation stores no appeals (nothing to show)."""
    rates: tuple[OverturnRate, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]


def top_series(
    observations: Sequence[Observation],
    dimension: Dimension,
    since: datetime,
    until: datetime,
    bucket: timedelta,
    top: int = 8,
) -> Series:
    lines = series_by(observations, dimension, since, until, bucket)
    ranked = sorted(lines, key=lambda v: (-sum(lines[v]), v))
    kept = {v: lines[v] for v in ranked[:top]}
    rest = [lines[v] for v in ranked[top:]]
    if rest:
        kept[OTHER] = [sum(column) for column in zip(*rest, strict=True)]
    size = len(next(iter(lines.values()), [])) or -(-(until - since) // bucket)
    return Series(dimension, tuple(since + i * bucket for i in range(size)), kept)


def rule_rates(observations: Sequence[Observation]) -> list[RuleRate]:
    total = len(observations) or 1
    return [RuleRate(r, n, n / total) for r, n in tally(observations, Dimension.RULE).items()]


class DashboardService:
    def __init__(self, readers: UnitOfWorkFactory, clock: Clock, *, max_events: int) -> None:
        self._readers = readers
        self._clock = clock
        self._max_events = max_events

    def window(self, days: float, bucket: timedelta) -> tuple[datetime, datetime]:
        """The last `days` up to the end of the current bucket."""
        if not 0 < days <= 366:
            raise InvalidInput("days must be above 0 and at most 366", field="days")
        until = floor_time(self._clock.now(), bucket) + bucket
        return until - timedelta(days=days), until

    def observations(self, since: datetime, until: datetime) -> list[Observation]:
        return list(read_observations(self._readers, since, until, limit=self._max_events))

    def volumes(
        self, dimension: Dimension, since: datetime, until: datetime, bucket: timedelta
    ) -> Series:
        return top_series(self.observations(since, until), dimension, since, until, bucket)

    def rule_hits(self, since: datetime, until: datetime) -> list[RuleRate]:
        return rule_rates(self.observations(since, until))

    def _cases(self, uow: UnitOfWork) -> list[Case]:
        waiting = [
            case
            for status in (CaseStatus.OPEN, CaseStatus.CLAIMED)
            for case in uow.cases.list(queue=None, status=status, limit=CASE_SCAN)
        ]
        done = uow.cases.list(queue=None, status=CaseStatus.RESOLVED, limit=CASE_SCAN)
        return waiting + done

    def queues(self, window: timedelta) -> list[QueueHealth]:
        now = self._clock.now()
        with self._readers() as uow:
            queues, cases = uow.queues.list(), self._cases(uow)
        return [
            queue_health(q, [c for c in cases if c.queue == q.name], now, window) for q in queues
        ]

    def throughput(self, window: timedelta) -> list[Throughput]:
        with self._readers() as uow:
            done = uow.cases.list(queue=None, status=CaseStatus.RESOLVED, limit=CASE_SCAN)
        return throughput(done, self._clock.now() - window)

    def appeals(self, window: timedelta) -> Appeals:
        """Overturn rates of the appeals decided in the window, overall and by policy and rule."""
        since = self._clock.now() - window
        with self._readers() as uow:
            store = getattr(uow, "appeals", None)
            if store is None:
                return Appeals(False, ())
            found = store.list(status=None, limit=CASE_SCAN)
        decided = [
            (a.status is AppealStatus.OVERTURNED, _keys(a.origin.policy, a.origin.rule_ids))
            for a in found
            if a.status is not AppealStatus.OPEN and a.decided_at and a.decided_at >= since
        ]
        return Appeals(True, tuple(overturn_rates(decided)))


def _keys(policy: str | None, rules: Sequence[str]) -> list[str]:
    return ([f"policy:{policy}"] if policy else []) + [f"rule:{r}" for r in rules]
