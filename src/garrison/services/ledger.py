"""The enforcement ledger's steps inside a caller's unit of work.

Shared by the dispatcher (guardrails, approvals, expiry), the enforcement and appeal services,
and review (a resolution without actions takes the next rung of the policy's strike ladder).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from garrison.domain.actions import (
    EXPIRY_REASON,
    Action,
    ActionKind,
    ActionStatus,
    needs_second_approver,
)
from garrison.domain.approvals import Approval
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidTransition, NotFound
from garrison.domain.ids import ActionId, ApprovalId, CaseId
from garrison.domain.strikes import DEFAULT_LADDER, StrikeLadders, strikes_so_far
from garrison.services.guardrails import hold_ban, protection
from garrison.services.ports import IdGenerator
from garrison.services.unit_of_work import UnitOfWork

SUBJECT_HISTORY = 500
"""How many of a subject's actions are read to count its strikes."""


@dataclass(frozen=True, slots=True)
class EnforcementPolicy:
    """Settings of the ledger (from `Settings` in bootstrap)."""

    ladders: StrikeLadders = field(default_factory=lambda: StrikeLadders.parse(DEFAULT_LADDER, {}))
    second_approver: bool = True
    """Whether bans and org-wide key revocations wait for a second person."""
    bulk_threshold: int = 10
    """A bulk of more actions than this waits for a second person."""
    appeal_sla_seconds: int = 72 * 3600


def get_action(uow: UnitOfWork, action_id: ActionId) -> Action:
    action = uow.actions.get(action_id)
    if action is None:
        raise NotFound(f"no action {action_id}", field="action_id")
    return action


def gate(
    uow: UnitOfWork, ids: IdGenerator, action: Action, at: datetime, policy: EnforcementPolicy
) -> Action | None:
    """Stop a planned action a guardrail holds: an automated ban of a protected subject is
    withheld (sensitive case + account team notice); a high-impact action nobody approved yet
    waits for approval. The stored, held action, or None to go ahead."""
    if action.automated and action.kind is ActionKind.BAN_ACCOUNT:
        reason = protection(uow, action.subject, at)
        if reason is not None:
            return hold_ban(uow, ids, action, reason, at)[0]
    if policy.second_approver and action.approved_by is None and needs_second_approver(action):
        approval = request_approval(uow, ids, [action], "high-impact action", at)
        return uow.actions.get(approval.action_ids[0])
    return None


def request_approval(
    uow: UnitOfWork, ids: IdGenerator, actions: Sequence[Action], reason: str, at: datetime
) -> Approval:
    """Hold planned actions (stored or not yet) until another person approves them."""
    approval_id = ApprovalId(ids.new("apv"))
    requesters = sorted({a.actor for a in actions})
    approval = Approval(
        approval_id, tuple(a.id for a in actions), reason, ", ".join(requesters), at
    )
    uow.approvals.add(approval)
    for action in actions:
        uow.actions.save(action.awaiting(approval_id))
    return approval


def plan_reversal(
    uow: UnitOfWork, ids: IdGenerator, action: Action, *, actor: str, at: datetime, reason: str
) -> Action:
    """Plan the compensating action of an action in effect (the same one if already planned)."""
    if action.reverted_by is not None:
        existing = uow.actions.get(action.reverted_by)
        if existing is not None:
            return existing
    if action.status is not ActionStatus.EXECUTED:
        raise InvalidTransition(f"action {action.id} is {action.status}, not in effect")
    reversal = action.reversal(ActionId(ids.new("act")), actor=actor, at=at, reason=reason)
    uow.actions.add([reversal])
    uow.actions.save(action.being_reverted(reversal.id))
    return reversal


def sweep_expired(uow: UnitOfWork, ids: IdGenerator, at: datetime, limit: int) -> list[Action]:
    """Plan the compensating action of every action whose time ran out."""
    return [
        plan_reversal(uow, ids, action, actor="system:expiry", at=at, reason=EXPIRY_REASON)
        for action in uow.ledger.expiring(at, limit)
    ]


def settle(uow: UnitOfWork, reversal: Action) -> None:
    """Once a compensating action is performed, mark its original reverted (or expired)."""
    if reversal.reverses is None:
        return
    original = uow.actions.get(reversal.reverses)
    if original is not None and original.status is ActionStatus.EXECUTED:
        expired = reversal.params.get("reason") == EXPIRY_REASON
        uow.actions.save(original.settled(expired=expired))


def plan_strike(
    uow: UnitOfWork,
    ids: IdGenerator,
    ladders: StrikeLadders,
    *,
    subject: EntityRef,
    policy: str,
    actor: str,
    at: datetime,
    case_id: CaseId | None = None,
    policy_version: str | None = None,
) -> Action:
    """Plan (and add) the next rung of the policy's strike ladder for the subject."""
    action = next_strike(
        uow,
        ids,
        ladders,
        subject=subject,
        policy=policy,
        actor=actor,
        at=at,
        case_id=case_id,
        policy_version=policy_version,
    )
    uow.actions.add([action])
    return action


def next_strike(
    uow: UnitOfWork,
    ids: IdGenerator,
    ladders: StrikeLadders,
    *,
    subject: EntityRef,
    policy: str,
    actor: str,
    at: datetime,
    case_id: CaseId | None = None,
    policy_version: str | None = None,
) -> Action:
    """The next rung of the policy's strike ladder for the subject, as a planned action not yet
    added (review's resolution adds it with its other actions)."""
    strike = strikes_so_far(uow.ledger.for_subject(subject, SUBJECT_HISTORY), policy) + 1
    template = ladders.for_policy(policy).rung(strike)
    return Action(
        id=ActionId(ids.new("act")),
        kind=template.kind,
        subject=template.target or subject,
        params=dict(template.params),
        status=ActionStatus.PLANNED,
        created_at=at,
        case_id=case_id,
        policy=policy,
        actor=actor,
        policy_version=policy_version,
    )
