"""Character n-gram TF-IDF features, fitted on the training texts and saved as plain arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_FEATURES = 100_000


def _vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


class CharNgrams:
    """A fitted TF-IDF vectoriser over character 2- to 5-grams within word boundaries."""

    def __init__(self, vectorizer: Any) -> None:
        self._vectorizer = vectorizer

    @classmethod
    def fit(cls, texts: Sequence[str]) -> CharNgrams:
        vectorizer = _vectorizer()
        try:
            vectorizer.fit(texts)
        except ValueError:  # too few texts for min_df: keep every n-gram
            vectorizer.set_params(min_df=1).fit(texts)
        return cls(vectorizer)

    @classmethod
    def restore(cls, terms: Sequence[str], idf: NDArray[np.float64]) -> CharNgrams:
        vectorizer = _vectorizer({term: i for i, term in enumerate(terms)})
        vectorizer.idf_ = idf
        return cls(vectorizer)

    def transform(self, texts: Sequence[str]) -> Any:
        return self._vectorizer.transform(texts)

    @property
    def terms(self) -> list[str]:
        vocabulary: dict[str, int] = self._vectorizer.vocabulary_
        return sorted(vocabulary, key=vocabulary.__getitem__)

    @property
    def idf(self) -> NDArray[np.float64]:
        return np.asarray(self._vectorizer.idf_, dtype=np.float64)
