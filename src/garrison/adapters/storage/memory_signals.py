"""In-memory storage of signals: SUM and DISTINCT buckets, value lists and entity labels.

`SignalState` is one field of the memory store's state; copying it copies its containers (the
values are frozen), so a unit of work's uncommitted changes stay invisible, as for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Self, TypeVar

from garrison.domain.entities import EntityRef
from garrison.domain.entity_labels import EntityLabel
from garrison.domain.lists import ListSummary, ValueList
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class SignalState:
    sums: dict[tuple[str, int], float] = field(default_factory=dict)
    values: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict)
    lists: dict[str, ValueList] = field(default_factory=dict)
    list_version: int = 0
    entity_labels: dict[tuple[EntityRef, str], EntityLabel] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            value = getattr(self, f.name)
            setattr(copied, f.name, value.copy() if isinstance(value, dict) else value)
        return copied


StateOf = Callable[[], SignalState]
V = TypeVar("V")


def add_amounts(state: SignalState, items: Sequence[tuple[str, int, float]]) -> None:
    for key, bucket, amount in items:
        state.sums[(key, bucket)] = state.sums.get((key, bucket), 0.0) + amount


def _in_window(table: dict[tuple[str, int], V], key: str, first: int, last: int) -> list[V]:
    """The values stored for `key` in buckets first..last (walking whichever is shorter)."""
    if last - first + 1 > len(table):
        return [v for (k, b), v in table.items() if k == key and first <= b <= last]
    return [table[(key, b)] for b in range(first, last + 1) if (key, b) in table]


def totals(state: SignalState, queries: Sequence[tuple[str, int, int]]) -> list[float]:
    return [float(sum(_in_window(state.sums, *query))) for query in queries]


def mark_values(state: SignalState, items: Sequence[tuple[str, int, str]]) -> None:
    for key, bucket, value in items:
        state.values[(key, bucket)] = state.values.get((key, bucket), frozenset()) | {value}


def distinct_counts(
    state: SignalState, queries: Sequence[tuple[str, int, int, str | None]]
) -> list[int]:
    found: list[int] = []
    for key, first, last, also in queries:
        seen: set[str] = {also} if also is not None else set()
        seen.update(*_in_window(state.values, key, first, last))
        found.append(len(seen))
    return found


class MemoryLists:
    def __init__(self, state_of: StateOf) -> None:
        self._state = state_of

    def get(self, name: str) -> ValueList | None:
        return self._state().lists.get(name)

    def summaries(self) -> list[ListSummary]:
        return [v.summary() for _, v in sorted(self._state().lists.items())]

    def versions(self, names: Sequence[str]) -> dict[str, int]:
        lists = self._state().lists
        return {name: lists[name].version for name in names if name in lists}

    def next_version(self) -> int:
        state = self._state()
        state.list_version += 1
        return state.list_version

    def add(self, value_list: ValueList) -> None:
        lists = self._state().lists
        if value_list.name in lists:
            raise DuplicateKey(f"list {value_list.name}")
        lists[value_list.name] = value_list

    def save(self, value_list: ValueList, *, expected_version: int) -> bool:
        lists = self._state().lists
        stored = lists.get(value_list.name)
        if stored is None or stored.version != expected_version:
            return False
        lists[value_list.name] = value_list
        return True

    def delete(self, name: str) -> bool:
        return self._state().lists.pop(name, None) is not None


class MemoryEntityLabels:
    def __init__(self, state_of: StateOf) -> None:
        self._state = state_of

    def put(self, label: EntityLabel) -> None:
        self._state().entity_labels[(label.subject, label.name)] = label

    def remove(self, subject: EntityRef, name: str) -> bool:
        return self._state().entity_labels.pop((subject, name), None) is not None

    def for_subjects(
        self, subjects: Sequence[EntityRef], *, active_at: datetime | None
    ) -> list[EntityLabel]:
        wanted = set(subjects)
        found = [
            label
            for (subject, _), label in self._state().entity_labels.items()
            if subject in wanted and (active_at is None or label.active_at(active_at))
        ]
        return sorted(found, key=lambda label: (label.subject, label.name))
