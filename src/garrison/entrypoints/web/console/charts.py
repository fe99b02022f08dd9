"""Chart data for the inline SVG charts of the rules pages (drawn by `components/rules.html`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    share: float
    """`value` as a share of the largest value charted (0 to 1)."""


def bars(values: Iterable[tuple[str, int]]) -> list[Bar]:
    """One bar per (label, value), scaled to the largest value."""
    pairs = list(values)
    top = max((value for _, value in pairs), default=0)
    return [Bar(label, value, value / top if top else 0.0) for label, value in pairs]


def day_columns(per_day: Mapping[str, int], days: Sequence[str]) -> list[Bar]:
    """One column per day of `days` (zero where the rule hit nothing that day)."""
    return bars((day, per_day.get(day, 0)) for day in days)
