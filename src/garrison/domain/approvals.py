"""Approvals: the second person a high-impact action waits for (four-eyes rule)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.errors import InvalidTransition, PermissionDenied
from garrison.domain.ids import ActionId, ApprovalId


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Approval:
    """A request to let one action (or a bulk of them) go ahead.

    `requested_by` is the actor who asked for the actions; nobody may approve their own request.
    """

    id: ApprovalId
    action_ids: tuple[ActionId, ...]
    reason: str
    requested_by: str
    created_at: datetime
    status: ApprovalStatus = ApprovalStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""

    def decide(self, *, approve: bool, by: str, at: datetime, note: str) -> Approval:
        if self.status is not ApprovalStatus.PENDING:
            raise InvalidTransition(f"approval {self.id} was already {self.status}")
        if by == self.requested_by:
            raise PermissionDenied(
                f"{by} asked for these actions; another person must approve or reject them",
                field="approver",
            )
        status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        return replace(self, status=status, decided_by=by, decided_at=at, note=note)
