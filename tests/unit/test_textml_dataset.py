"""OpenAI's moderation evaluation set (beside the repository, in ../shared/data) reads as a
multi-label corpus with unknown labels; skipped when the data set is absent. No row is printed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from garrison.adapters.ml.text.corpus import UNKNOWN, read_corpus

DATA = Path(__file__).resolve().parents[3] / "shared/data/openai-moderation/samples-1680.jsonl.gz"
CATEGORIES = ["S", "H", "V", "HR", "SH", "S3", "H2", "V2"]


@pytest.mark.skipif(not DATA.is_file(), reason=f"data set absent: {DATA}")
def test_moderation_set_reads_with_unknown_labels() -> None:
    corpus = read_corpus(DATA, "prompt", CATEGORIES)
    assert len(corpus.texts) == 1680
    assert int(corpus.any_label.sum()) == 522
    known = (corpus.labels != UNKNOWN).sum(axis=0)
    assert known.tolist() == [984, 771, 1450, 1444, 1447, 994, 761, 1447]
    assert np.all((corpus.labels == 1).sum(axis=0) >= 24)
