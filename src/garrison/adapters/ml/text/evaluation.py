"""Cross-validated quality of the text model recipe, and of the TF-IDF + logistic regression
baseline: AUPRC per category (on the items whose label is known) and for "any category"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from garrison.adapters.ml.text.corpus import LabelledTexts
from garrison.adapters.ml.text.heads import Floats, fit_heads, targets_of
from garrison.adapters.ml.text.model import TextScores
from garrison.adapters.ml.text.training import TrainingOptions, embed, train_text_model
from garrison.domain.errors import InvalidInput

FoldScorer = Callable[[LabelledTexts, NDArray[np.intp], NDArray[np.intp]], tuple[Floats, Floats]]


def metrics(labels: NDArray[Any], scores: Floats) -> dict[str, Any]:
    """AUPRC, ROC AUC, counts and prevalence over the known labels."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    known = labels >= 0
    y, s = labels[known], scores[known]
    both = 0 < int(y.sum()) < len(y)
    return {
        "auprc": float(average_precision_score(y, s)) if y.any() else None,
        "roc_auc": float(roc_auc_score(y, s)) if both else None,
        "items": int(known.sum()),
        "positives": int(y.sum()),
        "prevalence": float(y.mean()) if len(y) else None,
    }


def report(corpus: LabelledTexts, per_category: Floats, any_score: Floats) -> dict[str, Any]:
    """Metrics for every category and for "any", from scores aligned with `corpus`."""
    out = {
        c: metrics(corpus.labels[:, j], per_category[:, j]) for j, c in enumerate(corpus.categories)
    }
    out["any"] = metrics(corpus.any_label, any_score)
    return out


def cross_validate(corpus: LabelledTexts, scorer: FoldScorer, folds: int, seed: int = 0) -> Floats:
    """Out-of-fold scores (items x categories + "any") from stratified folds on "any"."""
    from sklearn.model_selection import StratifiedKFold

    any_label = corpus.any_label
    smallest = min(int(any_label.sum()), int((1 - any_label).sum()))
    if folds < 2 or folds > smallest:
        raise InvalidInput(f"cross-validation needs 2 to {smallest} folds here", field="cv")
    out = np.zeros((len(corpus.texts), len(corpus.categories) + 1))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(any_label)), any_label):
        per_category, any_score = scorer(corpus, train, test)
        out[test, :-1], out[test, -1] = per_category, any_score
    return out


def model_scorer(options: TrainingOptions) -> FoldScorer:
    """Train the full recipe (inner CV included) on each fold; embeddings are computed once."""
    dense: dict[str, Any] = {}

    def score(
        corpus: LabelledTexts, train: NDArray[np.intp], test: NDArray[np.intp]
    ) -> tuple[Floats, Floats]:
        if not dense:
            dense.update(embed(corpus.texts, options.blocks))
        model = train_text_model(
            corpus.subset(train), options, {k: v[train] for k, v in dense.items()}
        )
        scores: TextScores = model.score(
            [corpus.texts[i] for i in test], {k: v[test] for k, v in dense.items()}
        )
        return scores.per_category, scores.any

    return score


def baseline_scorer(c: float = 10.0) -> FoldScorer:
    """Word 1-2-gram TF-IDF + logistic regression, one head per category plus "any"."""

    def score(
        corpus: LabelledTexts, train: NDArray[np.intp], test: NDArray[np.intp]
    ) -> tuple[Floats, Floats]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        features = vectorizer.fit_transform([corpus.texts[i] for i in train])
        heads = fit_heads(features, targets_of(corpus.labels[train]), c)
        probabilities = heads.predict(vectorizer.transform([corpus.texts[i] for i in test]))
        k = len(corpus.categories)
        return probabilities[:, :k], probabilities[:, k]

    return score


def evaluate(
    corpus: LabelledTexts, scorer: FoldScorer, folds: int, seed: int = 0
) -> dict[str, Any]:
    """The cross-validated report of one recipe."""
    oof = cross_validate(corpus, scorer, folds, seed)
    return report(corpus, oof[:, :-1], oof[:, -1])
