"""Appeals: a challenge to an action, decided by someone other than whoever took it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.actions import Action, ActionStatus
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from garrison.domain.ids import ActionId, AppealId, CaseId, DecisionId

MAX_REASON_LENGTH = 4000


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class AppealOutcome(StrEnum):
    UPHOLD = "uphold"
    OVERTURN = "overturn"


@dataclass(frozen=True, slots=True)
class Origin:
    """What caused the appealed action: kept so an overturn counts against its rules and models."""

    actor: str
    policy: str | None
    policy_version: str | None
    decision_id: DecisionId | None
    case_id: CaseId | None
    rule_ids: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    release_version: str | None = None


@dataclass(frozen=True, slots=True)
class Appeal:
    id: AppealId
    action_id: ActionId
    subject: EntityRef
    appellant: str
    reason: str
    filed_at: datetime
    due_at: datetime
    origin: Origin
    status: AppealStatus = AppealStatus.OPEN
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    reversal_ids: tuple[ActionId, ...] = ()

    def overdue(self, now: datetime) -> bool:
        return self.status is AppealStatus.OPEN and now >= self.due_at

    def decide(
        self,
        outcome: AppealOutcome,
        *,
        by: str,
        at: datetime,
        note: str,
        reversal_ids: tuple[ActionId, ...] = (),
    ) -> Appeal:
        if self.status is not AppealStatus.OPEN:
            raise InvalidTransition(f"appeal {self.id} was already decided ({self.status})")
        if by == self.origin.actor:
            raise PermissionDenied(
                f"{by} took the appealed action; another reviewer must decide the appeal",
                field="reviewer",
            )
        status = (
            AppealStatus.OVERTURNED if outcome is AppealOutcome.OVERTURN else AppealStatus.UPHELD
        )
        return replace(
            self, status=status, decided_by=by, decided_at=at, note=note, reversal_ids=reversal_ids
        )


def check_appealable(action: Action, earlier: list[Appeal]) -> None:
    """Refuse an appeal of an action that is not in effect or already under (or past) appeal."""
    for appeal in earlier:
        if appeal.status is AppealStatus.OPEN:
            raise Conflict(
                f"action {action.id} is already under appeal ({appeal.id})", field="action_id"
            )
        raise Conflict(
            f"the appeal of action {action.id} was already decided ({appeal.status})",
            field="action_id",
        )
    if action.kind.compensation is None or action.kind.is_reversal:
        raise InvalidInput(f"a {action.kind} action cannot be appealed", field="action_id")
    if action.status is not ActionStatus.EXECUTED or action.reverted_by is not None:
        raise Conflict(f"action {action.id} is {action.status}, not in effect", field="action_id")


def origin_of(action: Action, decisions: Sequence[Decision]) -> Origin:
    """The actor, policy and the rules and models behind an action (those of its decision, or
    of the decisions its case gathered)."""
    hits = [h for d in decisions for h in d.hits]
    rules = tuple(sorted({h.rule for h in hits if action.policy in (None, h.policy)}))
    models = tuple(
        sorted({key for h in hits for key in h.inputs if key.startswith(("score", "model"))})
    )
    first = decisions[0] if decisions else None
    return Origin(
        action.actor,
        action.policy,
        action.policy_version or (first.policy_version if first else None),
        action.decision_id,
        action.case_id,
        rules,
        models,
        first.release_version if first else None,
    )


def due(filed_at: datetime, sla_seconds: int) -> datetime:
    return filed_at + timedelta(seconds=sla_seconds)
