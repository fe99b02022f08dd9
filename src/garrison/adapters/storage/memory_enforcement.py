"""In-memory ledger queries, appeals and approvals: the reference the SQL adapters are held to.

`EnforcementState` is one field of the memory store's state; its containers are flat and their
values frozen, so the store's copy-per-unit-of-work keeps uncommitted changes invisible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Self

from garrison.domain.actions import Action, ActionStatus
from garrison.domain.appeals import Appeal, AppealStatus
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId, AppealId, ApprovalId
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class EnforcementState:
    appeals: dict[AppealId, Appeal] = field(default_factory=dict)
    approvals: dict[ApprovalId, Approval] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


def check_new_keys(stored: dict[ActionId, Action], batch: Sequence[Action]) -> None:
    """Raise DuplicateKey if an idempotency key of the batch is taken (as SQL's unique index)."""
    keys = [a.idempotency_key for a in batch if a.idempotency_key is not None]
    taken = {a.idempotency_key for a in stored.values() if a.idempotency_key is not None}
    if len(set(keys)) < len(keys) or taken.intersection(keys):
        raise DuplicateKey(f"idempotency key among {', '.join(keys)}")


def _newest_first(action: Action) -> tuple[datetime, str]:
    return (action.created_at, action.id)


class MemoryLedger:
    def __init__(self, actions: Callable[[], dict[ActionId, Action]]) -> None:
        self._actions = actions

    def by_key(self, idempotency_key: str) -> Action | None:
        found = (a for a in self._actions().values() if a.idempotency_key == idempotency_key)
        return next(found, None)

    def for_subject(self, subject: EntityRef, limit: int) -> list[Action]:
        found = [a for a in self._actions().values() if a.subject == subject]
        return sorted(found, key=_newest_first, reverse=True)[:limit]

    def expiring(self, now: datetime, limit: int) -> list[Action]:
        found = [
            a
            for a in self._actions().values()
            if a.status is ActionStatus.EXECUTED
            and a.reverted_by is None
            and a.expires_at is not None
            and a.expires_at <= now
        ]
        return sorted(found, key=lambda a: (a.expires_at, a.id))[:limit]

    def list(
        self,
        *,
        status: ActionStatus | None,
        subject: EntityRef | None,
        limit: int,
        offset: int = 0,
    ) -> list[Action]:
        found = [
            a
            for a in self._actions().values()
            if (status is None or a.status is status) and (subject is None or a.subject == subject)
        ]
        return sorted(found, key=_newest_first, reverse=True)[offset : offset + limit]


class MemoryAppeals:
    def __init__(self, state: Callable[[], EnforcementState]) -> None:
        self._state = state

    def add(self, appeal: Appeal) -> None:
        if appeal.id in self._state().appeals:
            raise DuplicateKey(f"appeal {appeal.id}")
        self._state().appeals[appeal.id] = appeal

    def get(self, appeal_id: AppealId) -> Appeal | None:
        return self._state().appeals.get(appeal_id)

    def save(self, appeal: Appeal) -> None:
        self._state().appeals[appeal.id] = appeal

    def for_action(self, action_id: ActionId) -> list[Appeal]:
        found = [a for a in self._state().appeals.values() if a.action_id == action_id]
        return sorted(found, key=lambda a: (a.filed_at, a.id))

    def list(self, *, status: AppealStatus | None, limit: int, offset: int = 0) -> list[Appeal]:
        found = [a for a in self._state().appeals.values() if status is None or a.status is status]
        return sorted(found, key=lambda a: (a.due_at, a.id))[offset : offset + limit]


class MemoryApprovals:
    def __init__(self, state: Callable[[], EnforcementState]) -> None:
        self._state = state

    def add(self, approval: Approval) -> None:
        if approval.id in self._state().approvals:
            raise DuplicateKey(f"approval {approval.id}")
        self._state().approvals[approval.id] = approval

    def get(self, approval_id: ApprovalId) -> Approval | None:
        return self._state().approvals.get(approval_id)

    def save(self, approval: Approval) -> None:
        self._state().approvals[approval.id] = approval

    def list(self, *, status: ApprovalStatus | None, limit: int) -> list[Approval]:
        found = [
            a for a in self._state().approvals.values() if status is None or a.status is status
        ]
        return sorted(found, key=lambda a: (a.created_at, a.id))[:limit]
