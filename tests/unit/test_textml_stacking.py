"""Stacked "any" score: the meta-learner weighs blocks by merit; format 1 dirs still load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from garrison.adapters.ml.text.corpus import read_corpus
from garrison.adapters.ml.text.heads import combine
from garrison.adapters.ml.text.model import load_text_model
from garrison.adapters.ml.text.stacking import fit_stack, stacked_any
from garrison.adapters.ml.text.training import TrainingOptions, train_text_model
from garrison.domain.errors import InvalidInput

SPAM = ["buy cheap pills now", "cheap pills discount click here", "win money buy now"]
VIOLENT = ["I will hurt you badly", "they plan to attack and kill", "kill them all tonight"]
NEUTRAL = ["the weather is mild today", "our meeting moved to friday", "we planted tomatoes"]


def write_corpus(path: Path, items: int = 90) -> Path:
    rows = []
    for i in range(items):
        text = f"{NEUTRAL[i % 3]} {NEUTRAL[(i // 3) % 3]}"
        row: dict[str, object] = {"text": text, "spam": 0, "violence": 0}
        if i % 3 == 1:
            row.update(text=f"{SPAM[i % 3]} {text}", spam=1)
        elif i % 3 == 2:
            row.update(text=f"{text} {VIOLENT[i % 3]}", violence=1)
        rows.append(json.dumps(row))
    path.write_text("\n".join(rows) + "\n")
    return path


def test_meta_learner_trusts_the_informative_block() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.3).astype(np.int8)
    targets = np.column_stack([y, y]).astype(np.int8)  # one category, and "any"
    good = np.clip(0.2 + 0.6 * y + rng.normal(0, 0.1, 300), 0.01, 0.99)
    noise = rng.random(300)
    held_out = [np.column_stack([noise, noise]), np.column_stack([good, good])]
    meta = fit_stack(held_out, targets)
    assert meta.weights[1, 1] > 5 * abs(meta.weights[1, 0])
    scores = stacked_any(held_out, meta, 1)
    assert scores[y == 1].mean() > 0.5 > scores[y == 0].mean()


def _trained(tmp_path: Path) -> Path:
    corpus = read_corpus(write_corpus(tmp_path / "d.jsonl"), "text", ["spam", "violence"])
    model = train_text_model(corpus, TrainingOptions("text", blocks=("chars",)))
    model.save(tmp_path / "m")
    return tmp_path / "m"


def test_format_1_directory_loads_with_the_plain_blend(tmp_path: Path) -> None:
    directory = _trained(tmp_path)
    manifest = json.loads((directory / "model.json").read_text())
    assert manifest["format"] == 2
    with np.load(directory / "heads.npz") as arrays:
        kept = {k: arrays[k] for k in arrays.files if not k.startswith("_stack.")}
    np.savez_compressed(directory / "heads.npz", **kept)
    (directory / "model.json").write_text(json.dumps({**manifest, "format": 1}))
    old = load_text_model(directory)
    assert old.stack is None
    texts = ["cheap pills buy now", "we planted tomatoes"]
    probabilities = [b.heads.predict(b.features(texts, {})) for b in old.blocks]
    assert np.allclose(old.score(texts).any, combine(probabilities, 2)[1])


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    directory = _trained(tmp_path)
    manifest = json.loads((directory / "model.json").read_text())
    (directory / "model.json").write_text(json.dumps({**manifest, "format": 9}))
    with pytest.raises(InvalidInput) as error:
        load_text_model(directory)
    assert error.value.field == "model" and "format 9" in str(error.value)
