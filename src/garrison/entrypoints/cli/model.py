"""`garrison model ...`: train, evaluate and score models; the registry of versions.

`train tabular` works on any labelled CSV (no database); `train text` is `model_text`'s;
`evaluate` and `score` read the kind from the model directory's model.json and hand text models
to `model_text`. The registry commands (`register`, `list`, `promote`, `retire`, `shadow`,
`drift`, `train risk`) are in `model_registry`.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from garrison.domain.errors import InvalidInput
from garrison.entrypoints.cli import model_registry as registry
from garrison.entrypoints.cli import model_text

T = TypeVar("T")

model = typer.Typer(help="Train, evaluate, score and promote models.", no_args_is_help=True)
train = typer.Typer(help="Train a model and write it to a directory.", no_args_is_help=True)
model.add_typer(train, name="train")
model.command("register")(registry.register_model)
model.command("list")(registry.list_models)
model.command("promote")(registry.promote_model)
model.command("retire")(registry.retire_model)
model.command("shadow")(registry.shadow_model)
model.command("drift")(registry.drift_model)
train.command("risk")(registry.train_risk)
train.command("text")(model_text.train_text)

ModelDir = Annotated[Path, typer.Argument(metavar="DIR", help="A model directory (model.json).")]
DataFile = Annotated[Path, typer.Argument(metavar="DATA", help="A CSV file (JSONL for text).")]


@train.command("tabular")
def train_tabular_command(
    data: Annotated[Path, typer.Argument(metavar="DATA.csv", help="A labelled CSV file.")],
    label: Annotated[str, typer.Option(help="The 0/1 (true/false, yes/no) label column.")],
    out: Annotated[Path, typer.Option(help="Directory to write the model to.")],
    time_column: Annotated[
        str | None, typer.Option(help="Validate on the latest rows by this column.")
    ] = None,
    exclude: Annotated[
        str, typer.Option(help="Comma-separated columns not to use as features.")
    ] = "",
    seed: Annotated[int, typer.Option(help="Random seed (split, bagging).")] = 0,
) -> None:
    """Gradient boosting (LightGBM) with calibrated probabilities; prints its metrics as JSON."""
    from garrison.adapters.ml.tabular.table import read_table
    from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular

    options = TrainingOptions(label, time_column=time_column, exclude=_names(exclude), seed=seed)
    trained = train_tabular(read_table(data), options)
    trained.save(out)
    manifest = trained.manifest
    typer.echo(
        _json(
            {
                "model": str(out),
                "version": manifest["version"],
                "features": list(trained.spec.names),
                "dropped": list(trained.spec.dropped),
                "validation": manifest["validation"],
                "training_window": manifest["training_window"],
                "metrics": manifest["metrics"],
            }
        )
    )


@model.command("evaluate")
def evaluate_command(
    model_dir: ModelDir,
    data: DataFile,
    label: Annotated[str | None, typer.Option(help="The label column (tabular).")] = None,
    thresholds: Annotated[
        str, typer.Option(help="Comma-separated score thresholds for precision/recall.")
    ] = "0.05,0.1,0.5,0.9",
    cv: Annotated[int, typer.Option(help="Cross-validation folds (text models).")] = 0,
) -> None:
    """Print JSON with `auprc`, `roc_auc` and precision/recall at each threshold."""
    from garrison.adapters.ml.tabular.manifest import read_manifest

    if read_manifest(model_dir)["kind"] == "text":
        typer.echo(_json(_for_text(lambda: model_text.evaluate_text(model_dir, data, cv))))
        return
    if label is None:
        raise InvalidInput("--label is required for a tabular model", field="label")
    typer.echo(_json(evaluate_tabular(model_dir, data, label, _cuts(thresholds))))


def evaluate_tabular(
    model_dir: Path, data: Path, label: str, thresholds: list[float]
) -> dict[str, Any]:
    """The evaluation report of a tabular model on a labelled CSV."""
    from garrison.adapters.ml.tabular.evaluation import at_thresholds, metrics_of
    from garrison.adapters.ml.tabular.model import load_model
    from garrison.adapters.ml.tabular.table import labelled, read_table

    loaded = load_model(model_dir)
    rows = labelled(read_table(data), label)
    scores = loaded.predict(rows.frame)
    return {
        "model": str(model_dir),
        "kind": "tabular",
        "version": loaded.manifest.get("version"),
        **metrics_of(rows.labels, scores),
        "thresholds": at_thresholds(rows.labels, scores, thresholds),
    }


@model.command("score")
def score_command(
    model_dir: ModelDir,
    data: DataFile,
    out: Annotated[Path, typer.Option(help="CSV to write: row, [id], score.")],
    id_column: Annotated[
        str | None, typer.Option(help="A column of DATA to copy next to each score.")
    ] = None,
) -> None:
    """Score every row of DATA and write the scores to a CSV file."""
    from garrison.adapters.ml.tabular.manifest import read_manifest

    if read_manifest(model_dir)["kind"] == "text":
        _for_text(lambda: model_text.score_text(model_dir, data, out))
        return
    from garrison.adapters.ml.tabular.model import load_model
    from garrison.adapters.ml.tabular.table import read_table

    loaded = load_model(model_dir)
    frame = read_table(data)
    if id_column is not None and id_column not in frame.columns:
        raise InvalidInput(f"id column {id_column!r} is not in {data}", field="id_column")
    scores = loaded.predict(frame)
    ids = frame[id_column].to_list() if id_column else None
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", *([id_column] if id_column else []), "score"])
        for index, score in enumerate(scores.tolist()):
            writer.writerow([index, *([ids[index]] if ids else []), f"{score:.6g}"])
    typer.echo(f"scored {frame.height} rows -> {out}")


def _for_text(call: Callable[[], T]) -> T:
    """Run a text-model command; a missing ML package is a clear error, not a traceback."""
    try:
        return call()
    except ModuleNotFoundError as error:
        raise InvalidInput(
            f"text models need the package {error.name!r}, which is not installed", field="model"
        ) from None


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _cuts(text: str) -> list[float]:
    try:
        cuts = [float(part) for part in _names(text)]
    except ValueError:
        raise InvalidInput(f"thresholds {text!r} are not numbers", field="thresholds") from None
    if not cuts or any(not 0.0 <= c <= 1.0 for c in cuts):
        raise InvalidInput("thresholds must be numbers between 0 and 1", field="thresholds")
    return cuts


def _json(data: Any) -> str:
    return json.dumps(_finite(data), indent=2, sort_keys=True)


def _finite(data: Any) -> Any:
    """NaN (e.g. ROC AUC with one class) becomes null, which JSON can say."""
    if isinstance(data, float):
        return None if math.isnan(data) or math.isinf(data) else data
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data
