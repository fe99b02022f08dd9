"""Retroactive action: one action template applied to every member of a ring or every result of
a search, with a preview, a cap, a second approver above a threshold and a one-step undo.

requested -> pending_approval (more subjects than the threshold) -> applied (approved by another
person) | rejected; requested -> applied (at or under the threshold); applied -> undone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType

from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from garrison.domain.ids import ActionId

RetroActionId = NewType("RetroActionId", str)


class TargetKind(StrEnum):
    RING = "ring"
    QUERY = "query"


class RetroStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPLIED = "applied"
    REJECTED = "rejected"
    UNDONE = "undone"


@dataclass(frozen=True, slots=True)
class RetroLimits:
    cap: int = 1000
    """More subjects than this are refused outright."""
    approval_over: int = 25
    """More subjects than this wait for a second person."""

    def check(self, count: int) -> None:
        if count == 0:
            raise InvalidInput("the target has no subjects to act on", field="target")
        if count > self.cap:
            raise InvalidInput(
                f"{count} subjects is over the cap of {self.cap} for retroactive action",
                field="target",
            )

    def needs_approval(self, count: int) -> bool:
        return count > self.approval_over


@dataclass(frozen=True, slots=True)
class Target:
    kind: TargetKind
    ref: str
    """The ring id, or the search expression."""
    since: datetime | None = None
    until: datetime | None = None

    def describe(self) -> str:
        return f"ring {self.ref}" if self.kind is TargetKind.RING else f"query {self.ref!r}"


@dataclass(frozen=True, slots=True)
class RetroAction:
    id: RetroActionId
    target: Target
    template: ActionTemplate
    subjects: tuple[EntityRef, ...]
    reason: str
    requested_by: str
    created_at: datetime
    status: RetroStatus
    approved_by: str | None = None
    action_ids: tuple[ActionId, ...] = ()
    """The actions it planned (one per subject), once applied."""
    undo_ids: tuple[ActionId, ...] = ()
    """The compensating actions its undo planned."""
    decided_at: datetime | None = None
    undone_at: datetime | None = None
    undone_by: str | None = None

    def approve(self, by: str, at: datetime) -> RetroAction:
        """A second person approves (never the requester)."""
        self._must_be(RetroStatus.PENDING_APPROVAL)
        if by == self.requested_by:
            raise PermissionDenied(
                "a retroactive action over the threshold needs another person's approval"
            )
        return replace(self, approved_by=by, decided_at=at)

    def reject(self, by: str, at: datetime) -> RetroAction:
        self._must_be(RetroStatus.PENDING_APPROVAL)
        return replace(self, status=RetroStatus.REJECTED, approved_by=by, decided_at=at)

    def applied(self, action_ids: tuple[ActionId, ...], at: datetime) -> RetroAction:
        if self.status is not RetroStatus.PENDING_APPROVAL:
            raise InvalidTransition(f"retroactive action {self.id} is {self.status}")
        return replace(self, status=RetroStatus.APPLIED, action_ids=action_ids, decided_at=at)

    def undone(self, undo_ids: tuple[ActionId, ...], by: str, at: datetime) -> RetroAction:
        self._must_be(RetroStatus.APPLIED)
        return replace(
            self, status=RetroStatus.UNDONE, undo_ids=undo_ids, undone_at=at, undone_by=by
        )

    def _must_be(self, status: RetroStatus) -> None:
        if self.status is not status:
            raise InvalidTransition(
                f"retroactive action {self.id} is {self.status}, not {status}", field="status"
            )
