"""The enforcement ledger's queries, appeals and approvals: the same on every backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from contract_samples import T0, Factory, action, at

from garrison.domain.actions import ActionStatus
from garrison.domain.appeals import Appeal, AppealOutcome, AppealStatus, Origin
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import ActionId, AppealId, ApprovalId, CaseId, DecisionId
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork

KEY = EntityRef(EntityKind.API_KEY, "key_9")


def _add_and_commit(uow_factory: Factory, add: Callable[[UnitOfWork], None]) -> None:
    """A collision may be raised when adding or when committing."""
    with uow_factory() as uow:
        add(uow)
        uow.commit()


def test_every_ledger_field_round_trips(uow_factory: Factory) -> None:
    full = replace(
        action("act_1").executed(at(1)),
        policy_version="pol-2",
        reverses=ActionId("act_0"),
        reverted_by=ActionId("act_2"),
        idempotency_key="host-1",
        approval_id=ApprovalId("apv_1"),
        approved_by="person:pat",
    )
    with uow_factory() as uow:
        uow.actions.add([full])
        uow.commit()
    with uow_factory() as uow:
        assert uow.actions.get(ActionId("act_1")) == full
        assert uow.ledger.by_key("host-1") == full
        assert uow.ledger.by_key("other") is None


def test_an_idempotency_key_is_unique(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.actions.add([replace(action("act_1"), idempotency_key="k")])
        uow.commit()
    with pytest.raises(DuplicateKey):
        _add_and_commit(
            uow_factory,
            lambda uow: uow.actions.add([replace(action("act_2"), idempotency_key="k")]),
        )


def test_expiring_finds_executed_unreverted_actions_that_ran_out(uow_factory: Factory) -> None:
    due = action("act_due").executed(T0)  # rate_limit: 24h
    later = action("act_later", created=at(10)).executed(at(10))
    undone = action("act_undone").executed(T0).being_reverted(ActionId("act_x"))
    with uow_factory() as uow:
        uow.actions.add([due, later, undone, action("act_planned")])
        uow.commit()
    with uow_factory() as uow:
        assert uow.ledger.expiring(at(86400), 10) == [due]
        assert [a.id for a in uow.ledger.expiring(at(86410), 10)] == ["act_due", "act_later"]
        assert uow.ledger.expiring(at(86399), 10) == []


def test_ledger_lists_newest_first_by_subject_and_status(uow_factory: Factory) -> None:
    other = replace(action("act_other", created=at(5)), subject=EntityRef(EntityKind.ORG, "o"))
    with uow_factory() as uow:
        uow.actions.add([action("act_1"), action("act_2", created=at(1)), other])
        uow.commit()
    with uow_factory() as uow:
        assert [a.id for a in uow.ledger.for_subject(KEY, 10)] == ["act_2", "act_1"]
        assert [a.id for a in uow.ledger.list(status=None, subject=None, limit=2)] == [
            "act_other",
            "act_2",
        ]
        assert uow.ledger.list(status=ActionStatus.EXECUTED, subject=None, limit=5) == []
        assert [a.id for a in uow.ledger.list(status=None, subject=KEY, limit=5, offset=1)] == [
            "act_1"
        ]


def _appeal(appeal_id: str, action_id: str, due_in: float) -> Appeal:
    origin = Origin(
        "person:alice",
        "spam",
        "pol-1",
        DecisionId("dec_1"),
        CaseId("case_1"),
        ("rule_a",),
        ("score.x",),
        "r1",
    )
    return Appeal(
        AppealId(appeal_id), ActionId(action_id), KEY, "account:a", "why", T0, at(due_in), origin
    )


def test_appeals_round_trip_and_list_soonest_due_first(uow_factory: Factory) -> None:
    first, second = _appeal("apl_1", "act_1", 100), _appeal("apl_2", "act_2", 50)
    with uow_factory() as uow:
        uow.appeals.add(first)
        uow.appeals.add(second)
        uow.commit()
    decided = first.decide(
        AppealOutcome.OVERTURN, by="person:bob", at=at(3), note="ok", reversal_ids=(ActionId("r"),)
    )
    with uow_factory() as uow:
        assert uow.appeals.get(AppealId("apl_1")) == first
        uow.appeals.save(decided)
        uow.commit()
    with uow_factory() as uow:
        assert uow.appeals.get(AppealId("apl_1")) == decided
        assert uow.appeals.for_action(ActionId("act_1")) == [decided]
        assert [a.id for a in uow.appeals.list(status=None, limit=5)] == ["apl_2", "apl_1"]
        assert uow.appeals.list(status=AppealStatus.OPEN, limit=5) == [second]
    with pytest.raises(DuplicateKey):
        _add_and_commit(uow_factory, lambda uow: uow.appeals.add(second))


def test_approvals_round_trip_and_list_oldest_first(uow_factory: Factory) -> None:
    one = Approval(ApprovalId("apv_1"), (ActionId("a1"), ActionId("a2")), "bulk", "person:a", T0)
    two = Approval(ApprovalId("apv_2"), (ActionId("a3"),), "ban", "system", at(1))
    with uow_factory() as uow:
        uow.approvals.add(two)
        uow.approvals.add(one)
        uow.commit()
    approved = one.decide(approve=True, by="person:b", at=at(2), note="fine")
    with uow_factory() as uow:
        uow.approvals.save(approved)
        uow.commit()
    with uow_factory() as uow:
        assert uow.approvals.get(ApprovalId("apv_1")) == approved
        assert uow.approvals.list(status=None, limit=5) == [approved, two]
        assert uow.approvals.list(status=ApprovalStatus.PENDING, limit=5) == [two]
