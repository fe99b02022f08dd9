"""Strike ladders: parsing, and each strike taking the next rung."""

from __future__ import annotations

import pytest
from enforcement_world import ACCOUNT, ALICE, SENIOR, World, build_world

from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.errors import InvalidInput
from garrison.domain.strikes import DEFAULT_LADDER, StrikeLadder, StrikeLadders


def test_the_default_ladder_warns_limits_suspends_then_bans(world: World) -> None:
    taken = []
    for _ in range(5):
        action = world.enforcement.strike(ALICE, ACCOUNT, policy="spam")
        taken.append((action.kind, action.params.get("duration"), action.params["strike"]))

    assert taken == [
        (ActionKind.WARN, None, 1),
        (ActionKind.RATE_LIMIT, "24h", 2),
        (ActionKind.SUSPEND_ACCOUNT, "7d", 3),
        (ActionKind.BAN_ACCOUNT, None, 4),
        (ActionKind.BAN_ACCOUNT, None, 5),
    ]


def test_strikes_count_per_policy_and_an_overturned_one_does_not_count(world: World) -> None:
    first = world.enforcement.strike(ALICE, ACCOUNT, policy="spam")
    world.dispatch()
    assert world.enforcement.strike(ALICE, ACCOUNT, policy="fraud").kind is ActionKind.WARN

    world.enforcement.reverse(SENIOR, first.id, reason="overturned")
    world.dispatch()

    assert world.action(first.id).status is ActionStatus.REVERTED
    assert world.enforcement.strike(ALICE, ACCOUNT, policy="spam").kind is ActionKind.WARN


def test_a_policy_can_have_its_own_ladder() -> None:
    ladders = StrikeLadders.parse(DEFAULT_LADDER, {"fraud": "suspend_account:30d, ban_account"})
    world = build_world(ladders=ladders)
    world.see()

    action = world.enforcement.strike(ALICE, ACCOUNT, policy="fraud")

    assert (action.kind, action.params["duration"]) == (ActionKind.SUSPEND_ACCOUNT, "30d")


@pytest.mark.parametrize(
    "text", ["", "warn, explode", "warn, rate_limit:soon", "enqueue_review", "unban_account"]
)
def test_a_bad_ladder_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        StrikeLadder.parse(text)


def test_a_strike_names_its_policy(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        world.enforcement.strike(ALICE, ACCOUNT, policy="")
    assert error.value.field == "policy"
