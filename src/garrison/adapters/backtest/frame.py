"""Events as one Polars frame in replay order: typed attribute columns, keys, and odd values.

Replay order is `occurred_at`, then input order; an id seen again is dropped (real time answers
a repeated id with its first decision and counts it once). Columns:

- `_row` (replay position), `_seq` (input position), `id`, `type`, `_us` (epoch microseconds),
  `_bucket` (`domain.signals.bucket_of`), `entity.<kind>` for every entity kind;
- `attr.<name>` for each attribute a rule reads, typed Boolean, Int64, Float64 or String (the
  most common shape; bools count as numbers when numbers are present). Values of another shape
  (lists, objects, integers past 2**53, texts in a number column) are *odd*: kept in Python in
  `EventFrame.odd` and flagged in `attr.<name>#odd`, so rules reading them evaluate those rows
  with the real-time closure;
- `enrich.<field>` for each enrichment field a rule reads, shaped the same way: computed per
  event by the enrichers given (as ingestion does), or supplied by a caller building a frame;
- `key.<ref>` (the text a velocity key or distinct value is compared by, `signal_text`) and
  `amount.<ref>` (what a SUM adds, `amount_of`) for the fields velocity specs name;
- optional inputs a caller may add: `labels.<kind>` (List of String: labels of that entity
  active at the event's time) and `score.<model>` (Float64). Missing ones read as no labels and
  no score (None), as real time reads them with no labels stored and no model registered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import polars as pl

from garrison.adapters.backtest.values import EXACT_INT
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.signals import FieldRef, bucket_of
from garrison.services.signals import Enricher
from garrison.services.velocity import amount_of, signal_text

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KINDS = tuple(EntityKind)
CHUNK = 100_000
_NUM, _STR, _BOOL = "num", "str", "bool"


def entity_column(kind: EntityKind) -> str:
    return f"entity.{kind}"


def attr_column(name: str) -> str:
    return f"attr.{name}"


def enrich_column(name: str) -> str:
    return f"enrich.{name}"


def odd_column(column: str) -> str:
    return f"{column}#odd"


def key_column(ref: FieldRef) -> str:
    return f"key.{ref}"


def amount_column(ref: FieldRef) -> str:
    return f"amount.{ref}"


@dataclass
class EventFrame:
    """The replay: `frame` in replay order; `odd` values by column, then by `_seq`."""

    frame: pl.DataFrame
    odd: dict[str, dict[int, JsonValue]] = field(default_factory=dict)
    duplicates: int = 0

    @property
    def height(self) -> int:
        return self.frame.height

    def values(self, column: str, rows: pl.Series) -> list[JsonValue]:
        """A shaped column's Python values at these rows, odd values included."""
        if column not in self.frame.columns:
            return [None] * rows.len()
        values = self.frame[column].gather(rows).to_list()
        odd = self.odd.get(column)
        if odd:
            seqs = self.frame["_seq"].gather(rows).to_list()
            values = [odd.get(seq, value) for seq, value in zip(seqs, values, strict=True)]
        return values

    def events(self, rows: pl.Series, attributes: Iterable[str]) -> list[Event]:
        """The events at these replay positions, with the given attributes (for row-wise runs)."""
        names = [n for n in attributes if attr_column(n) in self.frame.columns]
        columns = {n: self.values(attr_column(n), rows) for n in names}
        picked = self.frame.select("id", "type", "_us", *map(entity_column, KINDS))[rows]
        out: list[Event] = []
        for i, row in enumerate(picked.iter_rows(named=True)):
            attrs = {n: v[i] for n, v in columns.items() if v[i] is not None}
            entities = {k: row[entity_column(k)] for k in KINDS}
            at = EPOCH + timedelta(microseconds=row["_us"])
            present = {k: v for k, v in entities.items() if v is not None}
            out.append(Event(row["id"], row["type"], at, present, attrs))
        return out


class FrameBuilder:
    """Collects events (any order) into an `EventFrame` holding only what the rules read.

    `enrichment` keys are computed per event with the `enrichers` (as `services.signals` does).
    """

    def __init__(
        self,
        attributes: Iterable[str],
        refs: Iterable[FieldRef],
        enrichment: Iterable[str] = (),
        enrichers: Sequence[Enricher] = (),
    ) -> None:
        self._attributes = sorted(set(attributes))
        self._enrichment = frozenset(enrichment)
        self._enrichers = [(e, self._enrichment & e.provides) for e in enrichers]
        self._shaped = [attr_column(n) for n in self._attributes]
        self._shaped += [enrich_column(n) for n in sorted(self._enrichment)]
        self._refs = sorted({r for r in refs if r.source == FieldRef.ATTR})
        self._chunks: list[pl.DataFrame] = []
        self._odd: dict[str, dict[int, JsonValue]] = {c: {} for c in self._shaped}
        self._seq = 0
        self._reset()

    def _reset(self) -> None:
        self._cols: dict[str, list[JsonValue]] = {
            name: [] for name in ("_seq", "id", "type", "_us", "_bucket")
        }
        for kind in KINDS:
            self._cols[entity_column(kind)] = []
        for column in self._shaped:
            for shape in (_NUM, _STR, _BOOL):
                self._cols[f"{column}|{shape}"] = []
        for ref in self._refs:
            self._cols[key_column(ref)] = []
            self._cols[amount_column(ref)] = []

    def add(self, event: Event) -> None:
        cols, seq = self._cols, self._seq
        cols["_seq"].append(seq)
        cols["id"].append(_safe(event.id))
        cols["type"].append(event.type)
        cols["_us"].append((event.occurred_at - EPOCH) // timedelta(microseconds=1))
        cols["_bucket"].append(bucket_of(event.occurred_at))
        entities = event.entities
        for kind in KINDS:
            ident = entities.get(kind)
            cols[entity_column(kind)].append(None if ident is None else _safe(ident))
        attributes = event.attributes
        for name in self._attributes:
            self._shape(attr_column(name), attributes.get(name), seq)
        if self._enrichment:
            found = self._enrich(event)
            for name in sorted(self._enrichment):
                self._shape(enrich_column(name), found.get(name), seq)
        for ref in self._refs:
            value = attributes.get(ref.name)
            cols[key_column(ref)].append(None if value is None else _safe(signal_text(value)))
            cols[amount_column(ref)].append(None if value is None else amount_of(value))
        self._seq += 1
        if len(cols["_seq"]) >= CHUNK:
            self._flush()

    def _enrich(self, event: Event) -> dict[str, JsonValue]:
        found: dict[str, JsonValue] = {}
        for enricher, wanted in self._enrichers:
            if wanted:
                values = enricher.enrich(event)
                found.update({key: values[key] for key in sorted(wanted) if key in values})
        return found

    def _shape(self, column: str, value: JsonValue, seq: int) -> None:
        num, text, flag = None, None, None
        if isinstance(value, bool):
            flag = value
        elif isinstance(value, int | float) and not (
            isinstance(value, int) and abs(value) > EXACT_INT
        ):
            num = value
        elif isinstance(value, str) and _encodable(value):
            text = value
        elif value is not None:
            self._odd[column][seq] = value
        self._cols[f"{column}|{_NUM}"].append(num)
        self._cols[f"{column}|{_STR}"].append(text)
        self._cols[f"{column}|{_BOOL}"].append(flag)

    def _flush(self) -> None:
        if not self._cols["_seq"]:
            return
        series = []
        for name, values in self._cols.items():
            dtype = _dtype(name)
            if name.endswith(f"|{_NUM}") and any(isinstance(v, float) for v in values):
                dtype = pl.Float64()
            series.append(pl.Series(name, values, dtype=dtype, strict=False))
        self._chunks.append(pl.DataFrame(series))
        self._reset()

    def build(self) -> EventFrame:
        self._flush()
        if self._chunks:
            raw = pl.concat(self._chunks, how="vertical_relaxed")
        else:
            raw = pl.DataFrame([pl.Series(n, [], dtype=_dtype(n)) for n in self._cols])
        raw = raw.sort(["_us", "_seq"])
        unique = raw.unique(subset="id", keep="first", maintain_order=True)
        duplicates = raw.height - unique.height
        unique = unique.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))
        frame, odd = _settle(unique, self._shaped, self._odd)
        return EventFrame(frame, odd, duplicates)


def _dtype(name: str) -> pl.DataType:
    if name in ("_seq", "_us", "_bucket"):
        return pl.Int64()
    if name.startswith("amount."):
        return pl.Float64()
    if name.endswith(f"|{_BOOL}"):
        return pl.Boolean()
    if name.endswith(f"|{_NUM}"):
        return pl.Int64()
    return pl.String()


def _settle(
    frame: pl.DataFrame, columns: list[str], odd: Mapping[str, dict[int, JsonValue]]
) -> tuple[pl.DataFrame, dict[str, dict[int, JsonValue]]]:
    """One typed column per shaped value (its most common shape); other shapes become odd."""
    settled: dict[str, dict[int, JsonValue]] = {}
    for column in columns:
        parts = {shape: frame[f"{column}|{shape}"] for shape in (_NUM, _STR, _BOOL)}
        counts = {shape: s.len() - s.null_count() for shape, s in parts.items()}
        numbers = counts[_NUM] + (counts[_BOOL] if counts[_NUM] else 0)
        main = _STR if counts[_STR] > max(numbers, counts[_BOOL]) else None
        main = main or (_NUM if counts[_NUM] else _BOOL)
        if main == _NUM:
            typed = parts[_NUM].fill_null(parts[_BOOL].cast(parts[_NUM].dtype))
            others = [parts[_STR]]
        else:
            typed = parts[main]
            others = [parts[s] for s in (_NUM, _STR, _BOOL) if s != main]
        extra = dict(odd.get(column, {}))
        for other in others:
            present = other.is_not_null()
            if present.any():
                seqs = frame["_seq"].filter(present).to_list()
                extra.update(zip(seqs, other.filter(present).to_list(), strict=True))
        frame = frame.drop([f"{column}|{s}" for s in parts]).with_columns(typed.alias(column))
        if extra:
            flag = pl.col("_seq").is_in(pl.Series(list(extra), dtype=pl.Int64).implode())
            frame = frame.with_columns(flag.alias(odd_column(column)))
            settled[column] = extra
    return frame, settled


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _safe(text: str) -> str:
    """Ids and keys Polars can hold: lone surrogates (never valid UTF-8) are escaped."""
    if _encodable(text):
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")
