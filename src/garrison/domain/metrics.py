"""Detection quality: precision and recall with Wilson score intervals.

The Wilson interval stays inside [0, 1] and behaves at 0 and n (where the normal approximation
collapses to a point), so a rule that caught 3 of 3 reads as "somewhere above 44%", not "100%".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.96
"""The two-sided 95% normal quantile."""


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Proportion:
    """`successes` out of `n`, its point estimate and Wilson interval (None when n is 0)."""

    successes: int
    n: int
    value: float | None
    interval: Interval | None

    @classmethod
    def of(cls, successes: int, n: int, z: float = Z_95) -> Proportion:
        if n == 0:
            return cls(successes, n, None, None)
        return cls(successes, n, successes / n, wilson_interval(successes, n, z))


def wilson_interval(successes: int, n: int, z: float = Z_95) -> Interval:
    """The Wilson score interval of a binomial proportion (default: 95%)."""
    if n <= 0:
        raise ValueError("a proportion needs at least one trial")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Interval(max(0.0, centre - spread), min(1.0, centre + spread))


@dataclass(frozen=True, slots=True)
class Quality:
    """Precision and recall of a detector at the subject level.

    `caught_positive`: flagged and violating; `caught_negative`: flagged and not violating;
    `missed`: violating and not flagged. Flagged subjects without a label count in neither.
    """

    caught_positive: int
    caught_negative: int
    missed: int

    @property
    def precision(self) -> Proportion:
        return Proportion.of(self.caught_positive, self.caught_positive + self.caught_negative)

    @property
    def recall(self) -> Proportion:
        return Proportion.of(self.caught_positive, self.caught_positive + self.missed)


def quality(
    flagged: set[str] | frozenset[str],
    positives: set[str] | frozenset[str],
    negatives: set[str] | frozenset[str],
) -> Quality:
    """Score `flagged` subjects against labelled `positives` and `negatives` (disjoint sets)."""
    return Quality(
        caught_positive=len(flagged & positives),
        caught_negative=len(flagged & negatives),
        missed=len(positives - flagged),
    )
