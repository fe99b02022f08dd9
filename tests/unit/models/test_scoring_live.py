"""`score("name")` in rules reads the live version in the registry, and only when a rule does."""

from __future__ import annotations

from models_world import EDITOR, World, payment, rule

from garrison.services.scoring import signal_features


def test_a_rule_reads_the_live_version_and_sees_a_promotion_at_once() -> None:
    world = World(rule("risky", "risk"))
    world.models.register("risk", "scale-100", actor="cli:ana")
    assert world.hits(payment(1, amount=80)) == []  # shadow only: no score
    world.models.promote(EDITOR, "risk", 1)
    assert world.hits(payment(2, amount=80)) == ["risky"]
    world.models.register("risk", "scale-1000", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 2)
    assert world.hits(payment(3, amount=80)) == []


def test_a_live_model_scores_each_event_once() -> None:
    world = World(rule("risky", "risk"))
    world.models.register("risk", "scale-100", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 1)
    assert world.hits(payment(1, amount=20)) == []
    assert world.artifacts.scorers["scale-100"].calls == 1


def test_no_model_is_scored_when_no_rule_reads_a_score() -> None:
    world = World(rule("plain", None))
    world.models.register("risk", "scale-100", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 1)
    world.hits(payment(1, amount=80))
    assert world.artifacts.scorers == {}


def test_a_live_model_that_cannot_load_reads_as_unknown_and_ingest_goes_on() -> None:
    world = World(rule("risky", "risk"))
    world.models.register("risk", "gone", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 1)
    assert world.hits(payment(1, amount=80)) == []
    assert world.hits(payment(2, amount=90)) == []
    world.models.register("risk", "scale-100", actor="cli:ana")
    world.models.promote(EDITOR, "risk", 2)
    assert world.hits(payment(3, amount=80)) == ["risky"]


def test_signal_features_agree_at_ingest_and_when_read_back_for_training() -> None:
    world = World()
    for n in range(3):
        world.ingest.process(payment(n, amount=10, minutes=n))
    event = payment(3, amount=10, minutes=5)  # account a0 again
    with world.store.uow() as uow:
        at_ingest = signal_features(uow, event)
    world.ingest.process(event)
    with world.store.uow() as uow:
        read_back = signal_features(uow, event, recorded=True)
    assert at_ingest == read_back
    assert at_ingest["velocity.account_events_1h"] == 2
