"""The Polars backtest engine: rules compiled to columns, velocity by sorted windows.

`PolarsBacktestEngine.run` loads events into an `EventFrame` and replays it; `run_frame` takes a
frame built directly (benchmarks build ten million rows as columns). Each rule is one boolean
column; rules with no exact column form, and the rows a column form is unsure about, are
evaluated with the real-time closure, so every hit is the one real time would have produced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from garrison.adapters.backtest.columns import FrameColumns, attributes_read, velocity_column
from garrison.adapters.backtest.expressions import rule_expression
from garrison.adapters.backtest.frame import EventFrame, FrameBuilder
from garrison.adapters.backtest.rowwise import RowEvaluator
from garrison.adapters.backtest.summary import summarize
from garrison.adapters.backtest.values import NotVectorized
from garrison.adapters.backtest.velocity import velocity_columns
from garrison.domain.events import Event
from garrison.domain.rules import CompiledRule, Release
from garrison.domain.signals import ListMatcher, VelocitySpec
from garrison.services.backtest import EngineOutput
from garrison.services.signals import Enricher


@dataclass(frozen=True, slots=True)
class Hits:
    """Each rule's hit column (aligned with the frame) and how many rows ran one by one."""

    fired: tuple[pl.Series, ...]
    row_wise: tuple[int, ...]


class PolarsBacktestEngine:
    """Lists and enrichers are those real time would use (`services.signals.Signals`)."""

    def __init__(
        self,
        lists: Mapping[str, ListMatcher] | None = None,
        enrichers: Sequence[Enricher] = (),
    ) -> None:
        self._lists = dict(lists or {})
        self._enrichers = tuple(enrichers)

    def load(self, events: Iterable[Event], rules: Sequence[CompiledRule]) -> EventFrame:
        """Events into a frame holding what `rules` read."""
        specs = {spec for compiled in rules for spec in compiled.needs.velocity}
        refs = {r for s in specs for r in (s.key, s.of) if r is not None}
        enrichment = {key for compiled in rules for key in compiled.needs.enrichment}
        builder = FrameBuilder(attributes_read(rules), refs, enrichment, self._enrichers)
        for event in events:
            builder.add(event)
        return builder.build()

    def run(
        self, events: Iterable[Event], candidate: Release, live: Release | None
    ) -> EngineOutput:
        rules = [*candidate.rules, *(live.rules if live else ())]
        return self.run_frame(self.load(events, rules), candidate, live)

    def run_frame(
        self, events: EventFrame, candidate: Release, live: Release | None
    ) -> EngineOutput:
        ours, theirs = list(candidate.rules), list(live.rules if live else ())
        hits = self.hits(events, [*ours, *theirs])
        return summarize(events, ours, theirs, hits.fired, hits.row_wise)

    def hits(self, events: EventFrame, rules: Sequence[CompiledRule]) -> Hits:
        """Whether each rule fires on each event of the frame, in replay order."""
        specs = sorted({s for c in rules for s in c.needs.velocity}, key=VelocitySpec.label)
        index = {spec: i for i, spec in enumerate(specs)}
        computed = velocity_columns(events.frame, specs)
        frame = events.frame.with_columns(
            [computed[spec].alias(velocity_column(i)) for spec, i in index.items()]
        )
        attached = EventFrame(frame, events.odd, events.duplicates)
        columns = FrameColumns(attached, index, self._lists)
        rows = RowEvaluator(attached, index, self._lists, attributes_read(rules))
        groups: dict[frozenset[str] | None, list[int]] = {}
        for position, compiled in enumerate(rules):
            groups.setdefault(compiled.event_types, []).append(position)
        fired: list[pl.Series] = [pl.Series(dtype=pl.Boolean)] * len(rules)
        row_wise = [0] * len(rules)
        for guard, positions in groups.items():
            chosen = [rules[p] for p in positions]
            results = _group(frame, guard, columns, rows, chosen)
            for p, (column, count) in zip(positions, results, strict=True):
                fired[p], row_wise[p] = column, count
        return Hits(tuple(fired), tuple(row_wise))


Picked = tuple[pl.Series, pl.Series | None]


def _group(
    frame: pl.DataFrame,
    guard: frozenset[str] | None,
    columns: FrameColumns,
    rows: RowEvaluator,
    rules: Sequence[CompiledRule],
) -> list[tuple[pl.Series, int]]:
    """Each rule's column over the frame, evaluated only on the rows of the event types it can
    fire for (`CompiledRule.event_types`, the release's type index in real time): column forms
    in one pass, rules without one row by row."""
    exprs: dict[int, list[pl.Expr]] = {}
    for i, compiled in enumerate(rules):
        try:
            fires, unsure = rule_expression(compiled, columns)
        except NotVectorized:
            continue
        exprs[i] = [fires.alias(f"f{i}")] + ([unsure.alias(f"u{i}")] if unsure is not None else [])
    lazy = frame.lazy()
    if guard is not None:
        lazy = lazy.filter(pl.col("type").is_in(sorted(guard)))
    where = lazy.select("_row").collect()["_row"]
    picked = _select(lazy, exprs)
    out = []
    for i, compiled in enumerate(rules):
        if i in picked:
            column, count = _settle(where, rows, compiled, *picked[i])
        else:
            column, count = rows.fires(compiled, where), where.len()
        out.append((column if guard is None else _spread(column, where, frame.height), count))
    return out


def _spread(column: pl.Series, where: pl.Series, height: int) -> pl.Series:
    """A part's column back to the whole frame's rows (False elsewhere)."""
    full = pl.repeat(False, height, dtype=pl.Boolean, eager=True)
    return full.scatter(where, column) if where.len() else full


def _select(lazy: pl.LazyFrame, exprs: dict[int, list[pl.Expr]]) -> dict[int, Picked]:
    """Evaluate the column forms together; one that Polars refuses is left to the row path."""
    if not exprs:
        return {}
    try:
        together = lazy.select([e for pair in exprs.values() for e in pair]).collect()
    except pl.exceptions.PolarsError:
        if len(exprs) == 1:
            return {}
        out: dict[int, Picked] = {}
        for i, pair in exprs.items():
            out.update(_select(lazy, {i: pair}))
        return out
    names = set(together.columns)
    return {i: (together[f"f{i}"], together[f"u{i}"] if f"u{i}" in names else None) for i in exprs}


def _settle(
    where: pl.Series,
    rows: RowEvaluator,
    compiled: CompiledRule,
    fires: pl.Series,
    unsure: pl.Series | None,
) -> tuple[pl.Series, int]:
    height = where.len()
    if fires.len() != height:
        fires = pl.repeat(fires[0] if fires.len() else False, height, dtype=pl.Boolean, eager=True)
    if unsure is None or unsure.len() != height or height == 0:
        doubtful = pl.Series([], dtype=pl.Int64)
        if unsure is not None and height and unsure.len() == 1 and unsure[0]:
            doubtful = pl.int_range(0, height, eager=True, dtype=pl.Int64)
    else:
        doubtful = unsure.arg_true().cast(pl.Int64)
    if doubtful.len() == 0:
        return fires, 0
    return fires.scatter(doubtful, rows.fires(compiled, where.gather(doubtful))), doubtful.len()
