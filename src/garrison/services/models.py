"""The model registry as analysts use it: register, list, promote, retire; shadow scoring and
drift of a version on recent events.

Registering reads the artifact fully first (a corrupt one is refused and nothing is written).
Promotion needs MANAGE_MODELS; it retires the version that was live, in the same transaction,
and both are audited. Shadow scoring runs a version over recent events and stores the scores,
which no rule reads; drift compares the score and top features of recent events with the
training baseline (PSI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.events import Event, JsonValue
from garrison.domain.models import (
    Drift,
    ModelStatus,
    ModelVersion,
    ShadowScore,
    check_model_name,
    drift_of,
    promote,
    retire,
)
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.scoring import ModelArtifacts, signal_features
from garrison.services.signals import features_of
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

PAGE = 1000
MAX_EVENTS = 20_000
"""Shadow scoring and drift read at most this many events of their window (the earliest)."""


@dataclass(frozen=True, slots=True)
class DriftReport:
    version: ModelVersion
    since: datetime
    events: int
    drifts: tuple[Drift, ...]


@dataclass(frozen=True, slots=True)
class ShadowSummary:
    version: ModelVersion
    scored: int
    mean: float
    flagged: int
    """How many scores were at or above the threshold asked for."""


class ModelService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, artifacts: ModelArtifacts, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._artifacts = artifacts
        self._clock = clock

    def versions(self, name: str | None = None) -> list[ModelVersion]:
        with self._uow() as uow:
            return uow.models.versions(name)

    def get(self, name: str, version: int) -> ModelVersion:
        with self._uow() as uow:
            return _existing(uow, name, version)

    def register(self, name: str, artifact: str, *, actor: str) -> ModelVersion:
        """A new shadow version of `name` from an artifact (a model directory)."""
        card = self._artifacts.describe(artifact)
        with self._uow() as uow:
            existing = uow.models.versions(check_model_name(name))
            version = ModelVersion(
                name=name,
                version=max((v.version for v in existing), default=0) + 1,
                kind=card.kind,
                status=ModelStatus.SHADOW,
                artifact=artifact,
                features=card.features,
                metrics=dict(card.metrics),
                trained_from=card.trained_from,
                trained_to=card.trained_to,
                created_at=self._clock.now(),
                created_by=actor,
                baseline=dict(card.baseline),
            )
            uow.models.add(version)
            self._audit(uow, actor, "model.register", version, {"artifact": artifact})
            uow.commit()
        return version

    def promote(self, principal: Principal, name: str, version: int) -> ModelVersion:
        """Make a shadow version live; the live one, if any, is retired."""
        principal.require(Permission.MANAGE_MODELS)
        now = self._clock.now()
        with self._uow() as uow:
            promoted = promote(_existing(uow, name, version), by=principal.actor, at=now)
            previous = uow.models.live([name]).get(name)
            if previous is not None:
                uow.models.save(retire(previous, at=now))
            uow.models.save(promoted)
            details = {"previous": previous.version if previous else None}
            self._audit(uow, principal.actor, "model.promote", promoted, details)
            uow.commit()
        return promoted

    def retire(self, principal: Principal, name: str, version: int) -> ModelVersion:
        principal.require(Permission.MANAGE_MODELS)
        with self._uow() as uow:
            retired = retire(_existing(uow, name, version), at=self._clock.now())
            uow.models.save(retired)
            self._audit(uow, principal.actor, "model.retire", retired, {})
            uow.commit()
        return retired

    def shadow_score(
        self, name: str, version: int, *, since: timedelta, threshold: float = 0.5
    ) -> ShadowSummary:
        """Score the events of the last `since` with a version and store the scores."""
        now = self._clock.now()
        with self._uow() as uow:
            chosen = _existing(uow, name, version)
            events = _recent(uow, now - since)
            rows = [_features(uow, event) for event in events]
        scorer = self._artifacts.scorer(chosen.artifact)
        scores = [
            ShadowScore(name, version, e.id, scorer.score_one(row), e.occurred_at, now)
            for e, row in zip(events, rows, strict=True)
        ]
        with self._uow() as uow:  # a short write: scoring ran outside the transaction
            uow.models.add_scores(scores)
            uow.commit()
        values = [s.score for s in scores]
        mean = sum(values) / len(values) if values else 0.0
        return ShadowSummary(chosen, len(values), mean, sum(v >= threshold for v in values))

    def drift(self, name: str, version: int, *, since: timedelta) -> DriftReport:
        """PSI of the score and of each baseline feature: training vs the last `since`."""
        start = self._clock.now() - since
        with self._uow() as uow:
            chosen = _existing(uow, name, version)
            events = _recent(uow, start)
            rows = [_features(uow, event) for event in events]
        if not chosen.baseline:
            raise InvalidInput(f"model {chosen.key} has no training baseline", field="version")
        scorer = self._artifacts.scorer(chosen.artifact)
        drifts = []
        for quantity, histogram in sorted(chosen.baseline.items()):
            values = (
                [scorer.score_one(row) for row in rows]
                if quantity == "score"
                else [row.get(quantity) for row in rows]
            )
            drifts.append(drift_of(quantity, histogram, values))
        return DriftReport(chosen, start, len(rows), tuple(drifts))

    def _audit(
        self,
        uow: UnitOfWork,
        actor: str,
        action: str,
        version: ModelVersion,
        details: Mapping[str, str | int | None],
    ) -> None:
        audit.record(
            uow,
            self._clock,
            actor=actor,
            action=action,
            target=f"model:{version.key}",
            details={"status": version.status.value, **details},
        )


def _existing(uow: UnitOfWork, name: str, version: int) -> ModelVersion:
    found = uow.models.get(name, version)
    if found is None:
        raise NotFound(f"no model {name}@{version}", field="version")
    return found


def _features(uow: UnitOfWork, event: Event) -> dict[str, JsonValue]:
    """What the live scorer saw for a stored `event` (see `Signals` and `signal_features`)."""
    return {**features_of(event, {}), **signal_features(uow, event, recorded=True)}


def _recent(uow: UnitOfWork, start: datetime) -> list[Event]:
    """Events that occurred since `start`, oldest first, at most MAX_EVENTS."""
    events: list[Event] = []
    after = None
    while len(events) < MAX_EVENTS and (page := uow.events.by_time(start, None, after, PAGE)):
        events.extend(stored.event for stored in page)
        after = page[-1]
    return events[:MAX_EVENTS]
