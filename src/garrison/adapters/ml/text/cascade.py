"""Two-stage scoring: the cheap blocks score every text, the expensive ones (MiniLM) only the
texts the cheap blocks rank highest.

Most of what the expensive block adds is in how it orders the texts that might violate: below
the cheap blocks' top share, their order barely changes the precision-recall curve (measured on
OpenAI's moderation set: refining only the top 30 % kept "any" AUPRC within 0.001 of refining
every text). So training also stacks the cheap blocks alone, and sets a gate: the cheap "any"
score above which `share` of the training items lie. A text at or above the gate is scored by
every block, as without a cascade; a text below it keeps its cheap scores. On traffic that is
mostly benign, far fewer than `share` of the texts reach the gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from garrison.adapters.ml.text.blocks import Block, embed_missing
from garrison.adapters.ml.text.heads import Floats, Heads, combine
from garrison.adapters.ml.text.stacking import fit_stack, stacked_any

EXPENSIVE = frozenset({"minilm"})
"""Blocks that cost several times more per text than the others."""
SHARE = 0.3
"""By default, the expensive blocks see the top 30 % of the training items by cheap score."""


@dataclass(frozen=True)
class Cascade:
    cheap: tuple[int, ...]
    """Indices of the blocks that score every text."""
    stack: Heads
    """"Any" stacking weights over the cheap blocks alone."""
    gate: float
    """Texts whose cheap "any" score reaches this are scored by every block."""
    share: float


def fit_cascade(
    names: Sequence[str], held_out: list[Floats], targets: NDArray[np.int8], share: float, seed: int
) -> Cascade | None:
    """The cascade of a block list, from the blocks' out-of-fold scores; None when every block
    is cheap, none is, or `share` is 1 (every text gets every block)."""
    cheap = tuple(i for i, name in enumerate(names) if name not in EXPENSIVE)
    if share >= 1.0 or not cheap or len(cheap) == len(names):
        return None
    chosen = [held_out[i] for i in cheap]
    stack = fit_stack(chosen, targets, seed)
    any_score = stacked_any(chosen, stack, targets.shape[1] - 1)
    gate = float(np.quantile(any_score, 1.0 - share))
    return Cascade(cheap, stack, gate, share)


def blend(
    probabilities: list[Floats], stack: Heads | None, categories: int
) -> tuple[Floats, Floats]:
    """Category scores (mean over blocks) and "any" (stacked when there are weights)."""
    per_category, any_score = combine(probabilities, categories)
    if stack is not None:
        any_score = stacked_any(probabilities, stack, categories)
    return np.array(per_category), np.array(any_score)


def cascaded(
    probabilities: list[Floats], stack: Heads | None, cascade: Cascade, categories: int
) -> tuple[Floats, Floats]:
    """What scoring gives when every block's probabilities are known (out-of-fold scores at
    training, where thresholds are chosen on the scores the model will give)."""
    per_category, any_score = blend(
        [probabilities[i] for i in cascade.cheap], cascade.stack, categories
    )
    chosen = any_score >= cascade.gate
    full_category, full_any = blend(probabilities, stack, categories)
    per_category[chosen], any_score[chosen] = full_category[chosen], full_any[chosen]
    return per_category, any_score


def score_texts(
    blocks: Sequence[Block],
    stack: Heads | None,
    cascade: Cascade | None,
    texts: Sequence[str],
    dense: dict[str, Any],
    categories: int,
) -> tuple[Floats, Floats]:
    """Scores of `texts`: every block when there is no cascade; otherwise the cheap blocks, then
    every block for the texts that reach the gate. `dense` may hold precomputed embeddings."""
    cache = dict(dense)
    if cascade is None:
        cache.update(embed_missing(blocks, texts, cache))
        every = [b.heads.predict(b.features(texts, cache)) for b in blocks]
        return blend(every, stack, categories)
    known, (per_category, any_score) = _cheap(blocks, cascade, texts, cache, categories)
    chosen = np.flatnonzero(any_score >= cascade.gate)
    if chosen.size == 0:
        return per_category, any_score
    picked = [texts[int(i)] for i in chosen]
    rest = [b for i, b in enumerate(blocks) if i not in known]
    sliced = {b.name: cache[b.name][chosen] for b in rest if b.name in cache}
    sliced.update(embed_missing(rest, picked, sliced))
    probabilities = [
        known[i][chosen] if i in known else block.heads.predict(block.features(picked, sliced))
        for i, block in enumerate(blocks)
    ]
    per_category[chosen], any_score[chosen] = blend(probabilities, stack, categories)
    return per_category, any_score


def reaches_gate(
    blocks: Sequence[Block], cascade: Cascade, texts: Sequence[str], categories: int
) -> NDArray[np.bool_]:
    """Which texts the expensive blocks would score."""
    _, (_, any_score) = _cheap(blocks, cascade, texts, {}, categories)
    return np.asarray(any_score >= cascade.gate)


def _cheap(
    blocks: Sequence[Block],
    cascade: Cascade,
    texts: Sequence[str],
    cache: dict[str, Any],
    categories: int,
) -> tuple[dict[int, Floats], tuple[Floats, Floats]]:
    """The cheap blocks' probabilities (by block index) and blended scores; `cache` gains the
    embeddings computed."""
    cheap = [blocks[i] for i in cascade.cheap]
    cache.update(embed_missing(cheap, texts, cache))
    known = {i: blocks[i].heads.predict(blocks[i].features(texts, cache)) for i in cascade.cheap}
    return known, blend(list(known.values()), cascade.stack, categories)
