"""The signals one rule expression reads, gathered while it compiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from garrison.domain.entities import EntityKind
from garrison.domain.signals import Needs, VelocitySpec


@dataclass(slots=True)
class Reads:
    """The signals one expression reads, gathered during the walk."""

    velocity: set[VelocitySpec] = field(default_factory=set)
    lists: set[str] = field(default_factory=set)
    labels: set[EntityKind] = field(default_factory=set)
    models: set[str] = field(default_factory=set)
    enrichment: set[str] = field(default_factory=set)

    def needs(self) -> Needs:
        return Needs(
            frozenset(self.velocity),
            frozenset(self.lists),
            frozenset(self.labels),
            frozenset(self.models),
            frozenset(self.enrichment),
        )
