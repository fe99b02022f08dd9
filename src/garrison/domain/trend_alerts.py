"""Trend alerts: a spike or shift found in one segment, deduplicated while it lasts.

A new finding for a segment that already has an open alert seen within the dedupe window
extends that alert (`extend`) instead of raising another one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NewType
from urllib.parse import urlencode

from garrison.domain.anomaly import FindingKind
from garrison.domain.errors import InvalidTransition

TrendAlertId = NewType("TrendAlertId", str)


class TrendAlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    INCIDENT = "incident"
    """An incident was declared from it."""


@dataclass(frozen=True, slots=True)
class TrendAlert:
    id: TrendAlertId
    segment: str
    kind: FindingKind
    status: TrendAlertStatus
    started_at: datetime
    """Start of the bucket where the change began."""
    last_seen_at: datetime
    """End of the newest bucket that still showed it."""
    detected_at: datetime
    observed: int
    expected: float
    score: float
    query: str
    samples: tuple[str, ...] = ()
    """A few event ids from the segment in the alerting buckets."""
    occurrences: int = 1
    incident_id: str | None = None

    @property
    def change(self) -> float:
        """Observed over expected (x times the baseline)."""
        return self.observed / self.expected if self.expected > 0 else float(self.observed)

    @property
    def search_url(self) -> str:
        """The event search that shows the alert's events."""
        params = {
            "q": self.query,
            "since": self.started_at.isoformat(),
            "until": self.last_seen_at.isoformat(),
        }
        return "/search?" + urlencode(params)


def extend(alert: TrendAlert, newer: TrendAlert) -> TrendAlert:
    """The alert carried on by a newer finding of the same segment (largest bucket kept)."""
    larger = newer.observed - newer.expected > alert.observed - alert.expected
    return replace(
        alert,
        last_seen_at=max(alert.last_seen_at, newer.last_seen_at),
        occurrences=alert.occurrences + 1,
        observed=newer.observed if larger else alert.observed,
        expected=newer.expected if larger else alert.expected,
        score=max(alert.score, newer.score),
        samples=tuple(dict.fromkeys((*alert.samples, *newer.samples)))[:10],
    )


def is_duplicate(alert: TrendAlert, newer: TrendAlert, window: timedelta) -> bool:
    """Whether `newer` continues `alert` (same segment, within `window` of its last bucket)."""
    return (
        alert.segment == newer.segment
        and alert.status is not TrendAlertStatus.ACKNOWLEDGED
        and newer.started_at <= alert.last_seen_at + window
    )


def acknowledge(alert: TrendAlert) -> TrendAlert:
    if alert.status is TrendAlertStatus.ACKNOWLEDGED:
        raise InvalidTransition("the alert is already acknowledged", field="status")
    return replace(alert, status=TrendAlertStatus.ACKNOWLEDGED)


def escalate(alert: TrendAlert, incident_id: str) -> TrendAlert:
    return replace(alert, status=TrendAlertStatus.INCIDENT, incident_id=incident_id)
