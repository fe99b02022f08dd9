"""Model registry: versions of a named model with their lifecycle, and drift by population
stability (PSI).

A version is registered in `shadow`: it may score events (the scores are stored, never read by
rules); promotion makes it `live` (the one a rule's `score("name")` reads) and retires the version
that was live. A retired version never comes back: train or register again instead.

PSI compares two distributions over the same bins: sum((a - e) * ln(a / e)). Below 0.1 the
population is stable, up to 0.25 it moved, above that it shifted enough to retrain.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.errors import InvalidInput, InvalidTransition

PSI_FLOOR = 1e-4
"""A bin that is empty on one side counts as this share, so PSI stays finite."""
STABLE_BELOW = 0.1
SHIFTED_FROM = 0.25
MODEL_NAME_MAX = 64


class ModelStatus(StrEnum):
    SHADOW = "shadow"
    LIVE = "live"
    RETIRED = "retired"


class DriftLevel(StrEnum):
    STABLE = "stable"
    MOVED = "moved"
    SHIFTED = "shifted"


@dataclass(frozen=True, slots=True)
class Histogram:
    """Shares of a population per bin: numeric bins end at each of `edges` (a value equal to an
    edge falls in the bin it ends; len(edges) + 1 bins),
    or one bin per category plus a last one for any other value."""

    shares: tuple[float, ...]
    edges: tuple[float, ...] = ()
    categories: tuple[str, ...] = ()

    def share_of(self, values: Sequence[object]) -> tuple[float, ...]:
        """The shares of `values` over this histogram's bins (None and NaN are left out)."""
        counts = [0] * len(self.shares)
        for value in values:
            index = self._bin(value)
            if index is not None:
                counts[index] += 1
        total = sum(counts)
        return tuple(c / total for c in counts) if total else tuple(0.0 for _ in counts)

    def _bin(self, value: object) -> int | None:
        if value is None:
            return None
        if self.categories:
            text = str(value)
            return self.categories.index(text) if text in self.categories else len(self.categories)
        number = _number(value)
        if number is None:
            return None
        return bisect.bisect_left(self.edges, number)

    def to_json(self) -> dict[str, list[float] | list[str]]:
        out: dict[str, list[float] | list[str]] = {"shares": list(self.shares)}
        if self.categories:
            out["categories"] = list(self.categories)
        else:
            out["edges"] = list(self.edges)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Sequence[object]]) -> Histogram:
        return cls(
            tuple(float(str(s)) for s in data.get("shares", ())),
            tuple(float(str(e)) for e in data.get("edges", ())),
            tuple(str(c) for c in data.get("categories", ())),
        )


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if math.isnan(value) else float(value)
    try:
        number = float(str(value))
    except ValueError:
        return None
    return None if math.isnan(number) else number


def numeric_histogram(values: Sequence[float], bins: int = 10) -> Histogram:
    """Quantile bins of `values` (repeated edges merged), with the shares of `values`."""
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return Histogram((1.0,))
    cuts = {ordered[max(0, (len(ordered) * i) // bins - 1)] for i in range(1, bins)}
    edges = tuple(sorted(cuts))
    empty = Histogram(tuple(0.0 for _ in range(len(edges) + 1)), edges)
    return replace(empty, shares=empty.share_of(ordered))


def categorical_histogram(values: Sequence[object], top: int = 10) -> Histogram:
    """One bin per frequent category (at most `top`), one for the rest."""
    counts = Counter(str(v) for v in values if v is not None)
    categories = tuple(sorted(name for name, _ in counts.most_common(top)))
    empty = Histogram(tuple(0.0 for _ in range(len(categories) + 1)), categories=categories)
    return replace(empty, shares=empty.share_of([v for v in values if v is not None]))


def psi(expected: Sequence[float], actual: Sequence[float]) -> float:
    """Population stability index of `actual` against `expected` (shares over the same bins)."""
    if len(expected) != len(actual):
        raise InvalidInput("histograms have different bins", field="bins")
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        e, a = max(e, PSI_FLOOR), max(a, PSI_FLOOR)
        total += (a - e) * math.log(a / e)
    return total


def drift_level(value: float) -> DriftLevel:
    if value < STABLE_BELOW:
        return DriftLevel.STABLE
    return DriftLevel.MOVED if value < SHIFTED_FROM else DriftLevel.SHIFTED


@dataclass(frozen=True, slots=True)
class Drift:
    """How far one quantity (the score or a feature) moved, on `recent` observations."""

    quantity: str
    psi: float
    recent: int

    @property
    def level(self) -> DriftLevel:
        return drift_level(self.psi)


def drift_of(quantity: str, baseline: Histogram, values: Sequence[object]) -> Drift:
    present = [v for v in values if v is not None]
    return Drift(quantity, psi(baseline.shares, baseline.share_of(present)), len(present))


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """One registered version of a named model and what it was trained on."""

    name: str
    version: int
    kind: str
    status: ModelStatus
    artifact: str
    """Where the model directory lives (its model.json names everything else)."""
    features: tuple[str, ...]
    metrics: Mapping[str, float]
    trained_from: datetime | None
    trained_to: datetime | None
    created_at: datetime
    created_by: str
    baseline: Mapping[str, Histogram] = field(default_factory=dict)
    """Histograms of the score (`score`) and of the top features, from training."""
    promoted_at: datetime | None = None
    promoted_by: str | None = None
    retired_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"


def check_model_name(name: str) -> str:
    ok = name and len(name) <= MODEL_NAME_MAX
    if not ok or not all(c.isalnum() or c in "_-." for c in name):
        raise InvalidInput(
            f"model name {name!r} must be 1-{MODEL_NAME_MAX} letters, digits, '_', '-' or '.'",
            field="name",
        )
    return name


def promote(version: ModelVersion, *, by: str, at: datetime) -> ModelVersion:
    """Shadow -> live. The caller retires the version that was live (see `retire`)."""
    if version.status is not ModelStatus.SHADOW:
        raise InvalidTransition(
            f"model {version.key} is {version.status}; only a shadow version can be promoted",
            field="status",
        )
    return replace(version, status=ModelStatus.LIVE, promoted_at=at, promoted_by=by)


def retire(version: ModelVersion, *, at: datetime) -> ModelVersion:
    if version.status is ModelStatus.RETIRED:
        raise InvalidTransition(f"model {version.key} is already retired", field="status")
    return replace(version, status=ModelStatus.RETIRED, retired_at=at)


@dataclass(frozen=True, slots=True)
class ShadowScore:
    """A score a model version gave an event without any rule reading it."""

    name: str
    version: int
    event_id: str
    score: float
    occurred_at: datetime
    scored_at: datetime


@dataclass(frozen=True, slots=True)
class ModelCard:
    """What a model artifact says about itself (its manifest), before it is registered."""

    kind: str
    features: tuple[str, ...]
    metrics: Mapping[str, float]
    trained_from: datetime | None
    trained_to: datetime | None
    baseline: Mapping[str, Histogram]
