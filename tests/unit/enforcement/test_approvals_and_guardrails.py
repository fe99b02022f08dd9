"""Second approvers for high-impact actions; automated bans of protected subjects held."""

from __future__ import annotations

import pytest
from enforcement_world import ACCOUNT, ALICE, BOB, SENIOR, World, build_world, person

from garrison.domain.access import Role
from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.approvals import ApprovalStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.entity_labels import EntityLabel, LabelOrigin
from garrison.domain.errors import InvalidTransition, PermissionDenied
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId
from garrison.services.enforcement import ActionRequest
from garrison.services.unit_of_work import StoredEvent


def test_a_ban_waits_for_a_second_approver_then_goes_ahead(world: World) -> None:
    ban = world.take(ActionKind.BAN_ACCOUNT, by=SENIOR)
    world.dispatch()

    assert ban.status is ActionStatus.PENDING_APPROVAL
    assert world.sent() == []
    [approval] = world.approvals.approvals(ALICE, status=ApprovalStatus.PENDING)
    assert approval.action_ids == (ban.id,)

    decided = world.approvals.decide(person("pat", Role.ADMIN), approval.id, approve=True)
    world.dispatch()

    assert decided.approval.status is ApprovalStatus.APPROVED
    assert world.action(ban.id).status is ActionStatus.EXECUTED
    assert world.action(ban.id).approved_by == "person:pat"
    assert [s["kind"] for s in world.sent()] == ["ban_account"]


def test_whoever_asked_cannot_approve_and_nothing_changes(world: World) -> None:
    world.take(ActionKind.BAN_ACCOUNT, by=SENIOR)
    [approval] = world.approvals.approvals(SENIOR)

    with pytest.raises(PermissionDenied) as error:
        world.approvals.decide(SENIOR, approval.id, approve=True)

    assert error.value.field == "approver"
    assert world.approvals.get(SENIOR, approval.id).approval.status is ApprovalStatus.PENDING


def test_a_reviewer_without_the_permission_cannot_approve(world: World) -> None:
    world.take(ActionKind.BAN_ACCOUNT, by=SENIOR)
    [approval] = world.approvals.approvals(SENIOR)

    with pytest.raises(PermissionDenied):
        world.approvals.decide(BOB, approval.id, approve=True)


def test_a_rejected_ban_is_never_performed_and_cannot_be_decided_again(world: World) -> None:
    ban = world.take(ActionKind.BAN_ACCOUNT)
    [approval] = world.approvals.approvals(SENIOR)
    world.approvals.decide(SENIOR, approval.id, approve=False, note="not enough")
    world.dispatch()

    assert world.action(ban.id).status is ActionStatus.REJECTED
    assert world.sent() == []
    with pytest.raises(InvalidTransition):
        world.approvals.decide(person("pat", Role.ADMIN), approval.id, approve=True)


def test_revoking_every_key_of_an_org_waits_for_approval(world: World) -> None:
    org = EntityRef(EntityKind.ORG, "org_1")
    world.see(org)
    action = world.enforcement.take(ALICE, ActionRequest(ActionKind.REVOKE_API_KEY, org, {}))

    assert action.status is ActionStatus.PENDING_APPROVAL


def test_a_bulk_over_the_threshold_waits_for_one_approval() -> None:
    world = build_world(bulk_threshold=2)
    subjects = [EntityRef(EntityKind.ACCOUNT, f"a{i}") for i in range(3)]
    for subject in subjects:
        world.see(subject)
    requests = [ActionRequest(ActionKind.WARN, s, {}) for s in subjects]

    actions = world.enforcement.bulk(ALICE, requests, reason="spam wave")

    assert {a.status for a in actions} == {ActionStatus.PENDING_APPROVAL}
    [approval] = world.approvals.approvals(SENIOR)
    assert len(approval.action_ids) == 3
    assert world.enforcement.bulk(ALICE, requests[:2], reason="small")[0].status is (
        ActionStatus.PLANNED
    )


def test_an_automated_ban_of_an_enterprise_subject_becomes_a_sensitive_case(world: World) -> None:
    world.see(ACCOUNT, n=2, tier="enterprise")
    ban = world.plan_automated(ActionKind.BAN_ACCOUNT)
    world.dispatch()
    world.dispatch()

    held = world.action(ban.id)
    assert held.status is ActionStatus.WITHHELD
    [case] = world.store.state.cases.values()
    assert case.queue == "sensitive"
    assert case.subject == ACCOUNT
    assert [s["kind"] for s in world.sent()] == ["notify_account_team"]
    assert world.sent()[0]["params"]["withheld_action"] == ban.id


def test_an_org_on_the_enterprise_tier_protects_its_accounts(world: World) -> None:
    org = EntityRef(EntityKind.ORG, "org_big")
    world.see(org, tier="enterprise")
    with world.store.uow() as uow:
        both = Event(
            EventId("evt_both"),
            "api.usage",
            world.clock.now(),
            {EntityKind.ACCOUNT: ACCOUNT.id, EntityKind.ORG: org.id},
            {},
        )
        uow.events.add(StoredEvent(both, "f", DecisionId("dec_b"), world.clock.now()))
        uow.commit()
    ban = world.plan_automated(ActionKind.BAN_ACCOUNT)
    world.dispatch()

    assert world.action(ban.id).status is ActionStatus.WITHHELD


def test_a_high_priority_label_protects_a_subject(world: World) -> None:
    with world.store.uow() as uow:
        uow.entity_labels.put(
            EntityLabel(ACCOUNT, "high_priority", LabelOrigin.MANUAL, "ops", world.clock.now())
        )
        uow.commit()
    ban = world.plan_automated(ActionKind.BAN_ACCOUNT)
    world.dispatch()

    assert world.action(ban.id).status is ActionStatus.WITHHELD


def test_an_automated_ban_of_an_ordinary_subject_waits_for_approval(world: World) -> None:
    ban = world.plan_automated(ActionKind.BAN_ACCOUNT)
    world.dispatch()

    assert world.action(ban.id).status is ActionStatus.PENDING_APPROVAL
    assert world.store.state.cases == {}
