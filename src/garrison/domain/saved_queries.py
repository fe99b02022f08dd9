"""Saved searches: an expression and a look-back window, owned by one person, maybe shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NewType

from garrison.domain.errors import InvalidInput

SavedQueryId = NewType("SavedQueryId", str)
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class SavedQuery:
    id: SavedQueryId
    name: str
    expression: str
    window: str
    """How far back it looks, like `7d` (see `parse_ttl`)."""
    owner: str
    shared: bool
    created_at: datetime

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise InvalidInput(f"a name of 1..{MAX_NAME} characters is needed", field="name")

    def visible_to(self, actor: str) -> bool:
        return self.shared or self.owner == actor
