"""Scoring ports: how services reach trained models, and the live model behind `score("name")`.

`signal_features` adds to what a scorer sees (`features_of`) the signals every event has without a
rule asking: entity event counts over fixed windows (`velocity.*`) and the active entity labels
(`label.<kind>.<name>` = 1). Training tables (`risk_table`) and live scoring call the same
function, so a model reads at ingest what it learned from.

`ModelArtifacts` is implemented by the ML adapters (see `adapters/ml/tabular`): it reads what an
artifact says about itself and loads it as a `Scorer`. `LiveScorers` answers, for the models a
release reads, the scorer of each one's live version: it reads the live versions in the event's
own transaction (one query, only when a rule reads a score) and loads a version once, so a
promotion is seen by the next event without a restart and without stale caches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from garrison.domain.entities import EntityKind
from garrison.domain.errors import GarrisonError
from garrison.domain.events import Event, JsonValue
from garrison.domain.models import ModelCard
from garrison.domain.signals import FieldRef, VelocitySpec
from garrison.services import velocity

if TYPE_CHECKING:
    from garrison.services.signals import Scorer
    from garrison.services.unit_of_work import UnitOfWork


def _count(kind: EntityKind, seconds: int) -> VelocitySpec:
    return VelocitySpec(FieldRef.entity(kind), seconds)


SIGNAL_VELOCITY: dict[str, VelocitySpec] = {
    "velocity.account_events_1h": _count(EntityKind.ACCOUNT, 3600),
    "velocity.account_events_24h": _count(EntityKind.ACCOUNT, 86400),
    "velocity.ip_events_1h": _count(EntityKind.IP, 3600),
    "velocity.payment_method_events_24h": _count(EntityKind.PAYMENT_METHOD, 86400),
    "velocity.device_events_24h": _count(EntityKind.DEVICE, 86400),
}
"""Counts recorded for every entity of every event, so they need no rule to exist."""


def signal_features(
    uow: UnitOfWork, event: Event, *, recorded: bool = False
) -> dict[str, JsonValue]:
    """Velocity counts and entity labels of `event` as features (two small queries).

    Counts include the event, as at ingest; `recorded` says the event is already in the
    counters (it is read back from the event log), so it is not counted twice.
    """
    counts = velocity.read(uow, SIGNAL_VELOCITY.values(), event)
    again = 1 if recorded else 0
    found: dict[str, JsonValue] = {
        name: counts[spec] - again for name, spec in SIGNAL_VELOCITY.items() if spec in counts
    }
    for label in uow.entity_labels.for_subjects(list(event.refs), active_at=event.occurred_at):
        found[f"label.{label.subject.kind.value}.{label.name}"] = 1
    return found


class ModelArtifacts(Protocol):
    def describe(self, artifact: str) -> ModelCard:
        """Read and check an artifact (InvalidInput if it is missing or corrupt)."""
        ...

    def scorer(self, artifact: str) -> Scorer:
        """The artifact loaded for scoring one event at a time."""
        ...


class LiveScorers:
    """The scorer of each model's live version, loaded once per (name, version)."""

    def __init__(self, artifacts: ModelArtifacts) -> None:
        self._artifacts = artifacts
        self._loaded: dict[str, tuple[int, Scorer | None]] = {}
        self._lock = threading.Lock()

    def scorers(self, uow: UnitOfWork, names: Iterable[str]) -> dict[str, Scorer]:
        """The live scorers of these models; a model whose artifact cannot be loaded has none
        (its score reads as unknown, like a failed provider, and ingestion goes on)."""
        wanted = sorted(names)
        live = uow.models.live_numbers(wanted) if wanted else {}
        found = {name: self._scorer(uow, name, number) for name, number in live.items()}
        return {name: scorer for name, scorer in found.items() if scorer is not None}

    def _scorer(self, uow: UnitOfWork, name: str, number: int) -> Scorer | None:
        cached = self._loaded.get(name)
        if cached is not None and cached[0] == number:
            return cached[1]
        version = uow.models.get(name, number)
        if version is None:  # pragma: no cover - a live number names a stored version
            return None
        try:
            scorer: Scorer | None = self._artifacts.scorer(version.artifact)
        except (GarrisonError, OSError):
            scorer = None  # not retried until another version goes live
        with self._lock:
            self._loaded[version.name] = (version.version, scorer)
        return scorer
