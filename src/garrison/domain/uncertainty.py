"""How unsure a model is about an item: closeness to its decision threshold, or entropy."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.entities import EntityRef


class Strategy(StrEnum):
    MARGIN = "margin"
    """Closest to the decision threshold first."""
    ENTROPY = "entropy"
    """Highest binary entropy first (the same as margin at a threshold of 0.5)."""


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """One stored model score: (subject, model, score)."""

    subject: EntityRef
    model: str
    score: float


def uncertainty(score: float, strategy: Strategy, threshold: float = 0.5) -> float:
    """1 for a coin flip (or a score on the threshold), towards 0 for a confident score."""
    if not 0.0 <= score <= 1.0:
        raise ValueError("a score is between 0 and 1")
    if strategy is Strategy.ENTROPY:
        if score in (0.0, 1.0):
            return 0.0
        return -(score * math.log2(score) + (1 - score) * math.log2(1 - score))
    if not 0.0 < threshold < 1.0:
        raise ValueError("a threshold is between 0 and 1, exclusive")
    return 1.0 - abs(score - threshold) / max(threshold, 1.0 - threshold)


def least_certain(
    items: Iterable[ScoredItem],
    k: int,
    strategy: Strategy = Strategy.MARGIN,
    threshold: float = 0.5,
) -> list[tuple[ScoredItem, float]]:
    """The `k` items with the highest uncertainty, one per subject and model (its least certain
    score), ties broken by subject and model so the choice is reproducible."""
    best: dict[tuple[EntityRef, str], tuple[ScoredItem, float]] = {}
    for item in items:
        u = uncertainty(item.score, strategy, threshold)
        key = (item.subject, item.model)
        if key not in best or u > best[key][1]:
            best[key] = (item, u)
    ranked: Sequence[tuple[ScoredItem, float]] = sorted(
        best.values(), key=lambda p: (-p[1], p[0].subject, p[0].model)
    )
    return list(ranked[: max(k, 0)])
