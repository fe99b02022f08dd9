"""Two-stage scoring: cheap blocks score every text, the expensive block only those that reach
the gate, and each text gets exactly the scores of the stage it went through."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_textml_training import write_corpus

from garrison.adapters.ml.text.cascade import reaches_gate
from garrison.adapters.ml.text.corpus import read_corpus
from garrison.adapters.ml.text.model import TextModel, load_text_model
from garrison.adapters.ml.text.training import TrainingOptions, train_text_model
from garrison.domain.errors import InvalidInput

TEXTS = [
    "cheap pills buy now",
    "we planted tomatoes",
    "I will hurt you badly tonight",
    "the train was late again",
    "win money buy now click here",
    "she plays the violin",
]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> TextModel:
    path = write_corpus(tmp_path_factory.mktemp("cascade") / "d.jsonl")
    corpus = read_corpus(path, "text", ["spam", "violence"])
    options = TrainingOptions("text", blocks=("minilm", "chars"), target_precision=0.8)
    return train_text_model(corpus, options)


def test_texts_below_the_gate_keep_cheap_scores_and_the_rest_get_every_block(
    model: TextModel,
) -> None:
    cascade = model.cascade
    assert cascade is not None and [model.blocks[i].name for i in cascade.cheap] == ["chars"]
    gated = reaches_gate(model.blocks, cascade, TEXTS, 2)
    assert gated.any() and not gated.all()
    scores = model.score(TEXTS)
    full = replace(model, cascade=None).score(TEXTS)
    cheap = replace(model, blocks=(model.blocks[1],), stack=cascade.stack, cascade=None)
    alone = cheap.score(TEXTS)
    assert np.allclose(scores.any[gated], full.any[gated])
    assert np.allclose(scores.per_category[gated], full.per_category[gated])
    assert np.allclose(scores.any[~gated], alone.any[~gated])
    assert (scores.any[~gated] < cascade.gate).all()


def test_cascade_round_trips_in_format_3(model: TextModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "model.json").read_text())
    assert manifest["format"] == 3 and manifest["cascade"]["cheap"] == ["chars"]
    again = load_text_model(tmp_path / "m")
    assert again.cascade is not None and again.cascade.gate == pytest.approx(model.cascade.gate)
    assert np.allclose(again.score(TEXTS).any, model.score(TEXTS).any)


def test_share_one_scores_every_text_with_every_block(tmp_path: Path) -> None:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    options = TrainingOptions("text", blocks=("minilm", "chars"), refine_share=1.0)
    trained = train_text_model(corpus, options)
    assert trained.cascade is None and trained.manifest["format"] == 2
    with pytest.raises(InvalidInput) as error:
        TrainingOptions("text", refine_share=0.0)
    assert error.value.field == "refine"


def test_a_cascade_that_does_not_match_its_blocks_is_a_corrupt_model(
    model: TextModel, tmp_path: Path
) -> None:
    model.save(tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    manifest = json.loads(path.read_text())
    manifest["cascade"]["cheap"] = ["chars", "minilm"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(InvalidInput) as error:
        load_text_model(tmp_path / "m")
    assert error.value.field == "model"
