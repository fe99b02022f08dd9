"""Random QA samples of allowed traffic and Horvitz-Thompson estimates of what the rules missed.

Blocked items get reviewed; allowed ones mostly do not, so precision alone lets a detector hide
its misses. A QA sample draws allowed items at a known rate per segment (stratum), reviewers
label them, and each violating item found stands for 1/pi allowed items (Horvitz-Thompson).

Selection is a pure function of (seed, key): the same event is in or out of the sample on every
run, and the rate is the inclusion probability. When only part of a stratum's sample has been
labelled so far, the labelled part is treated as the sample (effective rate = rate x labelled /
sampled), i.e. labels are assumed missing at random within a stratum.

The interval combines each stratum's Wilson interval (scaled by its population) in quadrature
around the HT point, so a stratum where nothing violating was found still widens the upper bound:
"0 of 40 found" never reads as "no misses".
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from garrison.domain.metrics import Z_95, Interval, wilson_interval

_SCALE = float(1 << 64)


def draw(seed: str, key: str) -> float:
    """A uniform number in [0, 1) fixed by (seed, key)."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def selected(seed: str, key: str, rate: float) -> bool:
    """Whether `key` is in a Bernoulli sample with inclusion probability `rate`."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError("a sampling rate is between 0 and 1")
    return draw(seed, key) < rate


def segment_of(event_type: str, tier: str | None) -> str:
    """The stratum of an event: its type crossed with the subject's tier."""
    return f"{event_type}|{tier or 'unknown'}"


@dataclass(frozen=True, slots=True)
class Stratum:
    """One segment's allowed traffic and what its QA sample found."""

    segment: str
    population: int
    """Allowed items in the period."""
    rate: float
    """Inclusion probability used when sampling."""
    sampled: int
    labelled: int
    violating: int

    def __post_init__(self) -> None:
        if not 0 <= self.violating <= self.labelled <= self.sampled:
            raise ValueError("need 0 <= violating <= labelled <= sampled")
        if not 0.0 < self.rate <= 1.0 and self.sampled:
            raise ValueError("a stratum with samples needs a rate in (0, 1]")

    @property
    def effective_rate(self) -> float:
        return self.rate * self.labelled / self.sampled if self.sampled else 0.0

    @property
    def estimate(self) -> float:
        """Horvitz-Thompson estimate of violating allowed items in this stratum."""
        return self.violating / self.effective_rate if self.labelled else 0.0


@dataclass(frozen=True, slots=True)
class MissedEstimate:
    """Estimated violating items among allowed traffic (the misses), with an interval."""

    total: float
    interval: Interval
    labelled: int
    violating: int
    uncovered: int
    """Allowed items in strata without any labelled sample: not in the estimate."""
    strata: tuple[Stratum, ...]


def estimate_missed(strata: Sequence[Stratum], z: float = Z_95) -> MissedEstimate:
    """Sum the strata's HT estimates; combine their Wilson half-widths in quadrature."""
    total = below = above = 0.0
    uncovered = 0
    for s in strata:
        if not s.labelled:
            uncovered += s.population
            continue
        total += s.estimate
        share = s.violating / s.labelled
        bounds = wilson_interval(s.violating, s.labelled, z)
        size = max(s.population, s.labelled)
        below += ((share - bounds.low) * size) ** 2
        above += ((bounds.high - share) * size) ** 2
    interval = Interval(max(0.0, total - math.sqrt(below)), total + math.sqrt(above))
    return MissedEstimate(
        total,
        interval,
        sum(s.labelled for s in strata),
        sum(s.violating for s in strata),
        uncovered,
        tuple(strata),
    )


@dataclass(frozen=True, slots=True)
class RecallEstimate:
    caught: int
    """Violating items the detector flagged (known from labels)."""
    missed: MissedEstimate
    value: float | None
    interval: Interval | None


def recall(caught: int, missed: MissedEstimate) -> RecallEstimate:
    """caught / (caught + missed); the interval follows the misses' interval (recall falls as
    misses rise). None when nothing violating was caught or estimated missed."""
    if caught < 0:
        raise ValueError("caught cannot be negative")
    if caught + missed.total <= 0 and missed.interval.high <= 0:
        return RecallEstimate(caught, missed, None, None)
    value = caught / (caught + missed.total) if caught + missed.total > 0 else 0.0
    high = caught / (caught + missed.interval.low) if caught + missed.interval.low > 0 else 1.0
    low = caught / (caught + missed.interval.high) if caught + missed.interval.high > 0 else 0.0
    return RecallEstimate(caught, missed, value, Interval(low, high))
