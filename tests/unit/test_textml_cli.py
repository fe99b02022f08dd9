"""`garrison model train text` / evaluate / score on a synthetic corpus (n-grams only)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from test_textml_training import write_corpus
from typer.testing import CliRunner

from garrison.adapters.ml.text.corpus import read_corpus
from garrison.domain.errors import InvalidInput
from garrison.entrypoints.cli.model_text import evaluate_text, score_text, train_text

app = typer.Typer()
app.command("train")(train_text)
app.command("noop")(lambda: None)


def train(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    data = write_corpus(tmp_path / "data.jsonl")
    out = tmp_path / "model"
    args = ["train", str(data), "--text-field", "text", "--labels", "spam,violence"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--blocks", "chars", *extra])
    return result.exit_code, out


def test_train_evaluate_and_score(tmp_path: Path) -> None:
    code, out = train(tmp_path)
    assert code == 0
    manifest = json.loads((out / "model.json").read_text())
    assert manifest["kind"] == "text" and manifest["categories"] == ["spam", "violence"]
    report = evaluate_text(out, tmp_path / "data.jsonl", 3)
    assert report["metrics"]["any"]["auprc"] > 0.8 and report["cv"] == 3
    held = evaluate_text(out, tmp_path / "data.jsonl", None)
    assert held["metrics"]["spam"]["auprc"] > 0.9
    score_text(out, tmp_path / "data.jsonl", tmp_path / "scores.csv")
    with (tmp_path / "scores.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 120 and set(rows[0]) == {"row", "any", "flagged", "spam", "violence"}


@pytest.mark.parametrize(("labels", "field"), [("spam,absent", "labels"), ("spam,spam", "labels")])
def test_bad_labels_write_nothing(tmp_path: Path, labels: str, field: str) -> None:
    data = write_corpus(tmp_path / "data.jsonl")
    result = CliRunner().invoke(
        app,
        [
            "train",
            str(data),
            "--text-field",
            "text",
            "--labels",
            labels,
            "--out",
            str(tmp_path / "m"),
            "--blocks",
            "chars",
        ],
    )
    assert isinstance(result.exception, InvalidInput) and result.exception.field == field
    assert not (tmp_path / "m").exists()


def test_no_positives_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps({"text": f"t {i}", "spam": 0}) for i in range(20)))
    with pytest.raises(InvalidInput, match="positive"):
        read_corpus(data, "text", ["spam"])


def test_missing_text_field_and_corrupt_model(tmp_path: Path) -> None:
    code, out = train(tmp_path, "--text-field", "body")
    assert code != 0 and not out.exists()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "model.json").write_text('{"kind": "text", "blocks": ["chars"]}')
    with pytest.raises(InvalidInput) as error:
        evaluate_text(tmp_path / "bad", tmp_path / "data.jsonl", None)
    assert error.value.field == "model"
