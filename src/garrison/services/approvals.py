"""Approvals: a second person lets a high-impact action go ahead, or stops it."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.errors import NotFound, PermissionDenied
from garrison.domain.ids import ApprovalId
from garrison.services import audit
from garrison.services.ledger import get_action
from garrison.services.ports import Clock
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ApprovalFile:
    approval: Approval
    actions: tuple[Action, ...]


class ApprovalService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def approvals(
        self, principal: Principal, *, status: ApprovalStatus | None = None, limit: int = 50
    ) -> list[Approval]:
        """Oldest first (the pending ones are a to-do list)."""
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            return uow.approvals.list(status=status, limit=limit)

    def get(self, principal: Principal, approval_id: ApprovalId) -> ApprovalFile:
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            approval = _get(uow, approval_id)
            return ApprovalFile(approval, tuple(get_action(uow, a) for a in approval.action_ids))

    def decide(
        self, principal: Principal, approval_id: ApprovalId, *, approve: bool, note: str = ""
    ) -> ApprovalFile:
        """Approve (the actions are planned and the dispatcher performs them) or reject them.

        Whoever asked for an action, or took part in asking, may not decide on it.
        """
        principal.require(Permission.APPROVE_ACTIONS)
        now = self._clock.now()
        with self._uow() as uow:
            approval = _get(uow, approval_id)
            actions = [get_action(uow, a) for a in approval.action_ids]
            if any(a.actor == principal.actor for a in actions):
                raise PermissionDenied(
                    f"{principal.actor} asked for these actions; another person must decide",
                    field="approver",
                )
            decided = approval.decide(approve=approve, by=principal.actor, at=now, note=note)
            after = [
                a.approved(principal.actor) if approve else a.rejected(principal.actor, now)
                for a in actions
            ]
            uow.approvals.save(decided)
            for action in after:
                uow.actions.save(action)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action=f"approval.{decided.status}",
                target=f"approval:{approval_id}",
                details={"actions": list(approval.action_ids), "note": note},
            )
            uow.commit()
        return ApprovalFile(decided, tuple(after))


def _get(uow: UnitOfWork, approval_id: ApprovalId) -> Approval:
    approval = uow.approvals.get(approval_id)
    if approval is None:
        raise NotFound(f"no approval {approval_id}", field="approval_id")
    return approval
