"""Training, calibration, saving and scoring of tabular models on rare positives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from tabular_world import fraud_table

from garrison.adapters.ml.tabular.calibration import fit_calibration
from garrison.adapters.ml.tabular.model import TabularModel, load_model
from garrison.adapters.ml.tabular.table import labelled, read_table, table_of
from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
from garrison.domain.errors import InvalidInput


def test_the_model_ranks_rare_positives_far_above_chance(
    trained: tuple[TabularModel, Path],
) -> None:
    model, _ = trained
    metrics = model.manifest["metrics"]
    assert metrics["base_rate"] < 0.05
    assert metrics["auprc"] > max(0.5, 10 * metrics["base_rate"])
    assert metrics["roc_auc"] > 0.9
    assert model.manifest["validation"] == "time"


def test_identifier_columns_are_dropped_and_types_inferred(
    trained: tuple[TabularModel, Path],
) -> None:
    model, _ = trained
    kinds = {f.name: f.kind.value for f in model.spec.features}
    assert kinds == {"amount": "numeric", "age_days": "numeric", "country": "categorical"}
    assert model.spec.dropped == ("id",)


def test_the_manifest_names_kind_window_version_and_baseline(
    trained: tuple[TabularModel, Path],
) -> None:
    _, directory = trained
    manifest = json.loads((directory / "model.json").read_text())
    assert manifest["kind"] == "tabular"
    assert manifest["training_window"]["start"].startswith("2023-11-14")
    assert len(manifest["version"]) == 12
    assert {"score", "amount"} <= set(manifest["baseline"])
    assert manifest["params"]["num_threads"] == 1


def test_validation_is_the_latest_rows_by_time() -> None:
    frame = fraud_table(2000, 0.05)
    late = frame.with_columns(pl.col("ts").reverse())  # the first rows become the latest
    model = train_tabular(late, TrainingOptions("fraud", time_column="ts", max_rounds=20))
    assert model.manifest["metrics"]["rows"] == 400


def test_probabilities_are_calibrated_on_average(trained: tuple[TabularModel, Path]) -> None:
    model, _ = trained
    frame = fraud_table(4000, 0.02, seed=1)
    scores = model.predict(frame)
    assert scores.min() >= 0.0 and scores.max() <= 1.0
    assert abs(scores.mean() - 0.02) < 0.015


def test_a_saved_model_scores_one_event_as_it_scores_a_table(
    trained: tuple[TabularModel, Path],
) -> None:
    model, directory = trained
    loaded = load_model(directory)
    scorer = loaded.scorer()
    assert scorer.fast
    rows = [
        {"amount": 900.0, "age_days": 2, "country": "ng"},
        {"amount": "3.5", "age_days": 800, "country": "us"},
        {"amount": None, "country": "never-seen"},
    ]
    one_by_one = [scorer.score_one(row) for row in rows]
    batch = loaded.predict(table_of(rows))
    assert np.allclose(one_by_one, batch)
    assert one_by_one[0] > 10 * one_by_one[1]
    assert np.allclose(model.predict(table_of(rows)), batch)


def test_stratified_split_without_a_time_column() -> None:
    model = train_tabular(fraud_table(2000, 0.05), TrainingOptions("fraud", max_rounds=30))
    assert model.manifest["validation"] == "stratified"
    assert model.manifest["training_window"] is None
    assert model.manifest["metrics"]["positives"] == 20


def test_no_positives_is_a_clear_error() -> None:
    frame = fraud_table(500).with_columns(pl.lit(0).alias("fraud"))
    with pytest.raises(InvalidInput, match="no positive labels") as error:
        train_tabular(frame, TrainingOptions("fraud"))
    assert error.value.field == "label"


def test_a_missing_label_column_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="label column 'nope' is not in the table"):
        train_tabular(fraud_table(200), TrainingOptions("nope"))


def test_labels_that_are_not_binary_are_refused() -> None:
    frame = fraud_table(200).with_columns(pl.lit("maybe").alias("fraud"))
    with pytest.raises(InvalidInput, match="'maybe' is not 0/1"):
        labelled(frame.cast(pl.String), "fraud")


def test_a_time_column_that_holds_no_times_is_refused() -> None:
    frame = fraud_table(300, 0.1).with_columns(pl.lit("soon").alias("ts"))
    with pytest.raises(InvalidInput, match="not times") as error:
        train_tabular(frame.cast(pl.String), TrainingOptions("fraud", time_column="ts"))
    assert error.value.field == "time_column"


def test_corrupt_model_directories_are_refused(
    trained: tuple[TabularModel, Path], tmp_path: Path
) -> None:
    _, directory = trained
    copy = tmp_path / "copy"
    shutil.copytree(directory, copy)
    (copy / "booster.txt").write_text("garbage")
    with pytest.raises(InvalidInput, match="corrupt model directory"):
        load_model(copy)
    (copy / "model.json").write_text("{")
    with pytest.raises(InvalidInput, match="is corrupt"):
        load_model(copy)
    with pytest.raises(InvalidInput, match="not a model directory"):
        load_model(tmp_path / "missing")


def test_a_file_that_is_not_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InvalidInput):
        read_table(path)


def test_isotonic_calibration_of_one_score_matches_the_vector_form() -> None:
    raw = np.linspace(-6, 3, 4000)
    labels = (np.random.default_rng(0).random(4000) < 1 / (1 + np.exp(-raw))).astype(float)
    calibration = fit_calibration(raw, labels)
    assert calibration.method == "isotonic"
    probes = np.array([-10.0, -6.0, -2.5, 0.0, 0.123, 2.9, 3.0, 10.0])
    assert np.allclose([calibration.one(p) for p in probes], calibration.many(probes))
