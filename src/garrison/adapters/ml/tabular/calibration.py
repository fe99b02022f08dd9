"""Calibrated probabilities from raw boosting scores, fitted on the validation fold.

Isotonic regression when the fold has enough positives to fit a step function
(`ISOTONIC_MIN_POSITIVES`), Platt scaling (a logistic curve on the raw score) otherwise: with a
handful of positives an isotonic fit memorises them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

ISOTONIC_MIN_POSITIVES = 100


@dataclass(frozen=True, slots=True)
class Calibration:
    method: str
    a: float = 1.0
    b: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()

    def many(self, raw: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            return np.asarray(np.interp(raw, np.array(self.x), np.array(self.y)))
        return np.asarray(1.0 / (1.0 + np.exp(-(self.a * raw + self.b))))

    def one(self, raw: float) -> float:
        """`many` for one score, without numpy's per-call overhead (it runs per event)."""
        if self.method == "isotonic":
            return _interpolate(self.x, self.y, raw)
        z = self.a * raw + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> dict[str, object]:
        if self.method == "isotonic":
            return {"method": "isotonic", "x": list(self.x), "y": list(self.y)}
        return {"method": "platt", "a": self.a, "b": self.b}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Calibration:
        method = str(data["method"])
        if method == "isotonic":
            xs, ys = data["x"], data["y"]
            if not isinstance(xs, list) or not isinstance(ys, list) or len(xs) != len(ys):
                raise ValueError("isotonic calibration needs x and y of one length")
            return cls(method, x=tuple(float(v) for v in xs), y=tuple(float(v) for v in ys))
        if method != "platt":
            raise ValueError(f"unknown calibration {method!r}")
        return cls(method, a=float(str(data["a"])), b=float(str(data["b"])))


def _interpolate(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float:
    """np.interp for one point: clipped to the ends, linear between knots."""
    if not xs:
        return 0.0
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def fit_calibration(raw: np.ndarray, labels: np.ndarray) -> Calibration:
    if labels.sum() >= ISOTONIC_MIN_POSITIVES:
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
        return Calibration(
            "isotonic",
            x=tuple(float(v) for v in iso.X_thresholds_),
            y=tuple(float(v) for v in iso.y_thresholds_),
        )
    platt = LogisticRegression(C=1e4, max_iter=1000).fit(raw.reshape(-1, 1), labels)
    return Calibration("platt", a=float(platt.coef_[0][0]), b=float(platt.intercept_[0]))
