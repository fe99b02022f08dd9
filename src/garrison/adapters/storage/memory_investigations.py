"""In-memory saved searches and retroactive actions (the reference for the SQL adapters)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Self

from garrison.domain.retroactive import RetroAction, RetroActionId
from garrison.domain.saved_queries import SavedQuery, SavedQueryId


@dataclass
class InvestigationState:
    saved: dict[SavedQueryId, SavedQuery] = field(default_factory=dict)
    retro: dict[RetroActionId, RetroAction] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


StateOf = Callable[[], InvestigationState]


class MemorySavedQueries:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, query: SavedQuery) -> None:
        self._state().saved[query.id] = query

    def get(self, query_id: SavedQueryId) -> SavedQuery | None:
        return self._state().saved.get(query_id)

    def visible(self, actor: str, limit: int) -> list[SavedQuery]:
        found = [q for q in self._state().saved.values() if q.visible_to(actor)]
        found.sort(key=lambda q: (q.created_at, q.id), reverse=True)
        return found[:limit]

    def delete(self, query_id: SavedQueryId) -> bool:
        return self._state().saved.pop(query_id, None) is not None


class MemoryRetroActions:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, retro: RetroAction) -> None:
        self._state().retro[retro.id] = retro

    def save(self, retro: RetroAction) -> None:
        self._state().retro[retro.id] = retro

    def get(self, retro_id: RetroActionId) -> RetroAction | None:
        return self._state().retro.get(retro_id)

    def recent(self, limit: int) -> list[RetroAction]:
        found = sorted(self._state().retro.values(), key=lambda r: (r.created_at, r.id))
        return found[::-1][:limit]
