"""Controls on a running release that need no new release: demotions, snoozes and alerts.

A rule that reaches its daily action cap is demoted to shadow for the rest of its release (until
an editor restores it); a snooze stops one rule from firing for one entity until a set time; an
alert tells people that something like a demotion happened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import NewType

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.events import JsonValue

SnoozeId = NewType("SnoozeId", str)
AlertId = NewType("AlertId", str)

_DURATION = re.compile(r"([0-9]{1,6})([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str, *, field: str = "duration") -> timedelta:
    """A span written like `90s`, `30m`, `24h`, `7d` or `2w`."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise InvalidInput(
            f"duration {text!r} is not a positive number followed by s, m, h, d or w (like '24h')",
            field=field,
        )
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def parse_moment(text: str, now: datetime, *, field: str) -> datetime:
    """A time written as a span back from `now` (`24h`) or as ISO 8601 with an offset."""
    if text[:1].isdigit() and text[-1:] in _UNITS:
        return now - parse_duration(text, field=field)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is neither a span like '24h' nor an ISO 8601 time", field=field
        ) from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{text!r} needs a UTC offset (like 'Z')", field=field)
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Demotion:
    """A rule of release `release_version` runs as shadow: it reached its cap on `day` (UTC).

    At most one demotion per rule, release and day; a restored one stays as history.
    """

    release_version: int
    rule: str
    day: date
    reason: str
    demoted_at: datetime
    restored_at: datetime | None = None
    restored_by: str | None = None

    @property
    def active(self) -> bool:
        return self.restored_at is None


@dataclass(frozen=True, slots=True)
class Snooze:
    """Rule `rule` does not fire for events naming `entity` until `until`."""

    id: SnoozeId
    rule: str
    entity: EntityRef
    until: datetime
    actor: str
    reason: str
    created_at: datetime

    def active(self, now: datetime) -> bool:
        return now < self.until

    def lifted(self, at: datetime) -> Snooze:
        """The snooze ended at `at` (kept as history)."""
        if not self.active(at):
            raise InvalidTransition(f"snooze {self.id} already ended", field="snooze_id")
        return replace(self, until=at)


class AlertKind(StrEnum):
    RULE_DEMOTED = "rule_demoted"


@dataclass(frozen=True, slots=True)
class Alert:
    id: AlertId
    kind: AlertKind
    rule: str
    details: Mapping[str, JsonValue]
    created_at: datetime
    acknowledged: bool = False
    acknowledged_by: str | None = None

    def acknowledge(self, by: str) -> Alert:
        if self.acknowledged:
            raise InvalidTransition(f"alert {self.id} is already acknowledged", field="alert_id")
        return replace(self, acknowledged=True, acknowledged_by=by)
