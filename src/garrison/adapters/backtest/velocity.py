"""Velocity aggregates as columns, with the semantics of `services.signals` (the one definition).

For an event with key value k in bucket b, a spec's value covers the events that feed it (its
type, the key, the measured field), share k, lie in buckets [b - W/60 + 1, b] and come at or
before the event in replay order. Rows are sorted once per key field by (key, replay position):
there, each window is a run ending at the row, and its first row is found by a binary search of
(key, bucket) (`search_sorted` of sorted queries, so it walks memory in order).

- COUNT: a running count of feeding rows minus its value before the window.
- DISTINCT: each feeding row counts for its value from its position until the next row with the
  same value, or until its bucket leaves the window; a running sum of starts minus ends.
- SUM: integers (whole amounts summing within 2**53) by running sums; other amounts folded in
  the order real time adds them (per-bucket running totals, then bucket totals oldest first, then
  the event's own amount), so float rounding matches the in-memory store bit for bit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import polars as pl

from garrison.adapters.backtest.frame import (
    amount_column,
    attr_column,
    entity_column,
    key_column,
)
from garrison.adapters.backtest.values import EXACT_INT
from garrison.domain.entities import EntityKind
from garrison.domain.signals import BUCKET_SECONDS, Aggregate, FieldRef, VelocitySpec
from garrison.services.velocity import MAX_VALUE_TEXT, signal_text

SHIFT = 2**32


def velocity_columns(
    frame: pl.DataFrame, specs: Iterable[VelocitySpec]
) -> dict[VelocitySpec, pl.Series]:
    """Each spec's value per row of `frame` (replay order); null where the row lacks the key."""
    by_key: dict[FieldRef, list[VelocitySpec]] = {}
    for spec in sorted(set(specs), key=VelocitySpec.label):
        by_key.setdefault(spec.key, []).append(spec)
    out: dict[VelocitySpec, pl.Series] = {}
    for key, group in by_key.items():
        index = KeyIndex(frame, key)
        for spec in group:
            out[spec] = index.spread(_aggregate(index, spec))
    return out


def key_text(frame: pl.DataFrame, ref: FieldRef) -> pl.Series:
    """The text a key (or distinct value) is compared by in real time (`signal_text`)."""
    if key_column(ref) in frame.columns:
        return frame[key_column(ref)]
    if ref.source == FieldRef.ENTITY:
        column = frame[entity_column(EntityKind(ref.name))]
    else:
        column = frame[attr_column(ref.name)]
        if column.dtype == pl.Boolean:
            column = column.replace_strict({True: "True", False: "False"}, return_dtype=pl.String)
        elif column.dtype != pl.String and column.dtype != pl.Int64:
            raise ValueError(f"the frame has no {key_column(ref)} column for {ref}")
        column = column.cast(pl.String)
    longest = column.str.len_bytes().max()  # at least as many bytes as characters
    if isinstance(longest, int) and longest > MAX_VALUE_TEXT:
        column = column.map_elements(signal_text, return_dtype=pl.String)
    return column


def amounts(frame: pl.DataFrame, ref: FieldRef) -> pl.Series:
    """What a SUM adds per row: numbers as floats, anything else null (adds nothing)."""
    if amount_column(ref) in frame.columns:
        return frame[amount_column(ref)]
    column = frame[attr_column(ref.name)] if ref.source == FieldRef.ATTR else None
    if column is None or column.dtype not in (pl.Int64, pl.Float64):
        return pl.Series(amount_column(ref), [None] * frame.height, dtype=pl.Float64)
    return column.cast(pl.Float64)


class KeyIndex:
    """The rows holding one key field, sorted by (key value, replay position)."""

    def __init__(self, frame: pl.DataFrame, key: FieldRef) -> None:
        self.frame = frame
        texts = key_text(frame, key)
        present = texts.is_not_null()
        rows = frame["_row"].filter(present)
        codes = texts.filter(present).cast(pl.Categorical).to_physical().cast(pl.Int64)
        buckets = frame["_bucket"].cast(pl.Int64).filter(present)
        low = buckets.min() if buckets.len() else 0
        position = pl.int_range(0, rows.len(), eager=True, dtype=pl.Int64)
        order = (codes * SHIFT + position).arg_sort()
        self.rows = rows.gather(order)
        self.codes = codes.gather(order)
        self.buckets = (buckets - low).gather(order)
        self.cells = self.codes * SHIFT + self.buckets
        self._starts: dict[int, pl.Series] = {}

    @property
    def size(self) -> int:
        return self.rows.len()

    def column(self, series: pl.Series) -> pl.Series:
        """A frame column in this index's order."""
        return series.gather(self.rows)

    def window_start(self, span: int) -> pl.Series:
        """For each row, the index of the first row of its window (same key, bucket in range)."""
        if span not in self._starts:
            queries = self.cells - (span - 1)
            self._starts[span] = self.cells.search_sorted(queries, side="left")
        return self._starts[span]

    def spread(self, values: pl.Series) -> pl.Series:
        """Values in index order back to frame rows, null for rows without the key."""
        blank = pl.repeat(None, self.frame.height, dtype=values.dtype, eager=True)
        if not self.size:
            return blank
        return blank.scatter(self.rows, values)


def _aggregate(index: KeyIndex, spec: VelocitySpec) -> pl.Series:
    span = max(1, -(-spec.window_seconds // BUCKET_SECONDS))
    feeds = _feeds(index, spec)
    if spec.aggregate is Aggregate.COUNT:
        return _window_total(index, feeds.cast(pl.Int64), span)
    if spec.aggregate is Aggregate.DISTINCT:
        assert spec.of is not None
        values = index.column(key_text(index.frame, spec.of))
        return _distinct(index, feeds & values.is_not_null(), values, span)
    assert spec.of is not None
    amount = index.column(amounts(index.frame, spec.of))
    added = pl.DataFrame({"amount": amount, "feeds": feeds}).select(
        pl.when("feeds").then(pl.col("amount").fill_null(0.0)).otherwise(0.0)
    )
    return _sum(index, added.to_series(), span)


def _feeds(index: KeyIndex, spec: VelocitySpec) -> pl.Series:
    """Rows (in index order) that feed the spec: its type, and the measured field present."""
    feeds = pl.repeat(True, index.size, dtype=pl.Boolean, eager=True)
    if spec.event_type is not None:
        feeds = index.column(index.frame["type"]) == spec.event_type
    if spec.of is not None and spec.aggregate is not Aggregate.SUM:
        feeds = feeds & index.column(key_text(index.frame, spec.of)).is_not_null()
    return feeds


def _window_total(index: KeyIndex, added: pl.Series, span: int) -> pl.Series:
    """Running total of `added` over each row's window (exact for integers)."""
    running = added.cum_sum()
    before = pl.concat([pl.Series([0], dtype=running.dtype), running])
    return running - before.gather(index.window_start(span))


def _distinct(index: KeyIndex, feeds: pl.Series, values: pl.Series, span: int) -> pl.Series:
    size = index.size
    positions = feeds.arg_true().cast(pl.Int64)
    codes = values.gather(positions).cast(pl.Categorical).to_physical().cast(pl.Int64)
    fed = pl.DataFrame(
        {
            "k": positions,
            "key": index.codes.gather(positions),
            "value": codes,
            "leaves": index.cells.search_sorted(
                index.cells.gather(positions) + span, side="left"
            ).cast(pl.Int64),
        }
    )
    same = (pl.col("key") == pl.col("key").shift(-1)) & (
        pl.col("value") == pl.col("value").shift(-1)
    )
    ends = (
        fed.sort(["key", "value", "k"])
        .select(end=pl.min_horizontal(pl.when(same).then(pl.col("k").shift(-1)), "leaves"))
        .to_series()
    )
    counted = ends.value_counts()
    histogram = pl.zeros(size + 1, dtype=pl.Int64, eager=True).scatter(
        counted["end"], counted["count"].cast(pl.Int64)
    )
    started = feeds.cast(pl.Int64).cum_sum()
    return started - histogram.cum_sum().head(size)


def _sum(index: KeyIndex, added: pl.Series, span: int) -> pl.Series:
    whole = bool(((added.floor() == added) & added.is_finite()).all())
    if whole and float(added.abs().sum()) < EXACT_INT / 2:
        return _window_total(index, added, span)
    cell = index.cells.rle_id().cast(pl.Int64)
    running = _running_in_runs(cell, added)
    table = pl.DataFrame({"cell": cell, "running": running})
    same = pl.col("cell") == pl.col("cell").shift(1)
    earlier = table.select(pl.when(same).then(pl.col("running").shift(1)).otherwise(0.0))
    last = table.filter((pl.col("cell") != pl.col("cell").shift(-1)).fill_null(True))
    keys = index.cells.unique(maintain_order=True)
    folded = _fold_windows(keys, last["running"], span)
    return (folded.gather(cell) + earlier.to_series()) + added


def _running_in_runs(runs: pl.Series, added: pl.Series) -> pl.Series:
    """Running totals of `added` within each run of equal `runs` values, added one at a time
    from the run's start (as a bucket's total grows in real time): step k adds the k-th value of
    every run at once, so the steps are as many as the longest run."""
    size = runs.len()
    positions = pl.int_range(0, size, eager=True, dtype=pl.Int64)
    starts = (runs != runs.shift(1)).fill_null(True)
    first = pl.select(pl.when(starts).then(positions).forward_fill()).to_series()
    rank = positions - first
    later = (rank > 0).arg_true()
    running = added.clone()
    if later.len() == 0:
        return running
    order = later.gather(rank.gather(later).arg_sort())
    steps = rank.gather(order)
    longest = steps.max()
    assert isinstance(longest, int)
    wanted = pl.int_range(1, longest + 2, eager=True, dtype=pl.Int64)
    edges = steps.search_sorted(wanted, "left").to_list()
    for low, high in itertools.pairwise(edges):
        rows = order.slice(low, high - low)
        running = running.scatter(rows, running.gather(rows - 1) + added.gather(rows))
    return running


def _fold_windows(keys: pl.Series, totals: pl.Series, span: int) -> pl.Series:
    """For each cell (key, bucket), 0 + the totals of the same key's earlier buckets in the
    window, added oldest first (as real time sums bucket totals). Step k adds every cell's k-th
    earlier bucket at once, so the steps are as many as the most buckets a window holds."""
    count = keys.len()
    first = keys.search_sorted(keys - (span - 1), side="left").cast(pl.Int64)
    sizes = pl.int_range(0, count, eager=True, dtype=pl.Int64) - first
    order = sizes.arg_sort(descending=True)
    starts = first.gather(order)
    sizes_desc = sizes.gather(order)
    largest = int(sizes_desc[0]) if count else 0
    active = (-sizes_desc).search_sorted(
        -pl.int_range(0, largest, eager=True, dtype=pl.Int64), side="left"
    )
    folded = pl.zeros(count, dtype=pl.Float64, eager=True)
    for k, cells in enumerate(active.to_list()):
        head = folded.head(cells) + totals.gather(starts.head(cells) + k)
        folded = head.append(folded.slice(cells))
    return pl.zeros(count, dtype=pl.Float64, eager=True).scatter(order, folded)
