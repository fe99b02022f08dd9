"""The shipped encoders load offline and embed: similar texts land closer than unrelated ones."""

from __future__ import annotations

import numpy as np
import pytest

from garrison.adapters.ml.text.encoders import DIMENSIONS, encoder
from garrison.domain.errors import InvalidInput


@pytest.mark.parametrize("name", ["minilm", "use"])
def test_encoder_embeds_normalised_and_meaningful(name: str) -> None:
    texts = ["I will hurt you", "I am going to harm you", "the recipe needs two eggs", ""]
    vectors = encoder(name).encode(texts)
    assert vectors.shape == (4, DIMENSIONS[name]) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-4)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.1


def test_unknown_encoder() -> None:
    with pytest.raises(InvalidInput):
        encoder("bert-large")
