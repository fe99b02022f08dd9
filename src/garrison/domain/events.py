"""Events: something that happened on the host platform."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from garrison.domain.entities import SUBJECT_PRECEDENCE, EntityKind, EntityRef
from garrison.domain.ids import EventId

JsonValue = Any
"""A value that JSON can carry: None, bool, int, float, str, list or dict of them."""


@dataclass(frozen=True, slots=True)
class Event:
    id: EventId
    type: str
    occurred_at: datetime
    entities: Mapping[EntityKind, str]
    attributes: Mapping[str, JsonValue]

    @property
    def refs(self) -> tuple[EntityRef, ...]:
        return tuple(EntityRef(kind, ident) for kind, ident in sorted(self.entities.items()))

    @property
    def subject(self) -> EntityRef | None:
        """The entity a review of this event is about."""
        for kind in SUBJECT_PRECEDENCE:
            if kind in self.entities:
                return EntityRef(kind, self.entities[kind])
        return None

    def to_json(self) -> dict[str, JsonValue]:
        """The canonical wire form (also what the event log stores)."""
        return {
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "entities": {str(k): v for k, v in sorted(self.entities.items())},
            "attributes": dict(self.attributes),
        }

    def fingerprint(self) -> str:
        """A hash of the canonical body: the same id with another fingerprint is a conflict."""
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()
