"""Enforcement: take, reverse and bulk actions by hand, strike ladders, and the ledger's views.

Actions taken here go through the same outbox as those rules plan: the dispatcher performs them
and tells the host platform by signed webhook. Each is idempotent by its idempotency key (the
same key with the same request returns the first action; with another request it is refused).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionKind, ActionStatus, needs_second_approver
from garrison.domain.entities import EntityRef
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.domain.events import JsonValue
from garrison.domain.ids import ActionId, CaseId
from garrison.services import audit
from garrison.services.ledger import (
    EnforcementPolicy,
    get_action,
    plan_reversal,
    plan_strike,
    request_approval,
)
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork, UnitOfWorkFactory

MAX_BULK = 1000


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """What a person asks for; `policy_version` names the policy text the action relies on."""

    kind: ActionKind
    subject: EntityRef
    params: Mapping[str, JsonValue]
    policy: str | None = None
    policy_version: str | None = None
    case_id: CaseId | None = None
    idempotency_key: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """An action with what became of it: its compensating action, if any."""

    action: Action
    reversal: Action | None


class EnforcementService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        policy: EnforcementPolicy | None = None,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self.policy = policy or EnforcementPolicy()

    def take(self, principal: Principal, request: ActionRequest) -> Action:
        """Plan one action (pending approval if it is high-impact)."""
        principal.require(Permission.TAKE_ACTIONS)
        _check_kind(request.kind)
        with self._uow() as uow:
            key = request.idempotency_key
            if key and (same := _replay(uow, request, key)) is not None:
                return same
            _require_known(uow, request.subject)
            action = self._new(principal, request)
            _check_duration(action)
            uow.actions.add([action])
            if self.policy.second_approver and needs_second_approver(action):
                request_approval(uow, self._ids, [action], "high-impact action", action.created_at)
            stored = get_action(uow, action.id)
            self._audit(uow, principal, "action.take", stored, request.reason)
            try:
                uow.commit()
            except DuplicateKey:
                raise Conflict(
                    f"idempotency key {key!r} was taken by a concurrent request; retry it",
                    field="idempotency_key",
                ) from None
        return stored

    def bulk(
        self, principal: Principal, requests: Sequence[ActionRequest], *, reason: str
    ) -> list[Action]:
        """Plan many actions at once; above the bulk threshold they all wait for approval."""
        principal.require(Permission.TAKE_ACTIONS)
        if not requests or len(requests) > MAX_BULK:
            raise InvalidInput(f"a bulk holds 1 to {MAX_BULK} actions", field="actions")
        for request in requests:
            _check_kind(request.kind)
        with self._uow() as uow:
            for request in requests:
                _require_known(uow, request.subject)
            actions = [self._new(principal, r) for r in requests]
            for action in actions:
                _check_duration(action)
            uow.actions.add(actions)
            now = self._clock.now()
            if len(actions) > self.policy.bulk_threshold:
                request_approval(uow, self._ids, actions, f"bulk of {len(actions)}: {reason}", now)
            elif self.policy.second_approver:
                for action in actions:
                    if needs_second_approver(action):
                        request_approval(uow, self._ids, [action], "high-impact action", now)
            stored = [get_action(uow, a.id) for a in actions]
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="action.bulk",
                target=f"actions:{len(stored)}",
                details={"actions": [a.id for a in stored], "reason": reason},
            )
            uow.commit()
        return stored

    def reverse(self, principal: Principal, action_id: ActionId, *, reason: str) -> Action:
        """Plan the compensating action of an action in effect (idempotent)."""
        principal.require(Permission.TAKE_ACTIONS)
        with self._uow() as uow:
            action = get_action(uow, action_id)
            reversal = plan_reversal(
                uow, self._ids, action, actor=principal.actor, at=self._clock.now(), reason=reason
            )
            self._audit(uow, principal, "action.reverse", reversal, reason)
            uow.commit()
        return reversal

    def strike(
        self,
        principal: Principal,
        subject: EntityRef,
        *,
        policy: str,
        case_id: CaseId | None = None,
        policy_version: str | None = None,
    ) -> Action:
        """Take the next rung of the policy's strike ladder against the subject."""
        principal.require(Permission.TAKE_ACTIONS)
        if not policy:
            raise InvalidInput("a strike names the policy it enforces", field="policy")
        with self._uow() as uow:
            _require_known(uow, subject)
            action = plan_strike(
                uow,
                self._ids,
                self.policy.ladders,
                subject=subject,
                policy=policy,
                actor=principal.actor,
                at=self._clock.now(),
                case_id=case_id,
                policy_version=policy_version,
            )
            self._audit(uow, principal, "action.strike", action, "")
            uow.commit()
        return action

    def get(self, principal: Principal, action_id: ActionId) -> LedgerEntry:
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            action = get_action(uow, action_id)
            reversal = uow.actions.get(action.reverted_by) if action.reverted_by else None
            return LedgerEntry(action, reversal)

    def actions(
        self,
        principal: Principal,
        *,
        status: ActionStatus | None = None,
        subject: EntityRef | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Action]:
        """Newest first."""
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            return uow.ledger.list(status=status, subject=subject, limit=limit, offset=offset)

    def _new(self, principal: Principal, request: ActionRequest) -> Action:
        return Action(
            id=ActionId(self._ids.new("act")),
            kind=request.kind,
            subject=request.subject,
            params=dict(request.params),
            status=ActionStatus.PLANNED,
            created_at=self._clock.now(),
            case_id=request.case_id,
            policy=request.policy,
            actor=principal.actor,
            policy_version=request.policy_version,
            idempotency_key=request.idempotency_key,
        )

    def _audit(
        self, uow: UnitOfWork, principal: Principal, what: str, action: Action, reason: str
    ) -> None:
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=what,
            target=str(action.subject),
            details={
                "action_id": action.id,
                "kind": action.kind.value,
                "status": action.status.value,
                "reason": reason,
            },
        )


def _check_kind(kind: ActionKind) -> None:
    if kind is ActionKind.ENQUEUE_REVIEW or kind.is_reversal:
        raise InvalidInput(
            f"{kind} is not taken by hand (open a case, or reverse the action instead)",
            field="kind",
        )


def _check_duration(action: Action) -> None:
    _ = action.duration  # raises InvalidInput naming params.duration


def _replay(uow: UnitOfWork, request: ActionRequest, key: str) -> Action | None:
    """The action an earlier request with this idempotency key made, if it asked the same."""
    earlier = uow.ledger.by_key(key)
    if earlier is None:
        return None
    same = (earlier.kind, earlier.subject, dict(earlier.params), earlier.policy) == (
        request.kind,
        request.subject,
        dict(request.params),
        request.policy,
    )
    if not same:
        raise Conflict(
            f"idempotency key {key!r} was used for another action ({earlier.id})",
            field="idempotency_key",
        )
    return earlier


def _require_known(uow: UnitOfWork, subject: EntityRef) -> None:
    """Refuse an action on an entity Garrison has never seen in an event, case or action."""
    if uow.events.for_entity(subject, 1):
        return
    if uow.cases.open_for(subject) is not None or uow.ledger.for_subject(subject, 1):
        return
    if uow.labels.for_subject(subject):
        return
    raise NotFound(f"no event, case, label or action names {subject}", field="subject")
