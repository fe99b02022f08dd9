"""In-memory event log reads that scan every stored event (the reference for the SQL queries)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from garrison.services.unit_of_work import StoredEvent


def replay_key(stored: StoredEvent) -> tuple[datetime, datetime, str]:
    """Replay order: when it happened, then when it arrived, then its id."""
    return stored.event.occurred_at, stored.received_at, stored.event.id


def events_by_time(
    stored: Iterable[StoredEvent],
    start: datetime,
    end: datetime | None,
    after: StoredEvent | None,
    limit: int,
) -> list[StoredEvent]:
    """The `EventLog.by_time` page: in [start, end), after `after`, in replay order."""
    floor = replay_key(after) if after is not None else None
    found = [
        s
        for s in stored
        if s.event.occurred_at >= start
        and (end is None or s.event.occurred_at < end)
        and (floor is None or replay_key(s) > floor)
    ]
    found.sort(key=replay_key)
    return found[:limit]
