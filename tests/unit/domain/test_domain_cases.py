from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.cases import (
    ESCALATION_QUEUE,
    Case,
    CaseStatus,
    Outcome,
    Resolution,
    priority_for,
)
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidTransition
from garrison.domain.ids import CaseId, DecisionId, PrincipalId, QueueName

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ALICE, BOB = PrincipalId("alice"), PrincipalId("bob")


def new_case() -> Case:
    subject = EntityRef(EntityKind.ACCOUNT, "a1")
    return Case(CaseId("c1"), QueueName("default"), subject, CaseStatus.OPEN, 10, T0, T0)


def resolution(outcome: Outcome, by: PrincipalId = ALICE) -> Resolution:
    return Resolution(outcome, "fraud.x", (), "note", by, T0 + timedelta(minutes=5))


def test_claim_then_resolve() -> None:
    case = new_case().claim(ALICE, T0)
    assert (case.status, case.assignee) == (CaseStatus.CLAIMED, ALICE)
    assert case.claim(ALICE, T0) == case  # re-claiming your own case is harmless
    done = case.resolve(resolution(Outcome.VIOLATING))
    assert done.status is CaseStatus.RESOLVED and done.resolution is not None


def test_cannot_take_someone_elses_case_or_resolve_unclaimed() -> None:
    with pytest.raises(InvalidTransition):
        new_case().resolve(resolution(Outcome.VIOLATING))
    claimed = new_case().claim(ALICE, T0)
    with pytest.raises(InvalidTransition):
        claimed.claim(BOB, T0)
    with pytest.raises(InvalidTransition):
        claimed.resolve(resolution(Outcome.NOT_VIOLATING, by=BOB))


def test_resolved_case_cannot_be_claimed() -> None:
    done = new_case().claim(ALICE, T0).resolve(resolution(Outcome.NOT_VIOLATING))
    with pytest.raises(InvalidTransition):
        done.claim(BOB, T0)


def test_escalate_moves_to_escalation_queue_unclaimed() -> None:
    moved = new_case().claim(ALICE, T0).resolve(resolution(Outcome.ESCALATE))
    assert (moved.queue, moved.status, moved.assignee) == (ESCALATION_QUEUE, CaseStatus.OPEN, None)
    with pytest.raises(InvalidTransition):
        moved.claim(BOB, T0).resolve(resolution(Outcome.ESCALATE, by=BOB))


def test_attach_keeps_highest_priority_and_is_idempotent() -> None:
    case = new_case().attach(DecisionId("d1"), 50, T0).attach(DecisionId("d1"), 99, T0)
    assert case.decision_ids == ("d1",) and case.priority == 50
    assert case.attach(DecisionId("d2"), 5, T0).priority == 50
    assert priority_for(3, 0.0) > priority_for(2, 1.0)
