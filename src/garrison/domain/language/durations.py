"""Velocity windows written as text (`"30m"`, `"1h"`, `"7d"`) and back."""

from __future__ import annotations

import re

from garrison.domain.errors import InvalidInput
from garrison.domain.signals import BUCKET_SECONDS, MAX_WINDOW_SECONDS

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_WINDOW = re.compile(r"([0-9]{1,9})([smhdw])")


def parse_window(text: str) -> int:
    """Seconds in a window like `"5m"`; it must be whole buckets and short enough to keep."""
    match = _WINDOW.fullmatch(text)
    if match is None:
        raise InvalidInput(
            f"window {text!r} is not a number followed by s, m, h, d or w (like '1h')",
            field="window",
        )
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds < BUCKET_SECONDS:
        raise InvalidInput(
            f"window {text!r} is shorter than one {BUCKET_SECONDS}s bucket",
            field="window",
        )
    if seconds % BUCKET_SECONDS:
        raise InvalidInput(
            f"window {text!r} is not a whole number of {BUCKET_SECONDS}s buckets",
            field="window",
        )
    if seconds > MAX_WINDOW_SECONDS:
        raise InvalidInput(
            f"window {text!r} too long to keep (at most {format_window(MAX_WINDOW_SECONDS)})",
            field="window",
        )
    return seconds


def format_window(seconds: int) -> str:
    """The shortest text for a window: 3600 -> `"1h"`, 5400 -> `"90m"`."""
    for unit in ("d", "h", "m"):
        size = _UNITS[unit]
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
