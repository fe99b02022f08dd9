"""Static value types: what the checker knows a rule expression may produce.

Schemas declare attribute types by name (`ValueType`); the checker works on *kinds*, the sets of
run-time shapes a value may take. A missing value (None) is always possible at run time, so kinds
only track None where it is written as a literal.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

Kinds = frozenset[str]

STR, NUM, BOOL, LIST, DICT, NONE = "str", "number", "bool", "list", "dict", "None"
ANY: Kinds = frozenset({STR, NUM, BOOL, LIST, DICT, NONE})
TEXT: Kinds = frozenset({STR})
NUMBER: Kinds = frozenset({NUM})
BOOLEAN: Kinds = frozenset({BOOL})
COLLECTION: Kinds = frozenset({STR, LIST, DICT})
ORDERED = ((NUM, NUM), (STR, STR), (LIST, LIST))


class ValueType(StrEnum):
    """A type an event schema may declare for an attribute (or an enrichment field)."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    NUMBER = "number"
    LIST = "list"
    ANY = "any"

    @property
    def kinds(self) -> Kinds:
        return _KINDS[self]

    def accepts(self, value: Any) -> bool:
        """Whether a concrete value (from an example or a test event) fits this type."""
        if value is None or self is ValueType.ANY:
            return True
        if isinstance(value, bool):
            return self is ValueType.BOOL
        if isinstance(value, int):
            return self in (ValueType.INT, ValueType.FLOAT, ValueType.NUMBER)
        if isinstance(value, float):
            return self in (ValueType.FLOAT, ValueType.NUMBER)
        return kinds_of(value) <= self.kinds


_KINDS: dict[ValueType, Kinds] = {
    ValueType.STR: TEXT,
    ValueType.INT: NUMBER,
    ValueType.FLOAT: NUMBER,
    ValueType.BOOL: BOOLEAN,
    ValueType.NUMBER: NUMBER,
    ValueType.LIST: frozenset({LIST}),
    ValueType.ANY: ANY,
}


def widen(types: Iterable[ValueType]) -> ValueType | None:
    """One type for an attribute declared by several event types (None when none declares it)."""
    found = set(types)
    if not found:
        return None
    if len(found) == 1:
        return found.pop()
    if found <= {ValueType.INT, ValueType.FLOAT, ValueType.NUMBER}:
        return ValueType.NUMBER
    return ValueType.ANY


def kinds_of(value: Any) -> Kinds:
    """The kind of a constant."""
    if value is None:
        return frozenset({NONE})
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, (list, tuple, frozenset, set)):
        return frozenset({LIST})
    if isinstance(value, dict):
        return frozenset({DICT})
    return ANY


def describe(kinds: Kinds) -> str:
    """How error messages name a set of kinds: `str`, `number or str`, `any value`."""
    if kinds >= ANY - {NONE}:
        return "any value"
    return " or ".join(sorted(kinds))
