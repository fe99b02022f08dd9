"""The moderation port backed by a trained text model directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from garrison.adapters.ml.text.model import TextModel, load_text_model
from garrison.services.moderation import Classification


class ModelClassifier:
    """A `TextClassifier` over a text model: scores per category, flagged at its thresholds."""

    def __init__(self, model: TextModel, name: str) -> None:
        self._model = model
        self.name = name

    @classmethod
    def load(cls, directory: Path) -> ModelClassifier:
        return cls(load_text_model(directory), f"garrison-text:{directory.name}")

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        scores = self._model.score(list(texts))
        cuts = {c: self._model.thresholds[c].value for c in self._model.categories}
        out = []
        for i in range(len(texts)):
            row = scores.row(i)
            out.append(Classification(row, {c: row[c] >= cuts[c] for c in row}))
        return out
