"""The ledger: durations and expiry, idempotency, reversal, unknown subjects, webhooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from enforcement_world import ACCOUNT, ALICE, T0, World

from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.services.enforcement import ActionRequest


def test_a_rate_limit_lasts_24h_by_default_and_is_lifted_on_time(world: World) -> None:
    action = world.take(ActionKind.RATE_LIMIT)
    world.dispatch()

    done = world.action(action.id)
    assert done.status is ActionStatus.EXECUTED
    assert done.expires_at == T0 + timedelta(hours=24)
    assert world.sent()[0]["expires_at"] == (T0 + timedelta(hours=24)).isoformat()

    world.clock.advance(24 * 3600 - 1)
    world.dispatch()
    assert world.action(action.id).status is ActionStatus.EXECUTED
    assert len(world.sent()) == 1

    world.clock.advance(1)
    world.dispatch()
    expired = world.action(action.id)
    assert expired.status is ActionStatus.EXPIRED
    [_, lift] = world.sent()
    assert lift["kind"] == "lift_rate_limit"
    assert lift["reverses"] == action.id
    assert lift["params"] == {"reason": "expired"}
    assert world.action(expired.reverted_by).status is ActionStatus.EXECUTED  # type: ignore[arg-type]


def test_a_ban_is_permanent_and_a_suspension_can_be_given_a_duration(world: World) -> None:
    suspend = world.take(ActionKind.SUSPEND_ACCOUNT, duration="3d")
    world.dispatch()

    assert world.action(suspend.id).expires_at == T0 + timedelta(days=3)
    assert world.take(ActionKind.WARN).duration is None


def test_a_bad_duration_is_refused_and_nothing_is_planned(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        world.take(ActionKind.RATE_LIMIT, duration="soon")

    assert error.value.field == "params.duration"
    assert world.enforcement.actions(ALICE) == []


def test_an_action_on_an_unknown_subject_is_refused_and_nothing_changes(world: World) -> None:
    stranger = EntityRef(EntityKind.ACCOUNT, "nobody")
    with pytest.raises(NotFound) as error:
        world.enforcement.take(ALICE, ActionRequest(ActionKind.WARN, stranger, {}))

    assert error.value.field == "subject"
    assert world.enforcement.actions(ALICE) == []
    assert world.store.state.audit == []


def test_the_same_idempotency_key_has_one_effect(world: World) -> None:
    request = ActionRequest(ActionKind.WARN, ACCOUNT, {}, idempotency_key="host-1")
    first = world.enforcement.take(ALICE, request)
    again = world.enforcement.take(ALICE, request)
    world.dispatch()
    world.dispatch()

    assert again.id == first.id
    assert len(world.sent()) == 1


def test_an_idempotency_key_reused_for_another_action_is_a_conflict(world: World) -> None:
    world.enforcement.take(ALICE, ActionRequest(ActionKind.WARN, ACCOUNT, {}, idempotency_key="k"))

    with pytest.raises(Conflict) as error:
        world.enforcement.take(
            ALICE, ActionRequest(ActionKind.CHALLENGE, ACCOUNT, {}, idempotency_key="k")
        )
    assert error.value.field == "idempotency_key"
    assert len(world.enforcement.actions(ALICE)) == 1


def test_a_reversal_is_a_compensating_action_sent_by_webhook_once(world: World) -> None:
    action = world.take(ActionKind.REMOVE_CONTENT)
    world.dispatch()

    first = world.enforcement.reverse(ALICE, action.id, reason="mistake")
    second = world.enforcement.reverse(ALICE, action.id, reason="mistake")
    world.dispatch()

    assert first.id == second.id
    assert first.kind is ActionKind.RESTORE_CONTENT
    assert world.action(action.id).status is ActionStatus.REVERTED
    assert [s["kind"] for s in world.sent()] == ["remove_content", "restore_content"]
    assert world.enforcement.get(ALICE, action.id).reversal == world.action(first.id)


def test_an_action_that_is_not_in_effect_cannot_be_reversed(world: World) -> None:
    action = world.take(ActionKind.WARN)

    with pytest.raises(Conflict):
        world.enforcement.reverse(ALICE, action.id, reason="too early")


def test_compensating_and_review_kinds_are_not_taken_by_hand(world: World) -> None:
    for kind in (ActionKind.UNBAN_ACCOUNT, ActionKind.ENQUEUE_REVIEW):
        with pytest.raises(InvalidInput) as error:
            world.take(kind)
        assert error.value.field == "kind"
