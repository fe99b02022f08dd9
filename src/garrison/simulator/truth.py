"""Ground truth of a simulation: which entities are abusive, why, and which ring each belongs to.

Written as JSON next to the traffic so that detection can be scored against it:

    {"simulation": {...run parameters...},
     "summary": {"card_testing": {"scenarios": 2, "entities": 61}, ...},
     "entities": [{"entity": "account:acct_x", "abuse": "card_testing",
                   "reason": "...", "scenario_id": "card_testing-001"}, ...],
     "scenarios": [{"scenario_id": "card_testing-001", "abuse": "card_testing",
                    "description": "...", "members": ["account:acct_x", ...]}, ...]}

A scenario groups its members: for trial farming it is the ring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue


@dataclass(frozen=True, slots=True)
class TruthEntry:
    entity: str
    """`kind:id`, as `garrison.domain.entities.EntityRef` writes it."""
    abuse: str
    reason: str
    scenario_id: str

    def to_json(self) -> dict[str, str]:
        return {
            "entity": self.entity,
            "abuse": self.abuse,
            "reason": self.reason,
            "scenario_id": self.scenario_id,
        }


@dataclass(slots=True)
class ScenarioRecord:
    scenario_id: str
    abuse: str
    description: str
    members: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "scenario_id": self.scenario_id,
            "abuse": self.abuse,
            "description": self.description,
            "members": sorted(self.members),
        }


class GroundTruth:
    """Abusive entities and the scenarios (rings) that group them."""

    def __init__(self, simulation: Mapping[str, JsonValue] | None = None) -> None:
        self.simulation: dict[str, JsonValue] = dict(simulation or {})
        self._entries: dict[str, TruthEntry] = {}
        self._scenarios: dict[str, ScenarioRecord] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entity: object) -> bool:
        return entity in self._entries

    @property
    def entries(self) -> list[TruthEntry]:
        return sorted(self._entries.values(), key=lambda e: (e.scenario_id, e.entity))

    @property
    def scenarios(self) -> list[ScenarioRecord]:
        return [self._scenarios[k] for k in sorted(self._scenarios)]

    def add(self, entry: TruthEntry, description: str = "") -> None:
        """Record one abusive entity; the first record of an entity wins."""
        if entry.entity in self._entries:
            return
        self._entries[entry.entity] = entry
        record = self._scenarios.setdefault(
            entry.scenario_id, ScenarioRecord(entry.scenario_id, entry.abuse, description)
        )
        record.members.append(entry.entity)

    def abusive(self, abuse: str | None = None) -> set[str]:
        """Every abusive `kind:id`, optionally only those of one abuse pattern."""
        return {e.entity for e in self._entries.values() if abuse in (None, e.abuse)}

    def summary(self) -> dict[str, dict[str, int]]:
        """Per abuse pattern: how many scenario instances and how many abusive entities."""
        out: dict[str, dict[str, int]] = {}
        for record in self.scenarios:
            counts = out.setdefault(record.abuse, {"scenarios": 0, "entities": 0})
            counts["scenarios"] += 1
            counts["entities"] += len(record.members)
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "simulation": self.simulation,
            "summary": self.summary(),
            "entities": [e.to_json() for e in self.entries],
            "scenarios": [s.to_json() for s in self.scenarios],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.dumps(), encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GroundTruth:
        """Read what `to_json` wrote (for scoring tools)."""
        try:
            truth = cls(data.get("simulation") or {})
            descriptions = {s["scenario_id"]: s["description"] for s in data.get("scenarios", [])}
            for item in data["entities"]:
                entry = TruthEntry(
                    item["entity"], item["abuse"], item["reason"], item["scenario_id"]
                )
                truth.add(entry, descriptions.get(entry.scenario_id, ""))
        except (KeyError, TypeError, AttributeError) as error:
            raise InvalidInput(f"not a ground-truth document: {error}", field="truth") from None
        return truth

    @classmethod
    def read(cls, path: Path) -> GroundTruth:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
