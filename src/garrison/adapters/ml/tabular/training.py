"""Train a calibrated LightGBM classifier on a labelled table where positives are rare.

- Validation: the latest `validation_share` of rows by the time column when one is given (the
  model is judged on the future it will score), else a stratified random split.
- Imbalance: positives weigh sqrt(negatives / positives) (capped), and boosting stops early on
  the validation fold's average precision (AUPRC), which accuracy would hide.
- Calibration on the validation fold (see `calibration`); metrics are computed on it too.
- One thread, deterministic: the same table and seed give the same model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import lightgbm as lgb
import numpy as np
import polars as pl
from sklearn.model_selection import train_test_split

from garrison.adapters.ml.tabular.calibration import fit_calibration
from garrison.adapters.ml.tabular.evaluation import metrics_of
from garrison.adapters.ml.tabular.features import FeatureKind, FeatureSpec, infer_spec
from garrison.adapters.ml.tabular.model import TabularModel
from garrison.adapters.ml.tabular.table import labelled, times_of
from garrison.domain.errors import InvalidInput
from garrison.domain.models import Histogram, categorical_histogram, numeric_histogram

MAX_POSITIVE_WEIGHT = 100.0
TOP_FEATURES = 5


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    label: str
    time_column: str | None = None
    exclude: tuple[str, ...] = ()
    validation_share: float = 0.2
    seed: int = 0
    max_rounds: int = 1000
    learning_rate: float = 0.05
    num_leaves: int = 31
    early_stopping: int = 50


def train_tabular(frame: pl.DataFrame, options: TrainingOptions) -> TabularModel:
    """A calibrated model with its manifest (not saved: see `TabularModel.save`)."""
    data = labelled(frame.cast(pl.String), options.label)
    _check_classes(data.labels, "the table")
    times = times_of(data.frame, options.time_column) if options.time_column else None
    train_idx, valid_idx = _split(data.labels, times, options)
    _check_classes(data.labels[valid_idx], "the validation fold")
    _check_classes(data.labels[train_idx], "the training fold")
    skip = {options.label, options.time_column, *options.exclude}
    columns = [c for c in data.frame.columns if c not in skip]
    train_frame = data.frame[train_idx]
    spec = infer_spec(train_frame, columns)
    if not spec.features:
        raise InvalidInput("no usable feature column (all constant or identifiers)", field="data")
    y_train, y_valid = data.labels[train_idx], data.labels[valid_idx]
    booster = _boost(
        spec,
        spec.matrix(train_frame),
        y_train,
        spec.matrix(data.frame[valid_idx]),
        y_valid,
        options,
    )
    raw = np.asarray(booster.predict(spec.matrix(data.frame[valid_idx]), raw_score=True))
    calibration = fit_calibration(raw, y_valid)
    probabilities = calibration.many(raw)
    model = TabularModel(spec, booster, calibration)
    model.manifest = {
        "label": options.label,
        "time_column": options.time_column,
        "validation": "time" if times is not None else "stratified",
        "training_window": _window(times),
        "metrics": {
            **metrics_of(y_valid, probabilities),
            "best_iteration": float(booster.best_iteration or booster.current_iteration()),
            "training_rows": float(len(train_idx)),
            "training_positives": float(y_train.sum()),
        },
        "top_features": _top(booster, spec),
        "baseline": _baseline(booster, spec, train_frame, probabilities),
        "params": _params(options, y_train),
        "created_at": datetime.now(UTC).isoformat(),
    }
    return model


def _check_classes(labels: np.ndarray, where: str) -> None:
    positives = int(labels.sum())
    if positives == 0:
        raise InvalidInput(f"{where} has no positive labels: nothing to learn", field="label")
    if positives == labels.size:
        raise InvalidInput(f"{where} has no negative labels: nothing to learn", field="label")


def _split(
    labels: np.ndarray, times: np.ndarray | None, options: TrainingOptions
) -> tuple[np.ndarray, np.ndarray]:
    indexes = np.arange(labels.size)
    if times is not None:
        ordered = indexes[np.argsort(times, kind="stable")]
        cut = round(labels.size * (1 - options.validation_share))
        return np.sort(ordered[:cut]), np.sort(ordered[cut:])
    if labels.sum() < 2 or labels.size - labels.sum() < 2:
        raise InvalidInput("need at least 2 positive and 2 negative labels", field="label")
    train, valid = train_test_split(
        indexes, test_size=options.validation_share, stratify=labels, random_state=options.seed
    )
    return np.sort(train), np.sort(valid)


def _params(options: TrainingOptions, labels: np.ndarray) -> dict[str, Any]:
    positives = float(labels.sum())
    weight = min(MAX_POSITIVE_WEIGHT, float(np.sqrt((labels.size - positives) / positives)))
    return {
        "objective": "binary",
        "metric": "average_precision",
        "learning_rate": options.learning_rate,
        "num_leaves": options.num_leaves,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "scale_pos_weight": weight,
        "num_threads": 1,
        "force_row_wise": True,
        "deterministic": True,
        "seed": options.seed,
        "verbose": -1,
    }


def _boost(
    spec: FeatureSpec,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_valid: np.ndarray,
    y_valid: np.ndarray,
    options: TrainingOptions,
) -> lgb.Booster:
    categorical: list[int] | Literal["auto"] = spec.categorical_indexes or "auto"
    train = lgb.Dataset(x_train, y_train, categorical_feature=categorical, free_raw_data=True)
    valid = lgb.Dataset(x_valid, y_valid, reference=train, categorical_feature=categorical)
    return lgb.train(
        _params(options, y_train),
        train,
        num_boost_round=options.max_rounds,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(options.early_stopping, verbose=False)],
    )


def _window(times: np.ndarray | None) -> dict[str, str] | None:
    if times is None or times.size == 0:
        return None
    start, end = (datetime.fromtimestamp(float(t), UTC) for t in (times.min(), times.max()))
    return {"start": start.isoformat(), "end": end.isoformat()}


def _top(booster: lgb.Booster, spec: FeatureSpec) -> list[str]:
    gains = booster.feature_importance(importance_type="gain")
    ranked = sorted(zip(gains, spec.names, strict=True), key=lambda p: (-p[0], p[1]))
    return [name for gain, name in ranked[:TOP_FEATURES] if gain > 0]


def _baseline(
    booster: lgb.Booster, spec: FeatureSpec, frame: pl.DataFrame, scores: np.ndarray
) -> dict[str, dict[str, Any]]:
    """Histograms for drift: the validation scores, and the top features on the training fold."""
    histograms: dict[str, Histogram] = {"score": numeric_histogram(scores.tolist())}
    kinds = {f.name: f.kind for f in spec.features}
    for name in _top(booster, spec):
        values: Sequence[object] = frame[name].to_list()
        if kinds[name] is FeatureKind.NUMERIC:
            numbers = frame[name].str.strip_chars().cast(pl.Float64, strict=False).drop_nulls()
            histograms[name] = numeric_histogram(numbers.to_list())
        else:
            histograms[name] = categorical_histogram(values)
    return {name: h.to_json() for name, h in histograms.items()}
