"""`garrison model ...` on a throwaway app: train/evaluate/score a CSV, then the registry."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.adapters.storage.sql import migrate
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.model import model

Invoke = Callable[..., Result]


def write_csv(path: Path, rows: int = 3000, positives: int = 60, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    risk = rng.normal(size=rows)
    label = np.zeros(rows, dtype=int)
    label[np.argsort(-(risk + rng.normal(0, 0.3, rows)))[:positives]] = 1
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "risk", "plan", "when", "bad"])
        plans = ["free", "pro", "team"]
        for i in range(rows):
            when = f"2026-10-{1 + i * 28 // rows:02d}T{i % 24:02d}:00:00Z"
            writer.writerow([f"u{i}", f"{risk[i]:.4f}", plans[i % 3], when, label[i]])
    return path


@pytest.fixture
def run(database: Path) -> Invoke:
    migrate(f"sqlite:///{database}")
    app = typer.Typer(cls=GarrisonGroup, add_completion=False)
    app.add_typer(model, name="model")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_train_evaluate_score_a_csv(run: Invoke, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "data.csv")
    trained = run(
        "model",
        "train",
        "tabular",
        str(data),
        "--label",
        "bad",
        "--time-column",
        "when",
        "--out",
        str(tmp_path / "m"),
    )
    assert trained.exit_code == 0, trained.output
    summary = json.loads(trained.output)
    assert summary["features"] == ["risk", "plan"] and summary["dropped"] == ["id"]
    assert summary["metrics"]["auprc"] > 0.5
    assert summary["training_window"]["start"].startswith("2026-10-01")

    evaluated = run(
        "model",
        "evaluate",
        str(tmp_path / "m"),
        str(data),
        "--label",
        "bad",
        "--thresholds",
        "0.2,0.9",
    )
    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.output)
    assert report["auprc"] > 0.5 and report["roc_auc"] > 0.9
    assert [t["threshold"] for t in report["thresholds"]] == [0.2, 0.9]
    assert report["thresholds"][0]["recall"] >= report["thresholds"][1]["recall"]

    out = tmp_path / "scores.csv"
    scored = run(
        "model", "score", str(tmp_path / "m"), str(data), "--out", str(out), "--id-column", "id"
    )
    assert scored.exit_code == 0, scored.output
    lines = out.read_text().splitlines()
    assert lines[0] == "row,id,score" and len(lines) == 3001
    assert lines[1].startswith("0,u0,")


def test_bad_input_is_one_line_without_traceback(run: Invoke, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "data.csv")
    missing = run("model", "train", "tabular", str(data), "--label", "nope", "--out", "x")
    assert missing.exit_code == 1
    assert "label column 'nope' is not in the table" in missing.output
    empty = write_csv(tmp_path / "none.csv", positives=0)
    none = run("model", "train", "tabular", str(empty), "--label", "bad", "--out", "x")
    assert none.exit_code == 1 and "no positive labels" in none.output
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "model.json").write_text("{")
    for args in (
        ("evaluate", str(corrupt), str(data), "--label", "bad"),
        ("score", str(corrupt), str(data), "--out", "s.csv"),
        ("register", str(corrupt), "--name", "risk"),
    ):
        result = run("model", *args)
        assert result.exit_code == 1, args
        assert "corrupt" in result.output and "Traceback" not in result.output
    assert "no models registered" in run("model", "list").output


def test_register_promote_list_drift(run: Invoke, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "data.csv")
    run(
        "model",
        "train",
        "tabular",
        str(data),
        "--label",
        "bad",
        "--exclude",
        "when,id",
        "--out",
        str(tmp_path / "m"),
    )
    registered = run("model", "register", str(tmp_path / "m"), "--name", "risk")
    assert registered.output.strip() == "model risk@1 registered (shadow)"
    assert run("model", "promote", "risk", "1").output.strip() == "model risk@1 is live"
    again = run("model", "promote", "risk", "1")
    assert again.exit_code == 1 and "only a shadow version" in again.output
    listed = json.loads(run("model", "list", "--json").output)
    assert [(v["name"], v["version"], v["status"]) for v in listed] == [("risk", 1, "live")]
    assert listed[0]["features"] == ["risk", "plan"]
    drift = run("model", "drift", "risk", "1", "--since", "1d")
    assert drift.exit_code == 0, drift.output
    assert json.loads(drift.output)["events"] == 0
    unknown = run("model", "drift", "risk", "7")
    assert unknown.exit_code == 1 and "no model risk@7" in unknown.output


def test_train_risk_without_labels_is_a_clear_error(run: Invoke, tmp_path: Path) -> None:
    result = run("model", "train", "risk", "--out", str(tmp_path / "r"), "--since", "7d")
    assert result.exit_code == 1
    assert "no labelled events in the last 7d" in result.output


def test_a_text_model_directory_is_handed_to_the_text_commands(run: Invoke, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "data.csv")
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "model.json").write_text('{"kind": "text"}')
    result = run("model", "evaluate", str(tmp_path / "text"), str(data))
    assert result.exit_code == 1
    assert "text model" in result.output and "Traceback" not in result.output
