"""Metrics for rare positives: AUPRC first (accuracy would reward predicting "never"), ROC AUC,
Brier score, and precision and recall at chosen thresholds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def metrics_of(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """`auprc`, `roc_auc`, `brier`, `rows`, `positives`, `base_rate` (the AUPRC of chance)."""
    positives = float(labels.sum())
    both = 0 < positives < labels.size
    return {
        "auprc": float(average_precision_score(labels, scores)) if positives else 0.0,
        "roc_auc": float(roc_auc_score(labels, scores)) if both else float("nan"),
        "brier": float(brier_score_loss(labels, scores)),
        "rows": float(labels.size),
        "positives": positives,
        "base_rate": positives / labels.size if labels.size else 0.0,
    }


def at_thresholds(
    labels: np.ndarray, scores: np.ndarray, thresholds: Sequence[float]
) -> list[dict[str, float]]:
    """For each threshold t (flag when score >= t): precision, recall, flagged count."""
    out = []
    positives = float(labels.sum())
    for threshold in thresholds:
        flagged = scores >= threshold
        caught = float(labels[flagged].sum())
        count = float(flagged.sum())
        out.append(
            {
                "threshold": float(threshold),
                "precision": caught / count if count else 0.0,
                "recall": caught / positives if positives else 0.0,
                "flagged": count,
            }
        )
    return out
