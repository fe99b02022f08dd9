"""The storage port of the model registry: versions, and the scores shadow versions gave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from garrison.domain.models import ModelVersion, ShadowScore


class ModelVersions(Protocol):
    def add(self, version: ModelVersion) -> None:
        """Store a new version; raise DuplicateKey if (name, version) is taken."""
        ...

    def get(self, name: str, version: int) -> ModelVersion | None: ...
    def save(self, version: ModelVersion) -> None: ...
    def versions(self, name: str | None = None) -> list[ModelVersion]:
        """By name, newest version first."""
        ...

    def live(self, names: Sequence[str]) -> dict[str, ModelVersion]:
        """The live version of each of these models that has one, in one query."""
        ...

    def live_numbers(self, names: Sequence[str]) -> dict[str, int]:
        """The live version number of each of these models that has one: one fixed query,
        run for every event whose rules read a score."""
        ...

    def add_scores(self, scores: Sequence[ShadowScore]) -> None:
        """Store scores; scoring an event again replaces its score for that version."""
        ...

    def scores(self, name: str, version: int, *, limit: int) -> list[ShadowScore]:
        """The newest stored scores of a version (by the event's time), newest first."""
        ...
