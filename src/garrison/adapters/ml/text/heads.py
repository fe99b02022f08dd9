"""Logistic heads, one per category plus one for "any category", fitted with unknown labels
masked out; kept as plain weight arrays so scoring needs no pickle and no scikit-learn."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from garrison.adapters.ml.text.corpus import UNKNOWN

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Heads:
    """Weights (heads x features) and biases; `predict` gives probabilities (items x heads)."""

    weights: Floats
    bias: Floats

    def predict(self, features: Any) -> Floats:
        logits = np.asarray(features @ self.weights.T, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))


def targets_of(labels: NDArray[np.int8]) -> NDArray[np.int8]:
    """The category labels with the "any category" target appended as the last column."""
    any_label = (labels == 1).any(axis=1).astype(np.int8)
    return np.hstack([labels, any_label[:, None]])


def fit_heads(features: Any, targets: NDArray[np.int8], c: float, seed: int = 0) -> Heads:
    """One class-balanced L2 logistic regression per target column, on its known rows only.

    BLAS runs on one thread: on a small shared machine its threads only fight each other."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1):
        return _fit_all(features, targets, c, seed)


def _fit_all(features: Any, targets: NDArray[np.int8], c: float, seed: int) -> Heads:
    return per_target(
        targets, features.shape[1], lambda j, known, y: _fit_one(features[known], y, c, seed)
    )


def per_target(
    targets: NDArray[np.int8],
    width: int,
    fit: Callable[[int, NDArray[np.bool_], NDArray[np.int8]], tuple[Floats, float]],
) -> Heads:
    """One head per target column: `fit(column, known rows, their labels)` gives its weights and
    bias; a column with one class among its known rows gets no weights and the prior's logit."""
    weights = np.zeros((targets.shape[1], width))
    bias = np.zeros(targets.shape[1])
    for j in range(targets.shape[1]):
        known = targets[:, j] != UNKNOWN
        y = targets[known, j]
        if len(np.unique(y)) < 2:
            bias[j] = _prior_logit(y)
            continue
        weights[j], bias[j] = fit(j, known, y)
    return Heads(weights, bias)


def _fit_one(features: Any, y: NDArray[np.int8], c: float, seed: int) -> tuple[Floats, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(features, y)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def _prior_logit(y: NDArray[np.int8]) -> float:
    rate = (float(y.mean()) if len(y) else 0.0) * 0.98 + 0.01
    return math.log(rate / (1.0 - rate))


def combine(probabilities: list[Floats], categories: int) -> tuple[Floats, Floats]:
    """Blend blocks: category scores are the mean over blocks; "any" averages the highest
    category score with the "any" head's."""
    mean = np.mean(probabilities, axis=0)
    per_category = mean[:, :categories]
    top = per_category.max(axis=1) if categories else np.zeros(len(mean))
    return per_category, (top + mean[:, categories]) / 2.0
