from dataclasses import replace
from datetime import timedelta

import pytest
from service_world import World, make_event

from garrison.domain.actions import ActionKind
from garrison.domain.errors import Conflict
from garrison.domain.verdicts import Verdict


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
