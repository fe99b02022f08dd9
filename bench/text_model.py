"""Text policy classifier: 5-fold cross-validated AUPRC ("any category" and each category) on
OpenAI's moderation evaluation set, against TF-IDF + logistic regression in the same run, and
scoring throughput (target: 200 texts/s on this 2-core machine) on short chat-like texts and on
the data set's texts of at most 200 characters; the second case's baseline is the same model
scoring every text with every block (no cascade).

The data set is read from ../shared/data/openai-moderation (beside the repository); without
it the benchmark is skipped. No row of it is printed.

    .venv/bin/python bench/run.py --only text-model [--quick]
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.measure import Measurement
from bench.report import Row, Target

NAME = "text-model"
DATA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "openai-moderation"
    / "samples-1680.jsonl.gz"
)
CATEGORIES = ("S", "H", "V", "HR", "SH", "S3", "H2", "V2")
SCORING_TARGET = Target(min_per_s=200)
LONGER_CHARS = 200
"""The second throughput case: the data set's own texts of at most this many characters."""
SHORT = [
    "thanks for the quick reply, see you tomorrow",
    "can you help me write a cover letter for a nursing job",
    "I hate waiting in line at the bank",
    "what is the capital of australia",
    "my neighbour's dog keeps barking all night",
    "tell me a joke about penguins",
]


def short_texts(count: int) -> list[str]:
    return [f"{SHORT[i % len(SHORT)]} ({i})" for i in range(count)]


def _auprc(report: dict[str, Any]) -> dict[str, float | None]:
    return {
        name: round(value["auprc"], 4) if value["auprc"] is not None else None
        for name, value in report.items()
    }


def _throughput(label: str, score: Any, texts: list[str], rounds: int = 3) -> Measurement:
    score(texts[:8])  # warm up: load weights, JIT paths
    rates = []
    started = time.perf_counter()
    for _ in range(rounds):
        begin = time.perf_counter()
        score(texts)
        rates.append(len(texts) / (time.perf_counter() - begin))
    seconds = time.perf_counter() - started
    return Measurement(label, len(texts) * rounds, seconds, round_rates=tuple(rates))


def run(*, quick: bool) -> list[Row]:
    if not DATA.is_file():
        return [Row(NAME, "openai-moderation", None, skipped=f"data set absent: {DATA}")]
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from garrison.adapters.ml.text.corpus import read_corpus
    from garrison.adapters.ml.text.evaluation import baseline_scorer, evaluate, model_scorer
    from garrison.adapters.ml.text.heads import fit_heads, targets_of
    from garrison.adapters.ml.text.training import TrainingOptions, train_text_model

    corpus = read_corpus(DATA, "prompt", CATEGORIES)
    if quick:
        corpus = corpus.subset(np.arange(400))
    options = TrainingOptions("prompt")
    started = time.perf_counter()
    model_report = evaluate(corpus, model_scorer(options), folds=5)
    cv_seconds = time.perf_counter() - started
    baseline_report = evaluate(corpus, baseline_scorer(), folds=5)
    model = train_text_model(corpus, options)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    heads = fit_heads(vectorizer.fit_transform(corpus.texts), targets_of(corpus.labels), 10.0)
    texts = short_texts(256)
    subject = _throughput("garrison text model", model.score, texts)
    base = _throughput(
        "tf-idf + logistic regression",
        lambda batch: heads.predict(vectorizer.transform(batch)),
        texts,
    )
    longer = [t for t in corpus.texts if len(t) <= LONGER_CHARS][:256]
    cascaded = _throughput("garrison text model", model.score, longer)
    every_block = replace(model, cascade=None)
    uncascaded = _throughput("every block on every text", every_block.score, longer)
    details = {
        "items": len(corpus.texts),
        "folds": 5,
        "blocks": list(options.blocks),
        "auprc": _auprc(model_report),
        "auprc_baseline": _auprc(baseline_report),
        "cv_seconds": round(cv_seconds, 1),
        "regularisation": model.training["regularisation"],
        "load_average": round(os.getloadavg()[0], 2),
        "cascade": model.manifest.get("cascade"),
        "refined_share_short": _refined(model, texts),
        "refined_share_longer": _refined(model, longer),
    }
    any_auprc = details["auprc"]["any"]
    case = f"{len(corpus.texts)} texts, 5-fold AUPRC any {any_auprc} vs "
    case += f"{details['auprc_baseline']['any']}; short texts/s"
    longer_case = f"data-set texts <= {LONGER_CHARS} chars/s, cascade vs every block"
    return [
        Row(NAME, case, subject, base, target=SCORING_TARGET, details=details),
        Row(NAME, longer_case, cascaded, uncascaded, target=SCORING_TARGET, details=details),
    ]


def _refined(model: Any, texts: list[str]) -> float | None:
    """The share of `texts` whose cheap score reaches the cascade's gate."""
    from garrison.adapters.ml.text.cascade import reaches_gate

    if model.cascade is None:
        return None
    gated = reaches_gate(model.blocks, model.cascade, texts, len(model.categories))
    return round(float(gated.mean()), 3)
