"""Feature columns: which columns a model reads, how each is encoded, and the encoding itself.

Every column of a table is read as text first, then typed: a column whose every value parses as
a number is numeric, any other is categorical (its most frequent values get codes, the rest and
unseen values read as missing). Columns that cannot help are dropped at training: constant ones,
and categorical ones that look like identifiers (mostly unique values).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import polars as pl

from garrison.domain.events import JsonValue

MAX_CATEGORIES = 200
ID_LIKE_SHARE = 0.5
"""A categorical column with more distinct values than this share of rows is an identifier."""
ID_LIKE_MIN = 50


class FeatureKind(StrEnum):
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    kind: FeatureKind
    categories: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "kind": self.kind.value}
        if self.kind is FeatureKind.CATEGORICAL:
            out["categories"] = list(self.categories)
        return out


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    features: tuple[Feature, ...]
    dropped: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.features)

    @property
    def categorical_indexes(self) -> list[int]:
        return [i for i, f in enumerate(self.features) if f.kind is FeatureKind.CATEGORICAL]

    def matrix(self, frame: pl.DataFrame) -> np.ndarray:
        """The encoded table (float64, NaN for missing); a column it lacks is all missing."""
        out = np.full((frame.height, len(self.features)), np.nan, dtype=np.float64)
        for index, feature in enumerate(self.features):
            if feature.name in frame.columns:
                out[:, index] = _encode_column(frame[feature.name], feature)
        return out

    def encoder(self) -> RowEncoder:
        return RowEncoder(self)


class RowEncoder:
    """Encodes one mapping of feature values into a reused row (the per-event hot path)."""

    def __init__(self, spec: FeatureSpec) -> None:
        self.row = np.full(len(spec.features), np.nan, dtype=np.float64)
        self._numeric = [
            (i, f.name) for i, f in enumerate(spec.features) if f.kind is FeatureKind.NUMERIC
        ]
        self._categorical = [
            (i, f.name, {c: float(j) for j, c in enumerate(f.categories)})
            for i, f in enumerate(spec.features)
            if f.kind is FeatureKind.CATEGORICAL
        ]

    def encode(self, values: Mapping[str, JsonValue]) -> np.ndarray:
        row, get = self.row, values.get
        for index, name in self._numeric:
            value = get(name)
            row[index] = value if type(value) is float or type(value) is int else _numeric(value)
        for index, name, codes in self._categorical:
            value = get(name)
            row[index] = codes.get(value, math.nan) if type(value) is str else _code(value, codes)
        return row


def _numeric(value: JsonValue) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return math.nan
    return math.nan


def _code(value: JsonValue, codes: dict[str, float]) -> float:
    if value is None:
        return math.nan
    text = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return codes.get(text, math.nan)


def _encode_column(column: pl.Series, feature: Feature) -> np.ndarray:
    text = column.cast(pl.String).str.strip_chars()
    if feature.kind is FeatureKind.NUMERIC:
        return text.cast(pl.Float64, strict=False).fill_null(np.nan).to_numpy()
    codes = {c: float(j) for j, c in enumerate(feature.categories)}
    coded = text.replace_strict(codes, default=None, return_dtype=pl.Float64)
    return coded.fill_null(np.nan).to_numpy()


def infer_spec(frame: pl.DataFrame, columns: Sequence[str]) -> FeatureSpec:
    """Type each of `columns` from its values (see the module docstring)."""
    features: list[Feature] = []
    dropped: list[str] = []
    for name in columns:
        feature = _infer(frame[name].cast(pl.String), name, frame.height)
        if feature is None:
            dropped.append(name)
        else:
            features.append(feature)
    return FeatureSpec(tuple(features), tuple(dropped))


def _infer(text: pl.Series, name: str, rows: int) -> Feature | None:
    present = text.drop_nulls().str.strip_chars()
    present = present.filter(present != "")
    distinct = present.n_unique()
    if distinct <= 1:
        return None
    numbers = present.cast(pl.Float64, strict=False)
    if numbers.null_count() == 0:
        return Feature(name, FeatureKind.NUMERIC)
    if distinct > max(ID_LIKE_MIN, ID_LIKE_SHARE * rows):
        return None
    counts = present.value_counts(sort=True)
    top = counts.head(MAX_CATEGORIES)
    categories = tuple(str(v) for v in top.to_series(0).to_list())
    return Feature(name, FeatureKind.CATEGORICAL, categories)


def spec_from_json(items: Sequence[Mapping[str, object]]) -> FeatureSpec:
    features = []
    for item in items:
        raw = item.get("categories", [])
        categories = tuple(str(c) for c in raw) if isinstance(raw, list) else ()
        features.append(Feature(str(item["name"]), FeatureKind(str(item["kind"])), categories))
    return FeatureSpec(tuple(features))
