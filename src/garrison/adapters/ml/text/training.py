"""Train a text model: per representation ("block"), choose the regularisation by inner
cross-validation, fit the heads on every item, stack the blocks' out-of-fold scores for "any"
(stacking.py), then set per-category thresholds for a target precision from the out-of-fold
scores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from garrison.adapters.ml.text.blocks import Block
from garrison.adapters.ml.text.cascade import SHARE, blend, cascaded, fit_cascade
from garrison.adapters.ml.text.corpus import LabelledTexts
from garrison.adapters.ml.text.encoders import ENCODERS, Matrix, encoder
from garrison.adapters.ml.text.heads import Floats, combine, fit_heads, targets_of
from garrison.adapters.ml.text.model import TextModel
from garrison.adapters.ml.text.ngrams import KINDS as NGRAM_KINDS
from garrison.adapters.ml.text.ngrams import Ngrams
from garrison.adapters.ml.text.stacking import fit_stack
from garrison.adapters.ml.text.thresholds import Threshold, choose_threshold
from garrison.domain.errors import InvalidInput

BLOCKS = (*ENCODERS, *NGRAM_KINDS)
DEFAULT_BLOCKS = ("minilm", "use", "chars")
"""`words` is left out by default: beside `chars` it measured level (within fold noise)."""
DENSE_GRID = (0.3, 1.0, 3.0)
SPARSE_GRID = (3.0, 10.0, 30.0)


@dataclass(frozen=True)
class TrainingOptions:
    text_field: str
    blocks: tuple[str, ...] = DEFAULT_BLOCKS
    target_precision: float = 0.9
    inner_folds: int = 3
    seed: int = 0
    grids: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    refine_share: float = SHARE
    """Share of the training items (top by the cheap blocks' score) whose texts the expensive
    blocks score too (see `cascade`); 1 runs every block on every text."""

    def __post_init__(self) -> None:
        unknown = [b for b in self.blocks if b not in BLOCKS]
        if unknown or not self.blocks:
            known = ", ".join(BLOCKS)
            raise InvalidInput(f"unknown representation {unknown}; known: {known}", field="blocks")
        if not 0.0 < self.refine_share <= 1.0:
            raise InvalidInput("the refined share must be above 0 and at most 1", field="refine")
        if not 0.0 < self.target_precision < 1.0:
            raise InvalidInput("target precision must be between 0 and 1", field="precision")

    def grid(self, block: str) -> tuple[float, ...]:
        return self.grids.get(block) or (SPARSE_GRID if block in NGRAM_KINDS else DENSE_GRID)


def embed(texts: tuple[str, ...], blocks: tuple[str, ...]) -> dict[str, Matrix]:
    """The dense embeddings a set of blocks needs (computed once, reused by every fold)."""
    return {name: encoder(name).encode(texts) for name in blocks if name in ENCODERS}


def train_text_model(
    corpus: LabelledTexts, options: TrainingOptions, dense: Mapping[str, Matrix] | None = None
) -> TextModel:
    """Fit every block and the thresholds; `dense` may hold precomputed embeddings."""
    dense = dense if dense is not None else embed(corpus.texts, options.blocks)
    targets = targets_of(corpus.labels)
    blocks: list[Block] = []
    held_out: list[Floats] = []
    for name in options.blocks:
        block, oof = _fit_block(name, corpus, dense.get(name), targets, options)
        blocks.append(block)
        held_out.append(oof)
    k = len(corpus.categories)
    stack = fit_stack(held_out, targets, options.seed)
    cascade = fit_cascade(options.blocks, held_out, targets, options.refine_share, options.seed)
    if cascade is None:
        categories, any_score = blend(held_out, stack, k)
    else:
        categories, any_score = cascaded(held_out, stack, cascade, k)
    thresholds = _thresholds(corpus, categories, any_score, options.target_precision)
    return TextModel(
        categories=corpus.categories,
        blocks=tuple(blocks),
        thresholds=thresholds,
        text_field=options.text_field,
        training=_summary(corpus, options, blocks),
        stack=stack,
        cascade=cascade,
    )


def _fit_block(
    name: str,
    corpus: LabelledTexts,
    dense: Matrix | None,
    targets: NDArray[np.int8],
    options: TrainingOptions,
) -> tuple[Block, Floats]:
    ngrams = Ngrams.fit(name, corpus.texts) if name in NGRAM_KINDS else None
    features: Any = ngrams.transform(corpus.texts) if ngrams is not None else dense
    k = len(corpus.categories)
    best: tuple[float, float, Floats] | None = None
    for c in options.grid(name):
        oof = _out_of_fold(features, targets, c, options)
        score = _auprc(targets[:, k], combine([oof], k)[1])
        if best is None or score > best[0]:
            best = (score, c, oof)
    assert best is not None
    heads = fit_heads(features, targets, best[1], options.seed)
    return Block(name=name, heads=heads, c=best[1], ngrams=ngrams), best[2]


def _out_of_fold(
    features: Any, targets: NDArray[np.int8], c: float, options: TrainingOptions
) -> Floats:
    from sklearn.model_selection import StratifiedKFold

    any_label = targets[:, -1]
    folds = max(2, min(options.inner_folds, int(any_label.sum()), int((1 - any_label).sum())))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=options.seed)
    out = np.zeros(targets.shape, dtype=np.float64)
    for train, test in splitter.split(np.zeros(len(any_label)), any_label):
        out[test] = fit_heads(features[train], targets[train], c, options.seed).predict(
            features[test]
        )
    return out


def _auprc(labels: NDArray[Any], scores: Floats) -> float:
    from sklearn.metrics import average_precision_score

    known = labels >= 0
    return float(average_precision_score(labels[known], scores[known]))


def _thresholds(
    corpus: LabelledTexts, categories: Floats, any_score: Floats, target: float
) -> dict[str, Threshold]:
    chosen = {
        name: choose_threshold(corpus.labels[:, j], categories[:, j], target)
        for j, name in enumerate(corpus.categories)
    }
    chosen["any"] = choose_threshold(corpus.any_label, any_score, target)
    return chosen


def _summary(
    corpus: LabelledTexts, options: TrainingOptions, blocks: list[Block]
) -> dict[str, Any]:
    labels = corpus.labels
    return {
        "items": len(corpus.texts),
        "positives": {c: int((labels[:, j] == 1).sum()) for j, c in enumerate(corpus.categories)},
        "known": {c: int((labels[:, j] >= 0).sum()) for j, c in enumerate(corpus.categories)},
        "target_precision": options.target_precision,
        "inner_folds": options.inner_folds,
        "seed": options.seed,
        "regularisation": {block.name: block.c for block in blocks},
        "refine_share": options.refine_share,
    }
