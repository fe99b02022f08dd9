"""The model registry's storage port, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.models import (
    ModelStatus,
    ModelVersion,
    ShadowScore,
    categorical_histogram,
    numeric_histogram,
)
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
Factory = Callable[[], UnitOfWork]


def version(name: str, number: int, status: ModelStatus = ModelStatus.SHADOW) -> ModelVersion:
    return ModelVersion(
        name=name,
        version=number,
        kind="tabular",
        status=status,
        artifact=f"/models/{name}/{number}",
        features=("attr.amount", "type"),
        metrics={"auprc": 0.42, "roc_auc": 0.9},
        trained_from=T0 - timedelta(days=30),
        trained_to=T0,
        created_at=T0,
        created_by="cli:ana",
        baseline={
            "score": numeric_histogram([0.1, 0.2, 0.3, 0.9], bins=2),
            "type": categorical_histogram(["a", "b", "b"]),
        },
    )


def test_a_version_round_trips(uow_factory: Factory) -> None:
    stored = version("risk", 1)
    with uow_factory() as uow:
        uow.models.add(stored)
        uow.commit()
    with uow_factory() as uow:
        assert uow.models.get("risk", 1) == stored
        assert uow.models.get("risk", 2) is None


def test_a_taken_version_is_a_duplicate(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.models.add(version("risk", 1))
        uow.commit()

    def add_again() -> None:
        with uow_factory() as uow:
            uow.models.add(version("risk", 1))
            uow.commit()

    with pytest.raises(DuplicateKey):
        add_again()


def test_versions_by_name_newest_first_and_live_ones(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for stored in (version("risk", 1), version("risk", 2), version("abuse", 1)):
            uow.models.add(stored)
        uow.commit()
    with uow_factory() as uow:
        live = replace(version("risk", 2), status=ModelStatus.LIVE, promoted_at=T0)
        uow.models.save(live)
        uow.commit()
    with uow_factory() as uow:
        assert [v.key for v in uow.models.versions()] == ["abuse@1", "risk@2", "risk@1"]
        assert [v.key for v in uow.models.versions("risk")] == ["risk@2", "risk@1"]
        assert uow.models.live(["risk", "abuse", "none"]) == {"risk": live}
        assert uow.models.live([]) == {}
        assert uow.models.live_numbers(["risk", "abuse", "none"]) == {"risk": 2}
        assert uow.models.live_numbers([]) == {}


def test_scores_are_replaced_per_event_and_read_newest_first(uow_factory: Factory) -> None:
    def score(event: str, value: float, minutes: int) -> ShadowScore:
        return ShadowScore("risk", 1, event, value, T0 + timedelta(minutes=minutes), T0)

    with uow_factory() as uow:
        uow.models.add_scores([score("e1", 0.1, 1), score("e2", 0.2, 2), score("e3", 0.3, 3)])
        uow.commit()
    with uow_factory() as uow:
        uow.models.add_scores([score("e1", 0.9, 1)])
        uow.commit()
    with uow_factory() as uow:
        found = uow.models.scores("risk", 1, limit=2)
        assert [(s.event_id, s.score) for s in found] == [("e3", 0.3), ("e2", 0.2)]
        assert uow.models.scores("risk", 1, limit=5)[-1].score == 0.9
        assert uow.models.scores("risk", 2, limit=5) == []
