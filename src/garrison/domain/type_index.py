"""Rules indexed by the event types they can fire for, built once per release (or lineup).

Most rules start with a type condition (`type == "payment.attempt" and ...`), so an event only
needs the rules written for its type and the rules that name no type. The index keeps release
order within each type, so hits come out in the same order as a full pass would give them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Value = TypeVar("Value")
Summary = TypeVar("Summary")


@dataclass(frozen=True, slots=True)
class TypeIndex(Generic[Value]):
    """A value per event type; `other` for a type the index does not name."""

    by_type: Mapping[str, Value]
    other: Value

    def get(self, event_type: str) -> Value:
        return self.by_type.get(event_type, self.other)

    def summarised(self, summary: Callable[[Value], Summary]) -> TypeIndex[Summary]:
        """One value per event type worked out from this one's (the signals its rules read,
        say), once rather than for every event."""
        return TypeIndex(
            {name: summary(v) for name, v in self.by_type.items()}, summary(self.other)
        )


def index_by_type(
    items: Iterable[Item], types_of: Callable[[Item], frozenset[str] | None]
) -> TypeIndex[tuple[Item, ...]]:
    """The items that can fire for each event type, in their original order; `types_of` gives
    an item's event types (None: any type; an empty set: none, an item that never fires)."""
    listed = [(item, types_of(item)) for item in items]
    named = sorted({name for _, types in listed if types for name in types})
    by_type = {
        name: tuple(item for item, types in listed if types is None or name in types)
        for name in named
    }
    other = tuple(item for item, types in listed if types is None)
    return TypeIndex(by_type, other)
