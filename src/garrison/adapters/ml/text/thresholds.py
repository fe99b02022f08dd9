"""Per-category decision thresholds chosen for a target precision on held-out scores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Threshold:
    """Flag at `value` and above; `precision`/`recall` as measured where it was chosen."""

    value: float
    precision: float
    recall: float
    reached: bool
    """Whether `precision` meets the target (else the threshold of best F1 was kept)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "precision": self.precision,
            "recall": self.recall,
            "reached": self.reached,
        }


def choose_threshold(labels: NDArray[Any], scores: NDArray[Any], target: float) -> Threshold:
    """The threshold of highest recall whose precision is at least `target`; when none reaches
    it, the threshold of best F1. Unknown labels (negative values) are ignored."""
    known = labels >= 0
    y, s = labels[known].astype(np.int8), scores[known]
    if not y.any():
        return Threshold(1.0, 0.0, 0.0, reached=False)
    order = np.argsort(-s, kind="stable")
    y, s = y[order], s[order]
    hits = np.cumsum(y)
    flagged = np.arange(1, len(y) + 1)
    last = np.r_[s[1:] != s[:-1], True]  # cut only between distinct scores
    precision, recall = (hits / flagged)[last], (hits / hits[-1])[last]
    values = s[last]
    ok = np.flatnonzero(precision >= target)
    if ok.size:
        best = int(ok[np.argmax(recall[ok])])
        return Threshold(float(values[best]), float(precision[best]), float(recall[best]), True)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1))
    return Threshold(float(values[best]), float(precision[best]), float(recall[best]), False)
