"""N-gram TF-IDF features, fitted on the training texts and saved as plain arrays.

Two kinds: `chars` (character 2- to 5-grams within word boundaries: robust to misspellings,
leetspeak and unsegmented languages) and `words` (word unigrams and bigrams: whole slurs and
phrases the character view splits up)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_FEATURES = 100_000
KINDS = ("chars", "words")
_SETTINGS: dict[str, dict[str, Any]] = {
    "chars": {"analyzer": "char_wb", "ngram_range": (2, 5)},
    "words": {"analyzer": "word", "ngram_range": (1, 2)},
}


def _vectorizer(kind: str, vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        **_SETTINGS[kind],
        min_df=2,
        sublinear_tf=True,
        max_features=MAX_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


class Ngrams:
    """A fitted TF-IDF vectoriser of one kind (`chars` or `words`)."""

    def __init__(self, vectorizer: Any) -> None:
        self._vectorizer = vectorizer

    @classmethod
    def fit(cls, kind: str, texts: Sequence[str]) -> Ngrams:
        vectorizer = _vectorizer(kind)
        try:
            vectorizer.fit(texts)
        except ValueError:  # too few texts for min_df: keep every n-gram
            vectorizer.set_params(min_df=1)
            try:
                vectorizer.fit(texts)
            except ValueError:  # not one n-gram at all (only stop characters): one dummy term
                vectorizer = _vectorizer(kind, {"\x00": 0}).fit(texts)
        return cls(vectorizer)

    @classmethod
    def restore(cls, kind: str, terms: Sequence[str], idf: NDArray[np.float64]) -> Ngrams:
        vectorizer = _vectorizer(kind, {term: i for i, term in enumerate(terms)})
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
