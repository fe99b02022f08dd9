"""Stacking for the "any category" score: per target, a logistic meta-learner over the blocks'
out-of-fold logits learns how far to trust each representation (instead of a plain mean).

Category scores stay the blocks' mean (stacking them measured worse on several categories);
only "any" is stacked: the mean of the highest stacked category score and the stacked "any"."""

from __future__ import annotations

import numpy as np

from garrison.adapters.ml.text.heads import Floats, Heads, per_target

META_C = 1.0


def _logits(probabilities: list[Floats], column: int) -> Floats:
    p = np.clip(np.column_stack([block[:, column] for block in probabilities]), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1.0 - p)), dtype=np.float64)


def fit_stack(held_out: list[Floats], targets: np.ndarray, seed: int = 0) -> Heads:
    """Meta weights (targets x blocks) fitted on out-of-fold block probabilities."""
    from sklearn.linear_model import LogisticRegression

    def fit(j: int, known: np.ndarray, y: np.ndarray) -> tuple[Floats, float]:
        model = LogisticRegression(C=META_C, max_iter=1000, random_state=seed)
        model.fit(_logits(held_out, j)[known], y)
        return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])

    return per_target(targets, len(held_out), fit)


def stacked_any(probabilities: list[Floats], meta: Heads, categories: int) -> Floats:
    """The stacked "any" score of items, from each block's probabilities (items x heads)."""
    columns = [
        _logits(probabilities, j) @ meta.weights[j] + meta.bias[j] for j in range(categories + 1)
    ]
    stacked = 1.0 / (1.0 + np.exp(-np.clip(np.column_stack(columns), -40.0, 40.0)))
    top = stacked[:, :categories].max(axis=1) if categories else np.zeros(len(stacked))
    return np.asarray((top + stacked[:, categories]) / 2.0, dtype=np.float64)
