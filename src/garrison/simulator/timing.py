"""Durations, instants and the wire form of timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from garrison.domain.errors import InvalidInput

DEFAULT_FILE_START = datetime(2026, 1, 1, tzinfo=UTC)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")


def parse_duration(text: str) -> float:
    """Seconds in `30s`, `5m`, `1h`, `2d` or a plain number of seconds."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise InvalidInput(
            f"expected a positive duration like 30s, 5m, 1h or 2d, got {text!r}", field="duration"
        )
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant (`2026-01-01T00:00:00Z`); one without a zone is taken as UTC."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"expected an ISO-8601 time like 2026-01-01T00:00:00Z, got {text!r}", field="start"
        ) from None
    return as_utc(instant)


def as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def wire_time(start: datetime, offset_s: float) -> str:
    """`start + offset_s` as `YYYY-MM-DDTHH:MM:SS.mmmZ`, rounded down so order is kept."""
    instant = start + timedelta(milliseconds=int(offset_s * 1000))
    return f"{instant:%Y-%m-%dT%H:%M:%S}.{instant.microsecond // 1000:03d}Z"
