"""Retroactive action on a ring or a search: preview, cap, second approval and one-step undo."""

from __future__ import annotations

import pytest
from investigation_world import ADMIN, ALICE, BOB, T0, container, payments

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.actions import ActionKind, ActionStatus, ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from garrison.domain.retroactive import RetroStatus, Target, TargetKind

LABEL = ActionTemplate(ActionKind.ADD_LABEL, {"label": "card_sharer"})
DECLINED = Target(TargetKind.QUERY, 'attr.result == "declined"', T0)


def _actions(c: Container, ids: tuple[str, ...]) -> list[tuple[ActionKind, ActionStatus]]:
    with c.uow() as uow:
        found = [uow.actions.get(i) for i in ids]  # type: ignore[arg-type]
    return [(a.kind, a.status) for a in found if a is not None]


def test_preview_shows_who_and_how_many_and_writes_nothing() -> None:
    c = container()
    payments(c, 10)
    preview = c.search.retroactive.preview(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT)
    assert preview.count == 5
    assert [s.id for s in preview.sample] == ["acct_0", "acct_2", "acct_4", "acct_6", "acct_8"]
    assert not preview.over_cap and not preview.needs_approval
    assert c.search.retroactive.recent(ALICE) == []


def test_under_the_threshold_it_applies_and_undo_cancels_what_was_not_yet_done() -> None:
    c = container()
    payments(c, 10)
    retro = c.search.retroactive.request(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT, "sharing")
    assert retro.status is RetroStatus.APPLIED and len(retro.action_ids) == 5
    assert _actions(c, retro.action_ids) == [(ActionKind.ADD_LABEL, ActionStatus.PLANNED)] * 5
    undone = c.search.retroactive.undo(BOB, retro.id)
    assert undone.status is RetroStatus.UNDONE and undone.undo_ids == ()
    assert {s for _, s in _actions(c, retro.action_ids)} == {ActionStatus.FAILED}
    with pytest.raises(InvalidTransition):
        c.search.retroactive.undo(BOB, retro.id)


def test_undo_of_performed_actions_plans_their_compensation() -> None:
    c = container()
    payments(c, 4)
    retro = c.search.retroactive.request(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT, "sharing")
    c.dispatcher.run_once()
    assert {s for _, s in _actions(c, retro.action_ids)} == {ActionStatus.EXECUTED}
    undone = c.search.retroactive.undo(ALICE, retro.id)
    assert len(undone.undo_ids) == 2
    assert _actions(c, undone.undo_ids) == [(ActionKind.REMOVE_LABEL, ActionStatus.PLANNED)] * 2
    with c.uow() as uow:
        reversal = uow.actions.get(undone.undo_ids[0])
    assert reversal is not None and reversal.reverses == retro.action_ids[0]


def test_over_the_threshold_another_person_must_approve() -> None:
    c = container(retroactive_approval_over=3)
    payments(c, 10)
    retro = c.search.retroactive.request(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT, "sharing")
    assert retro.status is RetroStatus.PENDING_APPROVAL and retro.action_ids == ()
    senior = ADMIN
    alice_admin = ALICE.__class__(ALICE.id, ALICE.kind, ALICE.name, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        c.search.retroactive.approve(alice_admin, retro.id)
    with pytest.raises(PermissionDenied):
        c.search.retroactive.approve(BOB, retro.id)  # investigators may not approve
    approved = c.search.retroactive.approve(senior, retro.id)
    assert approved.status is RetroStatus.APPLIED and approved.approved_by == senior.actor
    assert len(_actions(c, approved.action_ids)) == 5


def test_over_the_cap_it_is_refused() -> None:
    c = container(retroactive_cap=4)
    payments(c, 10)
    preview = c.search.retroactive.preview(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT)
    assert preview.over_cap and preview.count == 5
    with pytest.raises(InvalidInput) as caught:
        c.search.retroactive.request(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT, "sharing")
    assert caught.value.field == "target"
    assert c.search.retroactive.recent(ALICE) == []


def test_a_ring_target_acts_on_its_members() -> None:
    c = container()
    payments(c, 3, declined_every=1)
    c.rings.detect()
    ring = c.rings.rings(ALICE)[0]
    target = Target(TargetKind.RING, ring.id)
    retro = c.search.retroactive.request(ALICE, target, LABEL, EntityKind.ACCOUNT, "ring")
    assert {s.id for s in retro.subjects} == {"acct_0", "acct_1", "acct_2"}
    with pytest.raises(NotFound):
        c.search.retroactive.preview(
            ALICE, Target(TargetKind.RING, "nope"), LABEL, EntityKind.ACCOUNT
        )


def test_bad_templates_and_missing_reasons_are_refused() -> None:
    c = container()
    payments(c, 2)
    with pytest.raises(InvalidInput) as caught:
        c.search.retroactive.request(
            ALICE, DECLINED, ActionTemplate(ActionKind.ADD_LABEL), EntityKind.ACCOUNT, "x"
        )
    assert caught.value.field == "params.label"
    with pytest.raises(InvalidInput) as caught:
        c.search.retroactive.request(ALICE, DECLINED, LABEL, EntityKind.ACCOUNT, " ")
    assert caught.value.field == "reason"
    unban = ActionTemplate(ActionKind.UNBAN_ACCOUNT)
    with pytest.raises(InvalidInput):
        c.search.retroactive.preview(ALICE, DECLINED, unban, EntityKind.ACCOUNT)
