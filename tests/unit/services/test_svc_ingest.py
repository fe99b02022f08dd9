from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from service_world import World, compiled, make_event

from garrison.adapters.rules_file import StaticReleaseSource
from garrison.domain.actions import ActionKind
from garrison.domain.decisions import ScorePolicy
from garrison.domain.errors import Conflict, InvalidInput
from garrison.domain.rules import EvalContext, Release
from garrison.domain.verdicts import Verdict
from garrison.services.ingest import IngestResult, IngestService


def test_allow_without_hits(world: World) -> None:
    result = world.ingest.process(make_event(1, amount_usd=5.0))
    assert result.decision.verdict is Verdict.ALLOW
    assert not result.replayed and result.actions == ()
    assert result.decision.release_version == "test-1"


def test_same_event_again_returns_the_same_decision_and_is_not_reprocessed(world: World) -> None:
    first = world.ingest.process(make_event(1))
    again = world.ingest.process(make_event(1))
    assert again.replayed and again.decision == first.decision
    with world.store.uow() as uow:
        assert len(uow.state.decisions) == 1
        # the event was counted once: two more events are needed to reach three
        assert sum(uow.state.counters.values()) == 2  # account key, with and without type


def test_same_id_with_another_body_is_a_conflict_and_writes_nothing(world: World) -> None:
    world.ingest.process(make_event(1, amount_usd=1.0))
    with pytest.raises(Conflict) as caught:
        world.ingest.process(make_event(1, amount_usd=2.0))
    assert caught.value.field == "id"
    with world.store.uow() as uow:
        assert len(uow.state.events) == 1


def test_velocity_counts_include_the_event_and_decide_block(world: World) -> None:
    verdicts = [world.ingest.process(make_event(n)).decision.verdict for n in range(3)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.BLOCK]
    blocked = world.ingest.process(make_event(9, account="a1"))
    assert [a.kind for a in blocked.actions] == [ActionKind.SUSPEND_ACCOUNT]
    assert blocked.decision.hits[0].rule == "many_payments"


def test_velocity_window_forgets_old_events(world: World) -> None:
    for n in range(2):
        world.ingest.process(make_event(n))
    later = replace(make_event(5), occurred_at=make_event(5).occurred_at + timedelta(hours=2))
    assert world.ingest.process(later).decision.verdict is Verdict.ALLOW


def test_other_accounts_and_types_do_not_count(world: World) -> None:
    world.ingest.process(make_event(1, account="other"))
    world.ingest.process(make_event(2, type_="account.login"))
    assert world.ingest.process(make_event(3)).decision.verdict is Verdict.ALLOW


def test_decision_and_outbox_commit_together(world: World) -> None:
    result = world.ingest.process(make_event(1, type_="content.submitted", flag=True))
    assert result.decision.verdict is Verdict.REVIEW
    assert result.decision.action_ids == tuple(a.id for a in result.actions)
    with world.store.uow() as uow:
        planned = uow.actions.planned(10)
    assert [(a.kind, a.params["queue"]) for a in planned] == [
        (ActionKind.ENQUEUE_REVIEW, "content")
    ]


def test_batch_isolates_bad_items(world: World) -> None:
    world.ingest.process(make_event(1, amount_usd=1.0))
    results = world.ingest.process_batch([make_event(2), make_event(1, amount_usd=9.0)])
    assert not isinstance(results[0], Exception)
    assert isinstance(results[1], Conflict)


def _counting_units(world: World) -> list[int]:
    """Count the units of work the ingest service opens from now on."""
    opened: list[int] = []
    make = world.store.uow

    def counted() -> Any:
        opened.append(1)
        return make()

    world.ingest._uow = counted  # type: ignore[method-assign]
    return opened


def test_a_batch_is_one_unit_and_sees_its_own_earlier_items(world: World) -> None:
    opened = _counting_units(world)
    results = world.ingest.process_batch(
        [make_event(1), make_event(1), make_event(1, amount_usd=3.0), make_event(2), make_event(3)]
    )
    assert len(opened) == 1
    first, again, clash, second, third = results
    assert isinstance(first, IngestResult) and not first.replayed
    assert isinstance(again, IngestResult) and again.replayed
    assert again.decision == first.decision
    assert isinstance(clash, Conflict) and clash.field == "id"
    assert isinstance(third, IngestResult) and isinstance(second, IngestResult)
    assert third.decision.verdict is Verdict.BLOCK  # counted events 1, 2 and 3 of the batch
    with world.store.uow() as uow:
        assert sorted(uow.state.events) == ["evt_1", "evt_2", "evt_3"]
        assert len(uow.state.decisions) == 3


def test_a_batch_falls_back_to_one_unit_per_event_when_an_event_fails(world: World) -> None:
    def picky(ctx: EvalContext) -> bool:
        if ctx.event.attributes.get("bad"):
            raise InvalidInput("this event breaks the rule", field="attributes.bad")
        return False

    release = Release("picky-1", (compiled("picky", picky),))
    ingest = IngestService(
        world.store.uow, StaticReleaseSource(release), ScorePolicy(), world.clock, world.ids
    )
    results = ingest.process_batch([make_event(1), make_event(2, bad=True), make_event(3)])
    assert isinstance(results[0], IngestResult) and isinstance(results[2], IngestResult)
    assert isinstance(results[1], InvalidInput)
    with world.store.uow() as uow:
        assert sorted(uow.state.events) == ["evt_1", "evt_3"]
        assert len(uow.state.decisions) == 2
