"""Signals a rule may read besides the event, and the one definition of a velocity window.

A velocity count is the number of events that named the same entity (optionally of one event type)
in the window ending at the current event, the current event included. Time is cut into buckets of
`BUCKET_SECONDS`; a window of W seconds covers the W / BUCKET_SECONDS buckets that end with the
bucket holding the event's time. Real time and backtest both use `window_buckets`, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from garrison.domain.entities import EntityKind

BUCKET_SECONDS = 60
MAX_WINDOW_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True, slots=True, order=True)
class VelocitySpec:
    """Count events per `entity` over the last `window_seconds`, optionally of one `event_type`."""

    entity: EntityKind
    window_seconds: int
    event_type: str | None = None

    def counter_key(self, entity_id: str) -> str:
        return counter_key(self.entity, entity_id, self.event_type)


def counter_key(entity: EntityKind, entity_id: str, event_type: str | None) -> str:
    return f"{entity}:{entity_id}|{event_type or '*'}"


def bucket_of(at: datetime) -> int:
    return int(at.timestamp()) // BUCKET_SECONDS


def window_buckets(at: datetime, window_seconds: int) -> tuple[int, int]:
    """The inclusive range of buckets a window ending at `at` covers."""
    last = bucket_of(at)
    span = max(1, -(-window_seconds // BUCKET_SECONDS))
    return last - span + 1, last
