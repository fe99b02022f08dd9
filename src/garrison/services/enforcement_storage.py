"""Storage ports of the enforcement ledger: ledger queries, appeals and approvals.

`Actions` (in `unit_of_work`) is the outbox the dispatcher drains; `Ledger` reads the same
actions the ways enforcement needs: by idempotency key, by subject, by expiry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from garrison.domain.actions import Action, ActionStatus
from garrison.domain.appeals import Appeal, AppealStatus
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId, AppealId, ApprovalId


class Ledger(Protocol):
    def by_key(self, idempotency_key: str) -> Action | None: ...
    def for_subject(self, subject: EntityRef, limit: int) -> list[Action]:
        """Newest first."""
        ...

    def expiring(self, now: datetime, limit: int) -> list[Action]:
        """Executed actions whose `expires_at <= now` and that nothing reverses yet, oldest
        expiry first; concurrent sweeps never get the same one."""
        ...

    def list(
        self,
        *,
        status: ActionStatus | None,
        subject: EntityRef | None,
        limit: int,
        offset: int = 0,
    ) -> list[Action]:
        """Newest first."""
        ...


class Appeals(Protocol):
    def add(self, appeal: Appeal) -> None: ...
    def get(self, appeal_id: AppealId) -> Appeal | None: ...
    def save(self, appeal: Appeal) -> None: ...
    def for_action(self, action_id: ActionId) -> list[Appeal]: ...
    def list(self, *, status: AppealStatus | None, limit: int, offset: int = 0) -> list[Appeal]:
        """Soonest due first."""
        ...


class Approvals(Protocol):
    def add(self, approval: Approval) -> None: ...
    def get(self, approval_id: ApprovalId) -> Approval | None: ...
    def save(self, approval: Approval) -> None: ...
    def list(self, *, status: ApprovalStatus | None, limit: int) -> list[Approval]:
        """Oldest first."""
        ...
