"""The model registry service: register, promote (audited, permissioned), shadow, drift."""

from __future__ import annotations

from datetime import timedelta

import pytest
from models_world import EDITOR, VIEWER, World, payment

from garrison.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from garrison.domain.models import DriftLevel, ModelStatus


def test_a_registered_version_starts_in_shadow_and_numbers_go_up() -> None:
    world = World()
    first = world.models.register("risk", "scale-100", actor="cli:ana")
    second = world.models.register("risk", "scale-50", actor="cli:ana")
    assert (first.version, second.version) == (1, 2)
    assert first.status is ModelStatus.SHADOW
    assert first.features == ("attr.amount",)
    assert [v.version for v in world.models.versions("risk")] == [2, 1]


def test_a_corrupt_artifact_leaves_the_registry_unchanged() -> None:
    world = World()
    with pytest.raises(InvalidInput):
        world.models.register("risk", "corrupt", actor="cli:ana")
    assert world.models.versions() == []
    with world.store.uow() as uow:
        assert uow.audit.last() is None


def test_promotion_retires_the_live_version_and_is_audited() -> None:
    world = World()
    world.models.register("risk", "scale-100", actor="cli:ana")
    world.models.register("risk", "scale-50", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 1)
    world.models.promote(EDITOR, "risk", 2)
    statuses = {v.version: v.status for v in world.models.versions("risk")}
    assert statuses == {1: ModelStatus.RETIRED, 2: ModelStatus.LIVE}
    with world.store.uow() as uow:
        records = uow.audit.recent(limit=10)
    assert [r.action for r in records[:2]] == ["model.promote", "model.promote"]
    assert records[0].target == "model:risk@2"
    assert records[0].actor == EDITOR.actor
    assert records[0].details["previous"] == 1


def test_promotion_needs_permission_and_a_shadow_version() -> None:
    world = World()
    world.models.register("risk", "scale-100", actor="cli:ana")
    with pytest.raises(PermissionDenied):
        world.models.promote(VIEWER, "risk", 1)
    world.models.promote(EDITOR, "risk", 1)
    with pytest.raises(InvalidTransition):
        world.models.promote(EDITOR, "risk", 1)
    with pytest.raises(NotFound):
        world.models.promote(EDITOR, "risk", 9)


def test_shadow_scores_are_stored_for_recent_events() -> None:
    world = World()
    for n in range(5):
        world.ingest.process(payment(n, amount=n * 30.0, minutes=n))
    world.models.register("risk", "scale-100", actor="cli:ana")
    summary = world.models.shadow_score("risk", 1, since=timedelta(hours=2))
    assert (summary.scored, summary.flagged) == (5, 3)
    with world.store.uow() as uow:
        stored = uow.models.scores("risk", 1, limit=10)
    assert [s.event_id for s in stored] == [f"evt_{n}" for n in range(4, -1, -1)]
    assert stored[0].score == pytest.approx(1.0)


def test_drift_flags_a_population_that_moved() -> None:
    world = World()
    for n in range(200):
        world.ingest.process(payment(n, amount=float(n % 100), minutes=n / 10))
    world.models.register("risk", "scale-100", actor="cli:ana")
    stable = world.models.drift("risk", 1, since=timedelta(hours=2))
    assert stable.events == 200
    assert {d.quantity: d.level for d in stable.drifts} == {
        "attr.amount": DriftLevel.STABLE,
        "score": DriftLevel.STABLE,
    }
    for n in range(200, 400):
        world.ingest.process(payment(n, amount=500.0 + n, minutes=n / 10))
    moved = world.models.drift("risk", 1, since=timedelta(minutes=20))
    assert all(d.level is DriftLevel.SHIFTED for d in moved.drifts)
