"""Labelled tables: read a CSV (every column as text), the 0/1 label and the time column.

Labels read as positive: 1, true, yes, y, t, positive; negative: 0, false, no, n, f, negative
(any case; numbers such as 1.0 too). Rows with an empty label are left out. Times are ISO 8601
text or Unix seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue

_POSITIVE = frozenset({"1", "true", "yes", "y", "t", "positive"})
_NEGATIVE = frozenset({"0", "false", "no", "n", "f", "negative"})


def read_table(path: Path) -> pl.DataFrame:
    """Every column as text; a file that is not CSV is an InvalidInput naming it."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="data")
    try:
        frame = pl.read_csv(path, infer_schema=False, null_values=[""])
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise InvalidInput(f"{path} is not a readable CSV file: {first}", field="data") from None
    if frame.height == 0:
        raise InvalidInput(f"{path} has no rows", field="data")
    return frame


def table_of(rows: Sequence[Mapping[str, JsonValue]]) -> pl.DataFrame:
    """Feature mappings (as scorers see them) as a text table like `read_table`'s."""
    names = sorted({name for row in rows for name in row})
    return pl.DataFrame(
        {name: [_text(row.get(name)) for row in rows] for name in names},
        schema=dict.fromkeys(names, pl.String),
    )


def _text(value: JsonValue) -> str | None:
    if value is None or isinstance(value, list | dict):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A table's rows that have a label, with the label as 0/1."""

    frame: pl.DataFrame
    labels: np.ndarray

    @property
    def positives(self) -> int:
        return int(self.labels.sum())


def labelled(frame: pl.DataFrame, label: str) -> Labelled:
    if label not in frame.columns:
        raise InvalidInput(
            f"label column {label!r} is not in the table (columns: {', '.join(frame.columns)})",
            field="label",
        )
    text = frame[label].cast(pl.String).str.strip_chars().str.to_lowercase()
    kept = frame.filter(text.is_not_null() & (text != ""))
    values = text.filter(text.is_not_null() & (text != "")).to_list()
    labels = np.array([_label_value(v) for v in values], dtype=np.float64)
    if labels.size == 0:
        raise InvalidInput(f"label column {label!r} is empty", field="label")
    return Labelled(kept, labels)


def _label_value(text: str) -> float:
    if text in _POSITIVE:
        return 1.0
    if text in _NEGATIVE:
        return 0.0
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if number in (0.0, 1.0):
        return number
    raise InvalidInput(f"label value {text!r} is not 0/1, true/false or yes/no", field="label")


def times_of(frame: pl.DataFrame, column: str) -> np.ndarray:
    """The time column as Unix seconds (float64); a value that is not a time is an error."""
    if column not in frame.columns:
        raise InvalidInput(f"time column {column!r} is not in the table", field="time_column")
    text = frame[column].cast(pl.String).str.strip_chars()
    numbers = text.cast(pl.Float64, strict=False)
    if numbers.null_count() == 0:
        return numbers.to_numpy()
    parsed = text.str.to_datetime(strict=False, time_unit="us", time_zone="UTC")
    if parsed.null_count() > 0:
        bad = text.filter(parsed.is_null()).head(1).to_list()
        raise InvalidInput(
            f"time column {column!r} has values that are not times, e.g. {bad[0]!r}",
            field="time_column",
        )
    return parsed.dt.epoch("us").cast(pl.Float64).to_numpy() / 1e6
