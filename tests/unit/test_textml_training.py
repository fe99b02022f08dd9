"""Text classifier recipe on a synthetic corpus (character n-grams only, so it runs in seconds)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from garrison.adapters.ml.text.corpus import UNKNOWN, read_corpus
from garrison.adapters.ml.text.evaluation import baseline_scorer, evaluate, model_scorer
from garrison.adapters.ml.text.heads import fit_heads, targets_of
from garrison.adapters.ml.text.model import load_text_model
from garrison.adapters.ml.text.thresholds import choose_threshold
from garrison.adapters.ml.text.training import TrainingOptions, train_text_model
from garrison.domain.errors import InvalidInput

NEUTRAL = [
    "the weather is mild today",
    "our meeting moved to friday",
    "I baked bread",
    "the train was late again",
    "she plays the violin",
    "we planted tomatoes",
]
SPAM = ["buy cheap pills now", "cheap pills discount click here", "win money buy now"]
VIOLENT = ["I will hurt you badly", "they plan to attack and kill", "kill them all tonight"]


def write_corpus(path: Path, items: int = 120, seed: int = 1) -> Path:
    rng = random.Random(seed)
    lines = []
    for i in range(items):
        kind = i % 4
        text = rng.choice(NEUTRAL) + " " + rng.choice(NEUTRAL)
        row: dict[str, object] = {"text": text, "spam": 0, "violence": 0}
        if kind == 1:
            row.update(text=rng.choice(SPAM) + " " + text, spam=1)
        elif kind == 2:
            row.update(text=text + " " + rng.choice(VIOLENT), violence=1)
        if i % 5 == 0:
            del row["violence"]  # unknown, not negative
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n")
    return path


OPTIONS = TrainingOptions("text", blocks=("chars",), target_precision=0.8)


def test_missing_labels_are_unknown(tmp_path: Path) -> None:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    assert (corpus.labels[::5, 1] == UNKNOWN).all()
    assert (corpus.labels[:, 0] != UNKNOWN).all()


def test_unknown_rows_are_left_out_of_a_head() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(60, 4))
    labels = (features[:, :1] > 0).astype(np.int8)
    masked = labels.copy()
    masked[:20, 0] = UNKNOWN
    with_unknown = fit_heads(features, targets_of(masked), 1.0)
    subset = fit_heads(features[20:], targets_of(labels[20:]), 1.0)
    assert np.allclose(with_unknown.weights[0], subset.weights[0], atol=1e-4)


def test_trained_model_separates_and_round_trips(tmp_path: Path) -> None:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    model = train_text_model(corpus, OPTIONS)
    scores = model.score(["cheap pills buy now", "we planted tomatoes", "I will hurt you"])
    assert scores.per_category[0, 0] > 0.5 > scores.per_category[1, 0]
    assert scores.per_category[2, 1] > 0.5 > scores.per_category[1, 1]
    assert scores.any[1] < scores.any[0]
    model.save(tmp_path / "m")
    again = load_text_model(tmp_path / "m")
    assert np.allclose(again.score(["cheap pills"]).any, model.score(["cheap pills"]).any)
    assert set(again.thresholds) == {"spam", "violence", "any"}


def test_cross_validation_reports_each_category_and_any(tmp_path: Path) -> None:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    report = evaluate(corpus, model_scorer(OPTIONS), folds=3)
    assert set(report) == {"spam", "violence", "any"}
    assert report["spam"]["auprc"] > 0.9
    assert report["violence"]["items"] == 96
    assert evaluate(corpus, baseline_scorer(), folds=3)["any"]["auprc"] > 0.5


def test_threshold_meets_target_precision() -> None:
    labels = np.array([1, 1, 0, 1, 0, 0, -1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.2, 0.95, 0.1])
    chosen = choose_threshold(labels, scores, 0.75)
    assert chosen.reached and chosen.value == pytest.approx(0.6)
    assert chosen.precision == pytest.approx(0.75) and chosen.recall == 1.0
    fallback = choose_threshold(np.array([0, 1, 1]), np.array([0.9, 0.8, 0.7]), 0.99)
    assert not fallback.reached and fallback.value == pytest.approx(0.7)


def test_unknown_representation_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        TrainingOptions("text", blocks=("bert",))
    assert error.value.field == "blocks"


def test_word_ngrams_are_a_block_of_their_own(tmp_path: Path) -> None:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    options = TrainingOptions("text", blocks=("words", "chars"), target_precision=0.8)
    model = train_text_model(corpus, options)
    scores = model.score(["cheap pills buy now", "we planted tomatoes"])
    assert scores.any[0] > scores.any[1]
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / "words.json").is_file()
    again = load_text_model(tmp_path / "m")
    assert [b.name for b in again.blocks] == ["words", "chars"]
    assert np.allclose(again.score(["win money"]).any, model.score(["win money"]).any)
