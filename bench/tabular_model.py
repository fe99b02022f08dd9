"""Tabular model: per-event scoring latency and AUPRC on rare positives, vs logistic regression.

A generated table of payments with 0.1% fraud (non-linear: big amounts from new accounts, card
countries that differ from the IP's, bursts) is split by time: the model trains (with its own
time-ordered validation and calibration) on the first 80% and both models are judged on the last
20%. Latency is `score_one(features)` on one event's mapping, as ingest calls it, timed per call.

    .venv/bin/python bench/run.py --only tabular-model [--quick]
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from bench.measure import Measurement, percentile
from bench.report import Row, Target
from garrison.adapters.ml.tabular.features import FeatureKind, FeatureSpec
from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
from garrison.domain.events import JsonValue

NAME = "tabular-model"
POSITIVE_RATE = 0.001
SCORING_TARGET = Target(min_per_s=1_000_000 / 50)
"""DESIGN.md section 6: tabular scoring <= 50 us per event."""
COUNTRIES = ["us", "gb", "de", "fr", "br", "in", "ng", "id", "ph", "vn"]


def payments(rows: int, seed: int) -> pl.DataFrame:
    """A payments table with POSITIVE_RATE fraud, ordered in time."""
    rng = np.random.default_rng(seed)
    age = rng.exponential(200, rows)
    amount = rng.lognormal(3.5, 1.2, rows)
    card, ip = rng.choice(COUNTRIES, rows), rng.choice(COUNTRIES, rows)
    mismatch = (card != ip) & (rng.random(rows) < 0.3)
    ip = np.where(mismatch, ip, card)
    burst = rng.poisson(1.0, rows)
    hour = rng.integers(0, 24, rows)
    logit = (
        1.1 * np.log1p(amount) * (age < 14)
        + 1.5 * (ip != card) * (burst >= 3)
        + 0.8 * ((hour < 5) & (amount > 200))
        - 0.01 * np.minimum(age, 300)
        + rng.normal(0, 0.7, rows)
    )
    fraud = (logit >= np.quantile(logit, 1 - POSITIVE_RATE)).astype(int)
    return pl.DataFrame(
        {
            "attr.amount_usd": amount.round(2),
            "attr.account_age_days": age.round(1),
            "attr.card_country": card,
            "attr.ip_country": ip,
            "attr.payments_1h": burst,
            "attr.hour": hour,
            "time": np.arange(rows, dtype=np.int64) + 1_700_000_000,
            "fraud": fraud,
        }
    )


class LogisticScorer:
    """The baseline: logistic regression on standardised numbers and one-hot categories."""

    def __init__(self, spec: FeatureSpec, frame: pl.DataFrame, labels: np.ndarray) -> None:
        self._spec = spec
        x = spec.matrix(frame)
        self._mean = np.nanmean(x, axis=0)
        self._std = np.nanstd(x, axis=0) + 1e-9
        self._model = LogisticRegression(max_iter=2000, class_weight="balanced")
        self._model.fit(self._design(x), labels)
        self._bias, self._plan = self._fold(self._model.coef_[0], float(self._model.intercept_[0]))

    def _fold(self, weights: np.ndarray, bias: float) -> tuple[float, list[tuple[str, Any]]]:
        """Per feature: a (weight, mean) for numbers, a weight per category: one dict lookup or
        one multiply per feature at scoring time (a fair, fast baseline)."""
        plan: list[tuple[str, Any]] = []
        at = 0
        for index, feature in enumerate(self._spec.features):
            if feature.kind is FeatureKind.CATEGORICAL:
                size = len(feature.categories)
                plan.append(
                    (
                        feature.name,
                        dict(zip(feature.categories, weights[at : at + size], strict=True)),
                    )
                )
                at += size
            else:
                w = float(weights[at] / self._std[index])
                bias -= w * float(self._mean[index])
                plan.append((feature.name, (w, float(self._mean[index]))))
                at += 1
        return bias, plan

    def _design(self, x: np.ndarray) -> np.ndarray:
        columns = []
        for index, feature in enumerate(self._spec.features):
            column = x[:, index]
            if feature.kind is FeatureKind.CATEGORICAL:
                columns.extend(
                    (column == code).astype(float) for code in range(len(feature.categories))
                )
            else:
                columns.append(np.nan_to_num((column - self._mean[index]) / self._std[index]))
        return np.column_stack(columns)

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        return np.asarray(self._model.predict_proba(self._design(self._spec.matrix(frame)))[:, 1])

    def score_one(self, features: Mapping[str, JsonValue]) -> float:
        z = self._bias
        for name, weight in self._plan:
            value = features.get(name)
            if isinstance(weight, dict):
                z += float(weight.get(str(value), 0.0))
            elif isinstance(value, int | float):
                z += weight[0] * value
            else:
                z += weight[0] * weight[1]  # missing: the mean
        return 1.0 / (1.0 + math.exp(-z))


def _latency(label: str, score: Any, events: Sequence[Mapping[str, JsonValue]]) -> Measurement:
    for features in events[:500]:
        score(features)  # warm-up
    timings = []
    started = time.perf_counter()
    for features in events:
        t0 = time.perf_counter_ns()
        score(features)
        timings.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter() - started
    timings.sort()
    return Measurement(
        label,
        len(events),
        elapsed,
        p50_ms=percentile(timings, 0.5) / 1e6,
        p99_ms=percentile(timings, 0.99) / 1e6,
        latency_samples=len(timings),
    )


def run(*, quick: bool) -> list[Row]:
    rows = 100_000 if quick else 1_000_000
    table = payments(rows, seed=7)
    cut = int(rows * 0.8)
    train, test = table[:cut], table[cut:]
    started = time.perf_counter()
    model = train_tabular(train, TrainingOptions("fraud", time_column="time", max_rounds=500))
    train_seconds = time.perf_counter() - started
    labels = train["fraud"].to_numpy().astype(float)
    baseline = LogisticScorer(model.spec, train.cast(pl.String), labels)
    truth = test["fraud"].to_numpy()
    gbm_scores = model.predict(test.cast(pl.String))
    lr_scores = baseline.predict(test.cast(pl.String))
    events = test.drop("fraud", "time").head(20_000 if quick else 50_000).to_dicts()
    scorer = model.scorer()
    subject = _latency("lightgbm score_one", scorer.score_one, events)
    base = _latency("logistic regression score_one", baseline.score_one, events)
    details = {
        "rows": rows,
        "positive_rate": POSITIVE_RATE,
        "test_positives": int(truth.sum()),
        "auprc": round(float(average_precision_score(truth, gbm_scores)), 4),
        "auprc_baseline": round(float(average_precision_score(truth, lr_scores)), 4),
        "roc_auc": round(float(roc_auc_score(truth, gbm_scores)), 4),
        "roc_auc_baseline": round(float(roc_auc_score(truth, lr_scores)), 4),
        "validation_auprc": round(model.manifest["metrics"]["auprc"], 4),
        "calibration": model.calibration.method,
        "trees": int(model.booster.num_trees()),
        "train_seconds": round(train_seconds, 2),
        "fast_path": scorer.fast,
        "p50_us": round(subject.p50_ms * 1000, 2) if subject.p50_ms else None,
        "p99_us": round(subject.p99_ms * 1000, 2) if subject.p99_ms else None,
        "baseline_p50_us": round(base.p50_ms * 1000, 2) if base.p50_ms else None,
        "baseline_p99_us": round(base.p99_ms * 1000, 2) if base.p99_ms else None,
    }
    auprc = f"AUPRC {details['auprc']} vs {details['auprc_baseline']}"
    case = f"{rows:,} payments, {POSITIVE_RATE:.1%} fraud, {auprc}"
    return [Row(NAME, case, subject, base, target=SCORING_TARGET, details=details)]
