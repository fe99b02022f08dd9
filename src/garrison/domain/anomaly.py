"""Spike and change detection on one count series: a seasonal baseline, a robust score, CUSUM.

Pure and deterministic (stdlib only). For bucket `i` the baseline is the median of the same
season slot in earlier periods (the same hour on earlier days) when there are enough of them,
else the median of the buckets just before; the spread is 1.4826 x MAD, floored by the standard
deviation of the recent buckets (traffic that comes in clumps) and by the Poisson spread
sqrt(mean), so that sparse or clumpy segments do not alert on noise. The score is the excess over
the baseline in spreads. A one-sided CUSUM over the clipped scores finds sustained shifts that
no single bucket makes stand out, and the bucket where the shift began (the change point).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.errors import InvalidInput

MAD_TO_SIGMA = 1.4826


class FindingKind(StrEnum):
    SPIKE = "spike"
    SHIFT = "shift"


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """Detector knobs. Lower `threshold` and `min_excess` alert earlier and more often."""

    threshold: float = 6.0
    """Robust score (spreads above the baseline) a bucket needs to be a spike."""
    min_excess: int = 8
    """Events above the baseline a bucket needs, whatever its score."""
    min_ratio: float = 2.0
    """How many times the baseline a bucket needs."""
    season: int = 24
    """Buckets per season (24 hourly buckets: the same hour of earlier days); 0: none."""
    min_seasons: int = 3
    """Earlier same-slot buckets needed for a seasonal baseline."""
    recent: int = 24
    """Buckets before `i` that make the baseline without enough seasons."""
    cusum_slack: float = 1.0
    cusum_limit: float = 12.0

    def __post_init__(self) -> None:
        checks = (
            ("threshold", self.threshold > 0),
            ("min_excess", self.min_excess >= 1),
            ("min_ratio", self.min_ratio >= 1),
            ("season", self.season >= 0),
            ("recent", self.recent >= 3),
            ("cusum_limit", self.cusum_limit > 0),
        )
        for name, ok in checks:
            if not ok:
                raise InvalidInput(f"sensitivity {name} is out of range", field=name)

    def scaled(self, factor: float) -> Sensitivity:
        """Thresholds multiplied by `factor` (below 1 is more sensitive)."""
        if factor <= 0:
            raise InvalidInput("sensitivity factor must be above 0", field="sensitivity")
        return Sensitivity(
            threshold=self.threshold * factor,
            min_excess=max(1, round(self.min_excess * factor)),
            min_ratio=max(1.0, 1 + (self.min_ratio - 1) * factor),
            season=self.season,
            min_seasons=self.min_seasons,
            recent=self.recent,
            cusum_slack=self.cusum_slack,
            cusum_limit=self.cusum_limit * factor,
        )


@dataclass(frozen=True, slots=True)
class Baseline:
    expected: float
    spread: float


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    bucket: int
    """The bucket that set it off."""
    since: int
    """Where the change began (the spike's own bucket, or the CUSUM change point)."""
    observed: int
    expected: float
    score: float

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else math.inf


def baseline(series: Sequence[int], i: int, sens: Sensitivity) -> Baseline | None:
    """The baseline of bucket `i` from the buckets before it; None without enough history."""
    history: list[int] = []
    if sens.season:
        history = [series[j] for j in range(i - sens.season, -1, -sens.season)]
    if len(history) < sens.min_seasons:
        history = list(series[max(0, i - sens.recent) : i])
    if len(history) < 3:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    expected = max(median, statistics.fmean(history))
    recent = series[max(0, i - sens.recent) : i]
    clumps = statistics.pstdev(recent) if len(recent) >= 3 else 0.0
    spread = max(MAD_TO_SIGMA * mad, clumps, math.sqrt(max(expected, 1.0)))
    return Baseline(expected, spread)


def score(observed: int, base: Baseline) -> float:
    return (observed - base.expected) / base.spread


def is_spike(observed: int, base: Baseline, sens: Sensitivity) -> bool:
    return (
        score(observed, base) >= sens.threshold
        and observed - base.expected >= sens.min_excess
        and observed >= sens.min_ratio * max(base.expected, 1.0)
    )


def detect(series: Sequence[int], sens: Sensitivity, *, first: int = 0) -> list[Finding]:
    """Spikes and shifts in buckets `first`.. of the series (earlier ones only feed baselines).

    A run of spiking buckets gives one finding (its first bucket). The CUSUM measures each
    bucket against the baseline frozen where its run began (the in-control reference; a run
    longer than half of `recent` starts again), and a shift is reported only where no spike
    was found in the same run.
    """
    found: list[Finding] = []
    cusum, start, in_spike = 0.0, 0, False
    reference: Baseline | None = None
    for i in range(len(series)):
        base = baseline(series, i, sens)
        if base is None:
            continue
        spike = is_spike(series[i], base, sens)
        if spike and not in_spike and i >= first:
            z = score(series[i], base)
            found.append(Finding(FindingKind.SPIKE, i, i, series[i], base.expected, z))
        in_spike = spike
        if cusum == 0.0 or i - start > sens.recent // 2:
            cusum, start, reference = 0.0, i, base  # a run too long to be a change restarts
        assert reference is not None
        z = score(series[i], reference)
        cusum = max(0.0, cusum + min(z, 4.0) - sens.cusum_slack)
        if cusum >= sens.cusum_limit:
            excess_ok = series[i] - reference.expected >= sens.min_excess / 2
            recent = any(f.bucket >= start for f in found)
            if i >= first and excess_ok and not recent:
                found.append(Finding(FindingKind.SHIFT, i, start, series[i], reference.expected, z))
            cusum = 0.0
    return found
