"""Stacking for the "any category" score: per target, a logistic meta-learner over the blocks'
out-of-fold logits learns how far to trust each representation (instead of a plain mean).

Category scores stay the blocks' mean (stacking them measured worse on several categories);
only "any" is stacked: the mean of the highest stacked category score and the stacked "any"."""

from __future__ import annotations

import numpy as np

from garrison.adapters.ml.text.corpus import UNKNOWN
from garrison.adapters.ml.text.heads import Floats, Heads, _prior_logit

META_C = 1.0


def _logits(probabilities: list[Floats], column: int) -> Floats:
    p = np.clip(np.column_stack([block[:, column] for block in probabilities]), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1.0 - p)), dtype=np.float64)


def fit_stack(held_out: list[Floats], targets: np.ndarray, seed: int = 0) -> Heads:
    """Meta weights (targets x blocks) fitted on out-of-fold block probabilities."""
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((targets.shape[1], len(held_out)))
    bias = np.zeros(targets.shape[1])
    for j in range(targets.shape[1]):
        known = targets[:, j] != UNKNOWN
        y = targets[known, j]
        if len(np.unique(y)) < 2:
            bias[j] = _prior_logit(y)
            continue
        model = LogisticRegression(C=META_C, max_iter=1000, random_state=seed)
        model.fit(_logits(held_out, j)[known], y)
        weights[j], bias[j] = model.coef_[0], float(model.intercept_[0])
    return Heads(weights, bias)


def stacked_any(probabilities: list[Floats], meta: Heads, categories: int) -> Floats:
    """The stacked "any" score of items, from each block's probabilities (items x heads)."""
    columns = [
        _logits(probabilities, j) @ meta.weights[j] + meta.bias[j] for j in range(categories + 1)
    ]
    stacked = 1.0 / (1.0 + np.exp(-np.clip(np.column_stack(columns), -40.0, 40.0)))
    top = stacked[:, :categories].max(axis=1) if categories else np.zeros(len(stacked))
    return np.asarray((top + stacked[:, categories]) / 2.0, dtype=np.float64)
