"""In-memory model registry: versions and shadow scores (one field of the memory store's state)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Self

from garrison.domain.models import ModelStatus, ModelVersion, ShadowScore
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class ModelState:
    versions: dict[tuple[str, int], ModelVersion] = field(default_factory=dict)
    scores: dict[tuple[str, int, str], ShadowScore] = field(default_factory=dict)

    def __copy__(self) -> Self:
        return type(self)(self.versions.copy(), self.scores.copy())


class MemoryModelVersions:
    def __init__(self, state: Callable[[], ModelState]) -> None:
        self._state = state

    def add(self, version: ModelVersion) -> None:
        versions = self._state().versions
        key = (version.name, version.version)
        if key in versions:
            raise DuplicateKey(f"model {version.key}")
        versions[key] = version

    def get(self, name: str, version: int) -> ModelVersion | None:
        return self._state().versions.get((name, version))

    def save(self, version: ModelVersion) -> None:
        self._state().versions[(version.name, version.version)] = version

    def versions(self, name: str | None = None) -> list[ModelVersion]:
        found = [v for v in self._state().versions.values() if name is None or v.name == name]
        return sorted(found, key=lambda v: (v.name, -v.version))

    def live(self, names: Sequence[str]) -> dict[str, ModelVersion]:
        wanted = set(names)
        return {
            v.name: v
            for v in self._state().versions.values()
            if v.name in wanted and v.status is ModelStatus.LIVE
        }

    def live_numbers(self, names: Sequence[str]) -> dict[str, int]:
        return {name: v.version for name, v in self.live(names).items()}

    def add_scores(self, scores: Sequence[ShadowScore]) -> None:
        table = self._state().scores
        for score in scores:
            table[(score.name, score.version, score.event_id)] = score

    def scores(self, name: str, version: int, *, limit: int) -> list[ShadowScore]:
        found = [s for s in self._state().scores.values() if (s.name, s.version) == (name, version)]
        found.sort(key=lambda s: (s.occurred_at, s.event_id), reverse=True)
        return found[:limit]
