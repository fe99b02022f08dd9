"""The static embedding model behind `SimilarTexts`: close meanings pair up, others do not."""

from __future__ import annotations

import pytest

from garrison.adapters.clustering import StaticModelSimilarity, available

pytestmark = pytest.mark.skipif(not available(), reason="tokenlearn-static-model not installed")


def test_similar_texts_pair_and_unrelated_ones_do_not() -> None:
    texts = [
        "free crypto giveaway, claim your prize now",
        "claim your free crypto gift today",
        "how do I bake sourdough bread",
    ]
    pairs = StaticModelSimilarity().pairs(texts, 0.6)
    assert pairs == [(0, 1)]
    assert StaticModelSimilarity().pairs(texts[:1], 0.6) == []
