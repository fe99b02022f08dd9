"""What a rule reads, as columns of an `EventFrame` (the `Columns` the expression walk uses)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

import polars as pl

from garrison.adapters.backtest.frame import (
    EventFrame,
    attr_column,
    enrich_column,
    entity_column,
    odd_column,
)
from garrison.adapters.backtest.values import Kind, NotVectorized, Value
from garrison.domain.entities import EntityKind
from garrison.domain.rules import CompiledRule
from garrison.domain.signals import FieldRef, ListMatcher, VelocitySpec

_KINDS: dict[pl.DataType, Kind] = {
    pl.Boolean(): Kind.BOOL,
    pl.Int64(): Kind.INT,
    pl.Float64(): Kind.FLOAT,
    pl.String(): Kind.STR,
    pl.Null(): Kind.NULL,
}


def labels_column(kind: EntityKind) -> str:
    return f"labels.{kind}"


def score_column(model: str) -> str:
    return f"score.{model}"


def velocity_column(index: int) -> str:
    return f"_velocity{index}"


def attributes_read(rules: Iterable[CompiledRule]) -> set[str]:
    """Every attribute the rules read: `attr.x`, `attr["x"]` and velocity keys and fields."""
    names: set[str] = set()
    for compiled in rules:
        for node in ast.walk(ast.parse(f"(\n{compiled.rule.when}\n)", mode="eval")):
            if isinstance(node, ast.Attribute) and _is_attr(node.value):
                names.add(node.attr)
            if isinstance(node, ast.Subscript) and _is_attr(node.value):
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(key.value)
        for spec in compiled.needs.velocity:
            names.update(r.name for r in (spec.key, spec.of) if r and r.source == FieldRef.ATTR)
    return names


def _is_attr(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "attr"


class FrameColumns:
    """Columns of one frame, with the velocity columns attached as `_velocity<i>`."""

    def __init__(
        self,
        events: EventFrame,
        velocity: Mapping[VelocitySpec, int],
        lists: Mapping[str, ListMatcher],
    ) -> None:
        self.events = events
        self.schema = events.frame.schema
        self._velocity = velocity
        self._lists = lists

    def _typed(self, name: str) -> Value:
        """A column as a value; rows holding odd values (see `frame`) are unsure."""
        if name not in self.schema:
            return Value(pl.lit(None, dtype=pl.Null()), Kind.NULL)
        kind = _KINDS.get(self.schema[name])
        if kind is None:
            raise NotVectorized(f"column {name} of type {self.schema[name]}")
        odd = odd_column(name)
        return Value(pl.col(name), kind, pl.col(odd) if odd in self.schema else None)

    def event_type(self) -> Value:
        return Value(pl.col("type"), Kind.STR)

    def attr(self, name: str) -> Value:
        return self._typed(attr_column(name))

    def entity(self, kind: EntityKind) -> Value:
        return self._typed(entity_column(kind))

    def velocity(self, spec: VelocitySpec) -> Value:
        index = self._velocity.get(spec)
        if index is None:
            raise NotVectorized(f"no column for {spec.label()}")
        return self._typed(velocity_column(index))

    def in_list(self, name: str, value: Value) -> Value:
        if value.kind is Kind.NULL:
            return Value(pl.lit(False), Kind.BOOL, value.unsure, boolean=True)
        if value.kind is not Kind.STR:
            raise NotVectorized("in_list() of a value that is not text")
        matcher = self._lists.get(name)
        found: list[str] = []
        if matcher is not None:
            distinct = self.events.frame.select(value.expr.unique().alias("v")).to_series()
            found = [v for v in distinct.to_list() if v is not None and matcher.contains(v)]
        hit = value.expr.is_in(pl.Series(found, dtype=pl.String).implode()).fill_null(False)
        return Value(hit, Kind.BOOL, value.unsure, boolean=True)

    def has_label(self, kind: EntityKind, label: str) -> Value:
        column = labels_column(kind)
        if column not in self.schema:
            return Value(pl.lit(False), Kind.BOOL, boolean=True)
        found = pl.col(column).list.contains(pl.lit(label, dtype=pl.String)).fill_null(False)
        return Value(found, Kind.BOOL, boolean=True)

    def score(self, model: str) -> Value:
        return self._typed(score_column(model))

    def enrich(self, field: str) -> Value:
        return self._typed(enrich_column(field))
