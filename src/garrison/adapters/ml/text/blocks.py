"""A block: one representation of texts (an encoder's embeddings, or character or word n-grams)
and its heads; and the embedding of many texts on both cores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from garrison.adapters.ml.text.encoders import encoder
from garrison.adapters.ml.text.heads import Heads
from garrison.adapters.ml.text.ngrams import Ngrams

WORKERS = 2
"""Threads that embed at once, each a share of the texts: every encoder runs single-threaded
and releases the GIL in onnxruntime / BLAS, so two shares use both cores of a small machine
whatever the mix of encoders."""
SHARE_MIN = 16
"""Below this many texts a batch is embedded on the calling thread (a thread costs more)."""


@dataclass(frozen=True)
class Block:
    """One representation and its heads (one per category, and "any")."""

    name: str
    heads: Heads
    c: float
    ngrams: Ngrams | None = None

    def features(self, texts: Sequence[str], dense: dict[str, Any]) -> Any:
        if self.ngrams is not None:
            return self.ngrams.transform(texts)
        return dense[self.name]


def embed_missing(
    blocks: Sequence[Block], texts: Sequence[str], known: dict[str, Any]
) -> dict[str, Any]:
    """The embeddings of `texts` that `blocks` need and `known` lacks, by encoder name."""
    names = [b.name for b in blocks if b.ngrams is None and b.name not in known]
    if not names or not texts:
        return {}
    if len(texts) < SHARE_MIN:
        return _embed_share(names, texts)
    from concurrent.futures import ThreadPoolExecutor

    step = -(-len(texts) // WORKERS)
    shares = [texts[i : i + step] for i in range(0, len(texts), step)]
    with ThreadPoolExecutor(len(shares)) as pool:
        parts = list(pool.map(lambda share: _embed_share(names, share), shares))
    return {name: np.vstack([part[name] for part in parts]) for name in names}


def _embed_share(names: Sequence[str], texts: Sequence[str]) -> dict[str, Any]:
    return {name: encoder(name).encode(texts) for name in names}
