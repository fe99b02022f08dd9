"""Labelled texts read from JSONL: one object per line, a text field and 0/1 category labels.

A category missing from an item (or null) is unknown, not negative: it is masked out of that
category's head. Bad files raise InvalidInput naming the field, before anything is written.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from garrison.domain.errors import InvalidInput

UNKNOWN = -1
MIN_POSITIVES = 2


@dataclass(frozen=True)
class LabelledTexts:
    """Texts and a label matrix (items x categories) of 1, 0 or UNKNOWN."""

    texts: tuple[str, ...]
    categories: tuple[str, ...]
    labels: NDArray[np.int8]

    @property
    def any_label(self) -> NDArray[np.int8]:
        """1 where some category is known positive, else 0 ("any category" in evaluations)."""
        return np.asarray((self.labels == 1).any(axis=1), dtype=np.int8)

    def subset(self, rows: NDArray[np.intp]) -> LabelledTexts:
        return LabelledTexts(tuple(self.texts[i] for i in rows), self.categories, self.labels[rows])


def parse_categories(text: str) -> tuple[str, ...]:
    """`A,B,C` -> ("A", "B", "C"); empty or repeated names are refused."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    if not names:
        raise InvalidInput("name at least one category", field="labels")
    if len(set(names)) != len(names):
        raise InvalidInput("a category is named twice", field="labels")
    return names


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file (gzip when it ends in .gz)."""
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist", field="data")
    opener: Any = gzip.open if path.suffix == ".gz" else open
    rows: list[dict[str, Any]] = []
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    rows.append(_object(line, number))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read {path}: {error}", field="data") from None
    if not rows:
        raise InvalidInput(f"{path} holds no items", field="data")
    return rows


def _object(line: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError:
        raise InvalidInput(f"line {number} is not JSON", field="data") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"line {number} is not a JSON object", field="data")
    return value


def read_corpus(
    path: Path, text_field: str, categories: Sequence[str], *, for_training: bool = True
) -> LabelledTexts:
    """Read and check a labelled JSONL file; training also needs positives and negatives."""
    rows = read_rows(path)
    texts = tuple(_text(row, text_field, i) for i, row in enumerate(rows, start=1))
    labels = np.array([[_label(row, c, i) for c in categories] for i, row in enumerate(rows, 1)])
    corpus = LabelledTexts(texts, tuple(categories), labels.astype(np.int8).reshape(len(rows), -1))
    check_labels(corpus, for_training=for_training)
    return corpus


def _text(row: dict[str, Any], field: str, number: int) -> str:
    value = row.get(field)
    if not isinstance(value, str):
        raise InvalidInput(f"item {number} has no text field {field!r}", field="text_field")
    return value


def _label(row: dict[str, Any], category: str, number: int) -> int:
    value = row.get(category)
    if value is None:
        return UNKNOWN
    if value in (0, 1) and not isinstance(value, float | str):
        return int(value)
    raise InvalidInput(
        f"item {number}: label {category!r} must be 0, 1, true, false or null", field="labels"
    )


def check_labels(corpus: LabelledTexts, *, for_training: bool) -> None:
    """Every category must be labelled somewhere; training needs positives and negatives."""
    for j, category in enumerate(corpus.categories):
        column = corpus.labels[:, j]
        if not (column != UNKNOWN).any():
            raise InvalidInput(f"no item carries the label field {category!r}", field="labels")
        positives, negatives = int((column == 1).sum()), int((column == 0).sum())
        if for_training and positives < MIN_POSITIVES:
            raise InvalidInput(
                f"category {category!r} has {positives} positive items; need {MIN_POSITIVES}",
                field="labels",
            )
        if for_training and negatives < MIN_POSITIVES:
            raise InvalidInput(f"category {category!r} has no negative items", field="labels")
