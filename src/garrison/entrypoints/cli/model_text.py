"""`garrison model train text`, and the text branches of `model evaluate` / `model score`.

Registered by `cli/model.py`: `train.command("text")(train_text)`; `evaluate` and `score` hand a
directory whose model.json says `"kind": "text"` to `evaluate_text` / `score_text`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from garrison.adapters.ml.text.cascade import SHARE
from garrison.domain.errors import InvalidInput


def train_text(
    data: Annotated[Path, typer.Argument(metavar="DATA.jsonl", help="Labelled JSONL (.gz ok).")],
    text_field: Annotated[str, typer.Option(help="The field holding each item's text.")],
    labels: Annotated[str, typer.Option(help="Comma-separated 0/1 category fields.")],
    out: Annotated[Path, typer.Option(help="Directory to write the model to.")],
    precision: Annotated[
        float, typer.Option(help="Target precision of each category's threshold.")
    ] = 0.9,
    blocks: Annotated[
        str, typer.Option(help="Representations: minilm, use, chars, words (comma-separated).")
    ] = "minilm,use,chars",
    refine_share: Annotated[
        float,
        typer.Option(
            help="Share of texts (top by the cheaper blocks' score, as in training) that the"
            " expensive minilm block scores too; 1 scores every text with every block."
        ),
    ] = SHARE,
    seed: Annotated[int, typer.Option(help="Random seed (inner folds).")] = 0,
) -> None:
    """Train a multi-label text classifier (a missing label is unknown, not negative)."""
    from garrison.adapters.ml.text.corpus import parse_categories, read_corpus
    from garrison.adapters.ml.text.training import TrainingOptions, train_text_model

    options = TrainingOptions(
        text_field,
        blocks=_names(blocks),
        target_precision=precision,
        seed=seed,
        refine_share=refine_share,
    )
    corpus = read_corpus(data, text_field, parse_categories(labels))
    model = train_text_model(corpus, options)
    model.save(out)
    typer.echo(_json({"model": str(out), **model.manifest}))


def evaluate_text(model_dir: Path, data: Path, cv: int | None) -> dict[str, Any]:
    """With `cv` >= 2: cross-validate the model's recipe (same fields and options) on `data`;
    otherwise score `data` with the saved model. AUPRC per category and for "any"."""
    from garrison.adapters.ml.text.corpus import read_corpus
    from garrison.adapters.ml.text.evaluation import evaluate, model_scorer, report
    from garrison.adapters.ml.text.model import load_text_model
    from garrison.adapters.ml.text.training import TrainingOptions

    model = load_text_model(model_dir)
    corpus = read_corpus(data, model.text_field, model.categories, for_training=bool(cv))
    base = {"model": str(model_dir), "kind": "text", "items": len(corpus.texts)}
    if cv:
        training = model.training
        options = TrainingOptions(
            model.text_field,
            blocks=tuple(b.name for b in model.blocks),
            target_precision=float(training.get("target_precision", 0.9)),
            seed=int(training.get("seed", 0)),
            refine_share=float(training.get("refine_share", 1.0)),
        )
        return {**base, "cv": cv, "metrics": evaluate(corpus, model_scorer(options), cv)}
    scores = model.score(corpus.texts)
    return {**base, "cv": None, "metrics": report(corpus, scores.per_category, scores.any)}


def score_text(model_dir: Path, data: Path, out: Path) -> None:
    """Score every item of a JSONL file; write row, any, flagged and one column per category."""
    from garrison.adapters.ml.text.corpus import read_rows
    from garrison.adapters.ml.text.model import load_text_model

    model = load_text_model(model_dir)
    rows = read_rows(data)
    texts = [row.get(model.text_field) for row in rows]
    if not all(isinstance(t, str) for t in texts):
        raise InvalidInput(f"an item has no text field {model.text_field!r}", field="text_field")
    scores = model.score([str(t) for t in texts])
    cut = model.thresholds["any"].value
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "any", "flagged", *model.categories])
        for i in range(len(texts)):
            per = [f"{v:.6g}" for v in scores.per_category[i]]
            writer.writerow([i, f"{scores.any[i]:.6g}", int(scores.any[i] >= cut), *per])
    typer.echo(f"scored {len(texts)} items -> {out}")


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True)
