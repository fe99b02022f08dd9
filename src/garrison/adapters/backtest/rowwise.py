"""Rows evaluated one at a time with the real-time closure (`CompiledRule.fires`).

Used for rules with no column form and for the rows a column form is unsure about. The context
is what real time would have fetched: the event (with the attributes rules read), the velocity
values computed for the frame (as floats, like the counters' reads), the list matchers, and the
labels, scores and enrichment input columns when the frame has them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from garrison.adapters.backtest.columns import labels_column, score_column, velocity_column
from garrison.adapters.backtest.frame import EventFrame, enrich_column
from garrison.domain.entities import EntityKind
from garrison.domain.rules import CompiledRule, EvalContext
from garrison.domain.signals import ListMatcher, VelocitySpec


class RowEvaluator:
    """Evaluates rules on chosen rows of one frame (velocity columns already attached)."""

    def __init__(
        self,
        events: EventFrame,
        velocity: Mapping[VelocitySpec, int],
        lists: Mapping[str, ListMatcher],
        attributes: Iterable[str],
    ) -> None:
        self.events = events
        self.velocity = velocity
        self.lists = lists
        self.attributes = sorted(attributes)

    def fires(self, compiled: CompiledRule, rows: pl.Series) -> pl.Series:
        """Whether the rule fires on each of `rows` (replay positions, all of a type the rule
        can fire for), in that order."""
        if rows.len() == 0:
            return pl.Series([], dtype=pl.Boolean)
        # the rows of a typed rule are its types' only: real time calls `typed` for them
        fires = compiled.typed if compiled.event_types is not None else compiled.fires
        results = [bool(fires(ctx)) for ctx in self.contexts(compiled, rows)]
        return pl.Series(results, dtype=pl.Boolean)

    def contexts(self, compiled: CompiledRule, rows: pl.Series) -> list[EvalContext]:
        needs = compiled.needs
        frame = self.events.frame
        events = self.events.events(rows, self.attributes)
        specs = [s for s in needs.velocity if s in self.velocity]
        velocity = {s: _column(frame, velocity_column(self.velocity[s]), rows) for s in specs}
        labels = {k: _column(frame, labels_column(k), rows) for k in needs.labels}
        scores = {m: _column(frame, score_column(m), rows) for m in needs.models}
        enrichment = {f: self.events.values(enrich_column(f), rows) for f in needs.enrichment}
        lists = {name: self.lists[name] for name in needs.lists if name in self.lists}
        contexts = []
        for i, event in enumerate(events):
            counts = {s: float(v[i]) for s, v in velocity.items() if v[i] is not None}
            contexts.append(
                EvalContext(
                    event,
                    velocity=counts,
                    lists=lists,
                    labels=_labels(labels, i),
                    scores={m: v[i] for m, v in scores.items() if v[i] is not None},
                    enrichment={f: v[i] for f, v in enrichment.items() if v[i] is not None},
                )
            )
        return contexts


def _column(frame: pl.DataFrame, name: str, rows: pl.Series) -> list[Any]:
    if name not in frame.columns:
        return [None] * rows.len()
    return frame[name].gather(rows).to_list()


def _labels(columns: Mapping[EntityKind, list[Any]], i: int) -> dict[EntityKind, frozenset[str]]:
    return {kind: frozenset(values[i]) for kind, values in columns.items() if values[i]}
