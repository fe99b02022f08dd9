"""Inter-rater agreement on nominal categories: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Pure functions over plain data. Each returns None when the statistic is undefined (no pairable
ratings, or every rating in one category so chance agreement is already perfect), rather than a
misleading 0 or 1.

- `cohen_kappa(pairs)`: two raters, each pair is (rater A's category, rater B's category).
- `fleiss_kappa(counts)`: any number of raters; one mapping per item, category -> how many raters
  chose it. Items may have different numbers of raters (the usual generalisation: each item's
  agreement is over its own rater pairs); items with fewer than two ratings are skipped. With the
  same number of raters on every item this is Fleiss (1971) exactly.
- `krippendorff_alpha(units)`: nominal alpha from per-unit value counts, or
  `krippendorff_alpha_matrix(rows)` from a raters x units table with None for a missing rating.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Category = Hashable
C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Agreement:
    """A chance-corrected statistic with the observed and expected agreement behind it."""

    value: float | None
    observed: float | None
    expected: float | None
    items: int
    """Items (or units) that took part: those with at least two ratings."""
    ratings: int


def cohen_kappa(pairs: Iterable[tuple[C, C]]) -> Agreement:
    """Cohen's kappa of two raters over the same items."""
    listed = list(pairs)
    n = len(listed)
    if n == 0:
        return Agreement(None, None, None, 0, 0)
    first: Counter[C] = Counter(a for a, _ in listed)
    second: Counter[C] = Counter(b for _, b in listed)
    observed = sum(1 for a, b in listed if a == b) / n
    expected = sum(first[c] * second.get(c, 0) for c in first) / (n * n)
    return Agreement(_corrected(observed, expected), observed, expected, n, 2 * n)


def fleiss_kappa(counts: Iterable[Mapping[C, int]]) -> Agreement:
    """Fleiss' kappa from each item's category counts."""
    totals: Counter[C] = Counter()
    agreement_sum = 0.0
    items = ratings = 0
    for item in counts:
        m = sum(item.values())
        if m < 2:
            continue
        _check_counts(item)
        items += 1
        ratings += m
        agreement_sum += sum(k * (k - 1) for k in item.values()) / (m * (m - 1))
        totals.update({c: k for c, k in item.items() if k})
    if items == 0:
        return Agreement(None, None, None, 0, 0)
    observed = agreement_sum / items
    expected = sum((k / ratings) ** 2 for k in totals.values())
    return Agreement(_corrected(observed, expected), observed, expected, items, ratings)


def krippendorff_alpha(units: Iterable[Mapping[C, int]]) -> Agreement:
    """Krippendorff's alpha (nominal) from each unit's value counts; missing ratings are simply
    absent, and units with fewer than two values are not pairable and are skipped."""
    values: Counter[C] = Counter()
    disagreement = 0.0
    items = 0
    for unit in units:
        m = sum(unit.values())
        if m < 2:
            continue
        _check_counts(unit)
        items += 1
        values.update({c: k for c, k in unit.items() if k})
        same = sum(k * k for k in unit.values())
        disagreement += (m * m - same) / (m - 1)
    n = sum(values.values())
    if n < 2:
        return Agreement(None, None, None, 0, 0)
    pairs_expected = (n * n - sum(k * k for k in values.values())) / (n * (n - 1))
    observed_disagreement = disagreement / n
    observed = 1 - observed_disagreement
    expected = 1 - pairs_expected
    if pairs_expected == 0:
        return Agreement(None, observed, expected, items, n)
    return Agreement(1 - observed_disagreement / pairs_expected, observed, expected, items, n)


def krippendorff_alpha_matrix(rows: Sequence[Sequence[C | None]]) -> Agreement:
    """Krippendorff's alpha (nominal) from a raters x units table; None marks a missing rating."""
    width = max((len(row) for row in rows), default=0)
    units = [
        Counter(row[u] for row in rows if u < len(row) and row[u] is not None) for u in range(width)
    ]
    return krippendorff_alpha(units)


def counts_of(ratings: Iterable[C | None]) -> Counter[C]:
    """One item's category counts from its raters' answers (None: that rater gave none)."""
    return Counter(r for r in ratings if r is not None)


def percent_agreement(counts: Iterable[Mapping[C, int]]) -> float | None:
    """The share of agreeing rater pairs, over all items with two or more ratings."""
    agreeing = pairs = 0
    for item in counts:
        m = sum(item.values())
        if m < 2:
            continue
        agreeing += sum(k * (k - 1) for k in item.values())
        pairs += m * (m - 1)
    return agreeing / pairs if pairs else None


def _corrected(observed: float, expected: float) -> float | None:
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _check_counts(item: Mapping[C, int]) -> None:
    if any(k < 0 for k in item.values()):
        raise ValueError("a category count cannot be negative")
