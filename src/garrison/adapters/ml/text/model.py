"""A trained text model and its directory: `model.json` (manifest, `"kind": "text"`),
`heads.npz` (weights per block, the "any" stacking weights from format 2 on, the cheap blocks'
stacking weights of a cascade in format 3) and `chars.json` / `words.json` (the n-gram
vocabularies, when used). Format 1 directories (no stacking weights) still load and score "any"
as the plain blend they were trained with; format 2 (no cascade) scores every text with every
block."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from garrison.adapters.ml.text.blocks import Block
from garrison.adapters.ml.text.cascade import Cascade, score_texts
from garrison.adapters.ml.text.encoders import DIMENSIONS
from garrison.adapters.ml.text.heads import Floats, Heads
from garrison.adapters.ml.text.ngrams import KINDS as NGRAM_KINDS
from garrison.adapters.ml.text.ngrams import Ngrams
from garrison.adapters.ml.text.thresholds import Threshold
from garrison.domain.errors import InvalidInput

KIND = "text"
FORMAT = 3
STACK = "_stack"
CHEAP_STACK = "_cheap_stack"
MANIFEST = "model.json"


@dataclass(frozen=True)
class TextScores:
    """Scores per item: one column per category, and "any category"."""

    categories: tuple[str, ...]
    per_category: Floats
    any: Floats

    def row(self, index: int) -> dict[str, float]:
        return {c: float(self.per_category[index, j]) for j, c in enumerate(self.categories)}


@dataclass(frozen=True)
class TextModel:
    categories: tuple[str, ...]
    blocks: tuple[Block, ...]
    thresholds: dict[str, Threshold]
    text_field: str
    training: dict[str, Any]
    stack: Heads | None = None
    cascade: Cascade | None = None

    def score(self, texts: Sequence[str], dense: dict[str, Any] | None = None) -> TextScores:
        """Scores for `texts`; `dense` may carry precomputed embeddings (by encoder name)."""
        per_category, any_score = score_texts(
            self.blocks, self.stack, self.cascade, texts, dict(dense or {}), len(self.categories)
        )
        return TextScores(self.categories, per_category, any_score)

    @property
    def format(self) -> int:
        return FORMAT if self.cascade is not None else 2 if self.stack is not None else 1

    @property
    def manifest(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "format": self.format,
            "categories": list(self.categories),
            "text_field": self.text_field,
            "blocks": [b.name for b in self.blocks],
            "thresholds": {name: t.as_json() for name, t in self.thresholds.items()},
            "training": self.training,
            **({"cascade": _cascade_json(self.cascade, self.blocks)} if self.cascade else {}),
        }

    def save(self, directory: Path) -> None:
        """Write the model directory whole, or leave `directory` as it was."""
        if directory.exists() and any(directory.iterdir()) and not (directory / MANIFEST).is_file():
            raise InvalidInput(f"{directory} exists and is not a model directory", field="out")
        staging = directory.parent / f".{directory.name}.partial-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            self._write(staging)
            if directory.exists():
                shutil.rmtree(directory)
            staging.rename(directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _write(self, directory: Path) -> None:
        arrays: dict[str, Any] = {}
        for block in self.blocks:
            arrays[f"{block.name}.weights"] = block.heads.weights.astype(np.float32)
            arrays[f"{block.name}.bias"] = block.heads.bias
            if block.ngrams is not None:
                arrays[f"{block.name}.idf"] = block.ngrams.idf
                terms = json.dumps(block.ngrams.terms, ensure_ascii=False)
                (directory / f"{block.name}.json").write_text(terms, "utf-8")
        if self.stack is not None:
            arrays[f"{STACK}.weights"] = self.stack.weights
            arrays[f"{STACK}.bias"] = self.stack.bias
        if self.cascade is not None:
            arrays[f"{CHEAP_STACK}.weights"] = self.cascade.stack.weights
            arrays[f"{CHEAP_STACK}.bias"] = self.cascade.stack.bias
        np.savez_compressed(directory / "heads.npz", **arrays)
        text = json.dumps(self.manifest, indent=2, sort_keys=True)
        (directory / MANIFEST).write_text(text + "\n", "utf-8")


def load_text_model(directory: Path) -> TextModel:
    """Read a text model directory; InvalidInput (field `model`) when it is missing or corrupt."""
    manifest = _manifest(directory)
    try:
        with np.load(directory / "heads.npz", allow_pickle=False) as arrays:
            blocks = tuple(_block(directory, name, arrays) for name in manifest["blocks"])
            stack = _stack(arrays, manifest)
            cascade = _cascade(arrays, manifest, blocks)
        thresholds = {name: Threshold(**value) for name, value in manifest["thresholds"].items()}
        categories = tuple(str(c) for c in manifest["categories"])
        _check_shapes(blocks, len(categories))
        if stack is not None and stack.weights.shape != (len(categories) + 1, len(blocks)):
            raise ValueError("the stacking weights do not match the blocks or categories")
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
        raise InvalidInput(f"{directory} is a corrupt text model: {error}", field="model") from None
    return TextModel(
        categories,
        blocks,
        thresholds,
        str(manifest["text_field"]),
        manifest["training"],
        stack,
        cascade,
    )


def _manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise InvalidInput(f"{directory} is not a model directory (no {MANIFEST})", field="model")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(f"{path} is corrupt", field="model") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise InvalidInput(f"{directory} does not hold a text model", field="model")
    return manifest


def _stack(arrays: Any, manifest: dict[str, Any]) -> Heads | None:
    """Format 2 carries the "any" stacking weights; format 1 blends "any" without them."""
    version = manifest.get("format", 1)
    if version not in (1, 2, FORMAT):
        raise ValueError(f"format {version!r} is not supported (this version reads 1 to 3)")
    if version == 1:
        return None
    return Heads(
        np.asarray(arrays[f"{STACK}.weights"], dtype=np.float64),
        np.asarray(arrays[f"{STACK}.bias"], dtype=np.float64),
    )


def _cascade(arrays: Any, manifest: dict[str, Any], blocks: tuple[Block, ...]) -> Cascade | None:
    """Format 3 carries a cascade (cheap blocks, their stacking weights and the gate)."""
    if manifest.get("format", 1) != FORMAT:
        return None
    spec = manifest["cascade"]
    names = [b.name for b in blocks]
    stack = Heads(
        np.asarray(arrays[f"{CHEAP_STACK}.weights"], dtype=np.float64),
        np.asarray(arrays[f"{CHEAP_STACK}.bias"], dtype=np.float64),
    )
    cheap = tuple(names.index(name) for name in spec["cheap"])
    if stack.weights.shape[1] != len(cheap):
        raise ValueError("the cascade's stacking weights do not match its blocks")
    return Cascade(cheap, stack, float(spec["gate"]), float(spec["share"]))


def _cascade_json(cascade: Cascade, blocks: tuple[Block, ...]) -> dict[str, Any]:
    return {
        "cheap": [blocks[i].name for i in cascade.cheap],
        "gate": cascade.gate,
        "share": cascade.share,
    }


def _block(directory: Path, name: str, arrays: Any) -> Block:
    heads = Heads(
        np.asarray(arrays[f"{name}.weights"], dtype=np.float64),
        np.asarray(arrays[f"{name}.bias"], dtype=np.float64),
    )
    ngrams = None
    if name in NGRAM_KINDS:
        terms = json.loads((directory / f"{name}.json").read_text("utf-8"))
        ngrams = Ngrams.restore(name, terms, np.asarray(arrays[f"{name}.idf"]))
    elif name not in DIMENSIONS:
        raise ValueError(f"unknown block {name!r}")
    return Block(name=name, heads=heads, c=0.0, ngrams=ngrams)


def _check_shapes(blocks: tuple[Block, ...], categories: int) -> None:
    for block in blocks:
        width = block.heads.weights.shape[1]
        expected = len(block.ngrams.terms) if block.ngrams else DIMENSIONS[block.name]
        if block.heads.weights.shape[0] != categories + 1 or width != expected:
            raise ValueError(f"block {block.name!r} does not match its categories or features")
