"""Trend detection: read a window of events and decisions, find spikes and shifts per segment,
and raise alerts, deduplicated while a change lasts. Run by the worker every
`trends_interval_seconds` and on demand (`garrison trends scan`, `POST /v1/trends/scan`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from garrison.domain.access import SYSTEM
from garrison.domain.anomaly import Sensitivity
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.trend_alerts import (
    TrendAlert,
    TrendAlertId,
    TrendAlertStatus,
    acknowledge,
    extend,
    is_duplicate,
)
from garrison.domain.trend_scan import Candidate, scan
from garrison.domain.trends import Observation, observe, search_query
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import StoredEvent, UnitOfWorkFactory

PAGE = 2000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TrendSettings:
    bucket: timedelta = timedelta(hours=1)
    lookback: timedelta = timedelta(days=7)
    evaluate: int = 2
    """Newest complete buckets each pass looks for changes in (older ones are history)."""
    dedupe: timedelta = timedelta(hours=6)
    sensitivity: Sensitivity = field(default_factory=Sensitivity)
    max_events: int = 1_000_000
    schemas: EventSchemas | None = None
    """The event schemas alert searches are written against (attributes a type declares)."""


@dataclass(frozen=True, slots=True)
class ScanReport:
    raised: tuple[TrendAlert, ...]
    extended: tuple[TrendAlert, ...]
    segments: int
    events: int
    window: tuple[datetime, datetime]


def read_observations(
    readers: UnitOfWorkFactory, since: datetime, until: datetime, *, limit: int
) -> Iterator[Observation]:
    """Every event with since <= occurred_at < until, with its decision, page by page."""
    after: StoredEvent | None = None
    seen = 0
    while seen < limit:
        with readers() as uow:
            page = uow.events.by_time(since, until, after, min(PAGE, limit - seen))
            decided = {d.id: d for d in uow.decisions.many([s.decision_id for s in page])}
        for stored in page:
            yield observe(stored.event, decided.get(stored.decision_id))
        seen += len(page)
        if len(page) < PAGE:
            return
        after = page[-1]


def alert_of(
    candidate: Candidate,
    alert_id: TrendAlertId,
    now: datetime,
    schemas: EventSchemas | None = None,
) -> TrendAlert:
    """The alert a scan candidate raises, detected at `now`."""
    finding = candidate.finding
    return TrendAlert(
        id=alert_id,
        segment=candidate.key,
        kind=finding.kind,
        status=TrendAlertStatus.OPEN,
        started_at=candidate.started_at,
        last_seen_at=candidate.last_seen_at,
        detected_at=now,
        observed=finding.observed,
        expected=round(finding.expected, 3),
        score=round(finding.score, 3) if math.isfinite(finding.score) else 999.0,
        query=search_query(candidate.segment, schemas),
        samples=candidate.samples,
    )


def floor_time(at: datetime, bucket: timedelta) -> datetime:
    """The start of the bucket `at` falls in (buckets are aligned on the Unix epoch)."""
    return EPOCH + ((at - EPOCH) // bucket) * bucket


class TrendService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        settings: TrendSettings,
        *,
        readers: UnitOfWorkFactory | None = None,
    ) -> None:
        self._uow = uow_factory
        self._readers = readers or uow_factory
        self._clock = clock
        self._ids = ids
        self.settings = settings

    def scan(
        self, *, until: datetime | None = None, sensitivity: float = 1.0, actor: str = SYSTEM.actor
    ) -> ScanReport:
        """One detection pass over the buckets completed by `until` (default now)."""
        s = self.settings
        end = floor_time(until or self._clock.now(), s.bucket)
        start = end - s.lookback
        observations = list(read_observations(self._readers, start, end, limit=s.max_events))
        if observations:  # no history before the first event: not a run of empty buckets
            start = max(start, floor_time(observations[0].at, s.bucket))
        found = scan(
            observations,
            start=start,
            end=end,
            bucket=s.bucket,
            sensitivity=s.sensitivity.scaled(sensitivity),
            evaluate=s.evaluate,
        )
        raised, extended = self._record(found.candidates, actor)
        return ScanReport(raised, extended, found.segments, len(observations), (start, end))

    def _record(
        self, candidates: tuple[Candidate, ...], actor: str
    ) -> tuple[tuple[TrendAlert, ...], tuple[TrendAlert, ...]]:
        raised: list[TrendAlert] = []
        extended: list[TrendAlert] = []
        now = self._clock.now()
        with self._uow() as uow:
            for candidate in candidates:
                alert = alert_of(
                    candidate, TrendAlertId(self._ids.new("tra")), now, self.settings.schemas
                )
                latest = uow.trend_alerts.latest(alert.segment)
                if latest is not None and is_duplicate(latest, alert, self.settings.dedupe):
                    if alert.last_seen_at > latest.last_seen_at:
                        uow.trend_alerts.save(carried := extend(latest, alert))
                        extended.append(carried)
                    continue
                uow.trend_alerts.add(alert)
                raised.append(alert)
                details = {"segment": alert.segment, "score": round(alert.score, 2)}
                audit.record(
                    uow,
                    self._clock,
                    actor=actor,
                    action="trend.alert",
                    target=f"trend_alert:{alert.id}",
                    details=details,
                )
            uow.commit()
        return tuple(raised), tuple(extended)

    def alerts(
        self, *, status: TrendAlertStatus | None = None, limit: int = 100
    ) -> list[TrendAlert]:
        with self._readers() as uow:
            return uow.trend_alerts.list(status=status, limit=limit)

    def alert(self, alert_id: TrendAlertId) -> TrendAlert:
        with self._readers() as uow:
            found = uow.trend_alerts.get(alert_id)
        if found is None:
            raise NotFound(f"no trend alert {alert_id}", field="alert_id")
        return found

    def acknowledge(self, alert_id: TrendAlertId, *, actor: str) -> TrendAlert:
        with self._uow() as uow:
            found = uow.trend_alerts.get(alert_id)
            if found is None:
                raise NotFound(f"no trend alert {alert_id}", field="alert_id")
            done = acknowledge(found)
            uow.trend_alerts.save(done)
            audit.record(
                uow,
                self._clock,
                actor=actor,
                action="trend.acknowledge",
                target=f"trend_alert:{alert_id}",
            )
            uow.commit()
        return done


def parse_bucket(text: str) -> timedelta:
    """`15m`, `1h`, `1d` as a timedelta; `InvalidInput` on the field `bucket` otherwise."""
    units = {"m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit() or int(number) <= 0:
        raise InvalidInput(f"bad duration {text!r} (write 15m, 1h or 1d)", field="bucket")
    return timedelta(seconds=int(number) * units[unit])
