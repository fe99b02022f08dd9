"""Storage ports of search and retroactive action (`uow.saved_queries`, `uow.retro_actions`)."""

from __future__ import annotations

from typing import Protocol

from garrison.domain.retroactive import RetroAction, RetroActionId
from garrison.domain.saved_queries import SavedQuery, SavedQueryId


class SavedQueries(Protocol):
    def add(self, query: SavedQuery) -> None: ...
    def get(self, query_id: SavedQueryId) -> SavedQuery | None: ...
    def visible(self, actor: str, limit: int) -> list[SavedQuery]:
        """The actor's own queries and every shared one, newest first."""
        ...

    def delete(self, query_id: SavedQueryId) -> bool: ...


class RetroActions(Protocol):
    def add(self, retro: RetroAction) -> None: ...
    def save(self, retro: RetroAction) -> None: ...
    def get(self, retro_id: RetroActionId) -> RetroAction | None: ...
    def recent(self, limit: int) -> list[RetroAction]:
        """Newest first."""
        ...
