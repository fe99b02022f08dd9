"""Appeals: who may decide, what an overturn undoes, and appeals refused for good reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from enforcement_world import ACCOUNT, ALICE, BOB, T0, World, person

from garrison.domain.access import Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.appeals import AppealOutcome, AppealStatus
from garrison.domain.decisions import Decision
from garrison.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from garrison.domain.ids import ActionId, AppealId, DecisionId, EventId
from garrison.domain.labels import LabelValue, Provenance
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict

HOST = person("host", Role.INGEST)


def executed(world: World, kind: ActionKind = ActionKind.SUSPEND_ACCOUNT) -> Action:
    action = world.take(kind)
    world.dispatch()
    return world.action(action.id)


def test_an_appeal_is_filed_with_its_sla(world: World) -> None:
    action = executed(world)

    appeal = world.appeals.file(HOST, action.id, reason="I was hacked", appellant="account:acct_1")

    assert appeal.status is AppealStatus.OPEN
    assert appeal.appellant == "account:acct_1"
    assert appeal.due_at == T0 + timedelta(hours=72)
    assert appeal.origin.actor == "person:alice"
    assert not appeal.overdue(T0)
    assert appeal.overdue(T0 + timedelta(hours=72))


def test_whoever_took_the_action_cannot_decide_its_appeal(world: World) -> None:
    appeal = world.appeals.file(HOST, executed(world).id, reason="no")

    with pytest.raises(PermissionDenied) as error:
        world.appeals.decide(ALICE, appeal.id, outcome=AppealOutcome.OVERTURN)

    assert error.value.field == "reviewer"
    assert world.appeals.get(BOB, appeal.id).appeal.status is AppealStatus.OPEN


def test_an_overturn_reverses_the_action_and_corrects_the_label(world: World) -> None:
    action = executed(world)
    appeal = world.appeals.file(HOST, action.id, reason="mistaken identity")

    decided = world.appeals.decide(BOB, appeal.id, outcome=AppealOutcome.OVERTURN, note="ok")
    world.dispatch()

    assert decided.appeal.status is AppealStatus.OVERTURNED
    [reversal] = decided.reversals
    assert reversal.kind is ActionKind.UNSUSPEND_ACCOUNT
    assert world.action(action.id).status is ActionStatus.REVERTED
    assert [s["kind"] for s in world.sent()] == ["suspend_account", "unsuspend_account"]
    [label] = world.store.state.labels
    assert (label.provenance, label.value) == (Provenance.APPEAL, LabelValue.NOT_VIOLATING)
    assert label.subject == ACCOUNT


def test_an_upheld_appeal_changes_no_action(world: World) -> None:
    action = executed(world)
    appeal = world.appeals.file(HOST, action.id, reason="unfair")

    decided = world.appeals.decide(BOB, appeal.id, outcome=AppealOutcome.UPHOLD)
    world.dispatch()

    assert decided.appeal.status is AppealStatus.UPHELD
    assert decided.reversals == ()
    assert world.action(action.id).status is ActionStatus.EXECUTED
    assert world.store.state.labels[0].value is LabelValue.VIOLATING


def test_appeals_of_unknown_pending_or_decided_actions_are_refused(world: World) -> None:
    with pytest.raises(NotFound):
        world.appeals.file(HOST, ActionId("act_nope"), reason="?")
    with pytest.raises(Conflict):
        world.appeals.file(HOST, world.take(ActionKind.WARN).id, reason="not performed yet")
    action = executed(world)
    appeal = world.appeals.file(HOST, action.id, reason="first")
    with pytest.raises(Conflict, match="already under appeal"):
        world.appeals.file(HOST, action.id, reason="second")
    world.appeals.decide(BOB, appeal.id, outcome=AppealOutcome.UPHOLD)
    with pytest.raises(Conflict, match="already decided"):
        world.appeals.file(HOST, action.id, reason="third")
    with pytest.raises(Conflict, match="already decided"):
        world.appeals.decide(person("carol"), appeal.id, outcome=AppealOutcome.OVERTURN)
    with pytest.raises(NotFound):
        world.appeals.decide(BOB, AppealId("apl_nope"), outcome=AppealOutcome.UPHOLD)
    assert len(world.appeals.appeals(BOB)) == 1


def test_an_appeal_needs_a_reason(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        world.appeals.file(HOST, executed(world).id, reason="  ")
    assert error.value.field == "reason"


def test_an_overturn_counts_against_the_rule_that_fired(world: World) -> None:
    hit = RuleHit("card_testing", "fraud", Verdict.BLOCK, 0.9, "many cards", {"score.fraud": 0.9})
    decision = Decision(
        DecisionId("dec_9"), EventId("evt_9"), Verdict.BLOCK, 0.9, (hit,), "r7", "pol-3", T0
    )
    with world.store.uow() as uow:
        uow.decisions.add(decision)
        uow.commit()
    action = world.plan_automated(ActionKind.RATE_LIMIT, decision=decision.id)
    world.dispatch()
    appeal = world.appeals.file(HOST, action.id, reason="legit traffic")
    world.appeals.decide(ALICE, appeal.id, outcome=AppealOutcome.OVERTURN)

    [decided] = world.appeals.decided()
    assert decided.origin.rule_ids == ("card_testing",)
    assert decided.origin.models == ("score.fraud",)
    assert decided.origin.policy_version == "pol-3"
    assert decided.decided_by == "person:alice"
    assert world.appeals.overturns_by_rule() == {"card_testing": (1, 1), "score.fraud": (1, 1)}
