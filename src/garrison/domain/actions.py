"""Enforcement actions: planned by decisions and reviews, performed by the dispatcher."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.entity_labels import parse_ttl
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.events import JsonValue
from garrison.domain.ids import ActionId, ApprovalId, CaseId, DecisionId

PERMANENT = "permanent"
"""A `duration` param that means no expiry, even for a kind that expires by default."""


class ActionKind(StrEnum):
    ENQUEUE_REVIEW = "enqueue_review"
    WARN = "warn"
    CHALLENGE = "challenge"
    RATE_LIMIT = "rate_limit"
    SPEND_CAP = "spend_cap"
    REVOKE_API_KEY = "revoke_api_key"
    SUSPEND_ACCOUNT = "suspend_account"
    BAN_ACCOUNT = "ban_account"
    REMOVE_CONTENT = "remove_content"
    ADD_LABEL = "add_label"
    NOTIFY_ACCOUNT_TEAM = "notify_account_team"
    # Compensating actions: each undoes one of the kinds above (see `compensation`).
    RETRACT_WARNING = "retract_warning"
    CLEAR_CHALLENGE = "clear_challenge"
    LIFT_RATE_LIMIT = "lift_rate_limit"
    LIFT_SPEND_CAP = "lift_spend_cap"
    REINSTATE_API_KEY = "reinstate_api_key"
    UNSUSPEND_ACCOUNT = "unsuspend_account"
    UNBAN_ACCOUNT = "unban_account"
    RESTORE_CONTENT = "restore_content"
    REMOVE_LABEL = "remove_label"

    @property
    def notifies_host(self) -> bool:
        """Whether performing the action means telling the host platform (by signed webhook)."""
        return self is not ActionKind.ENQUEUE_REVIEW

    @property
    def compensation(self) -> ActionKind | None:
        """The kind that undoes this one; None for kinds nothing undoes (reviews, notices)."""
        return _COMPENSATIONS.get(self)

    @property
    def is_reversal(self) -> bool:
        return self in _REVERSED

    @property
    def default_duration(self) -> int | None:
        """Seconds until an action of this kind expires when it names no `duration`."""
        return _DEFAULT_DURATIONS.get(self)


_COMPENSATIONS: dict[ActionKind, ActionKind] = {
    ActionKind.WARN: ActionKind.RETRACT_WARNING,
    ActionKind.CHALLENGE: ActionKind.CLEAR_CHALLENGE,
    ActionKind.RATE_LIMIT: ActionKind.LIFT_RATE_LIMIT,
    ActionKind.SPEND_CAP: ActionKind.LIFT_SPEND_CAP,
    ActionKind.REVOKE_API_KEY: ActionKind.REINSTATE_API_KEY,
    ActionKind.SUSPEND_ACCOUNT: ActionKind.UNSUSPEND_ACCOUNT,
    ActionKind.BAN_ACCOUNT: ActionKind.UNBAN_ACCOUNT,
    ActionKind.REMOVE_CONTENT: ActionKind.RESTORE_CONTENT,
    ActionKind.ADD_LABEL: ActionKind.REMOVE_LABEL,
}
_REVERSED = frozenset(_COMPENSATIONS.values())
_DEFAULT_DURATIONS: dict[ActionKind, int] = {
    ActionKind.RATE_LIMIT: 24 * 3600,
    ActionKind.SPEND_CAP: 7 * 24 * 3600,
    ActionKind.SUSPEND_ACCOUNT: 7 * 24 * 3600,
}


class ActionStatus(StrEnum):
    """planned -> executed | failed; executed -> reverted | expired (once its compensating
    action ran). High-impact actions start pending_approval (-> planned | rejected); an automated
    ban of a protected subject is withheld and becomes a case instead."""

    PLANNED = "planned"
    EXECUTED = "executed"
    FAILED = "failed"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    WITHHELD = "withheld"
    REVERTED = "reverted"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class ActionTemplate:
    """An action a rule or reviewer asks for; no `target` means the event's or case's subject."""

    kind: ActionKind
    params: Mapping[str, JsonValue] = field(default_factory=dict)
    target: EntityRef | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, JsonValue] | str, *, field_name: str) -> ActionTemplate:
        """Read `"ban_account"` or `{"kind": "rate_limit", "params": {...}, "target": "key:k1"}`."""
        if isinstance(raw, str):
            raw = {"kind": raw}
        kind_text = raw.get("kind")
        try:
            kind = ActionKind(str(kind_text))
        except ValueError:
            known = ", ".join(k.value for k in ActionKind)
            raise InvalidInput(
                f"unknown action kind {kind_text!r} (known: {known})",
                field=f"{field_name}.kind",
            ) from None
        params = raw.get("params") or {}
        if not isinstance(params, Mapping):
            raise InvalidInput("params must be an object", field=f"{field_name}.params")
        target_text = raw.get("target")
        target = (
            EntityRef.parse(str(target_text), field=f"{field_name}.target") if target_text else None
        )
        return cls(kind, dict(params), target)


@dataclass(frozen=True, slots=True)
class Action:
    """One planned or performed action. Idempotent by `id`: performing it twice has one effect."""

    id: ActionId
    kind: ActionKind
    subject: EntityRef
    params: Mapping[str, JsonValue]
    status: ActionStatus
    created_at: datetime
    decision_id: DecisionId | None = None
    case_id: CaseId | None = None
    policy: str | None = None
    actor: str = "system"
    executed_at: datetime | None = None
    error: str | None = None
    policy_version: str | None = None
    expires_at: datetime | None = None
    """Set when performed, from the `duration` param or the kind's default."""
    reverses: ActionId | None = None
    """For a compensating action: the action it undoes."""
    reverted_by: ActionId | None = None
    """The compensating action planned to undo this one."""
    idempotency_key: str | None = None
    approval_id: ApprovalId | None = None
    approved_by: str | None = None

    @property
    def automated(self) -> bool:
        """Planned by the engine (a rule or the expiry sweep), not by a person."""
        return self.actor == "system" or self.actor.startswith("system:")

    @property
    def duration(self) -> timedelta | None:
        """How long the action lasts once performed; None: until reversed."""
        raw = self.params.get("duration")
        if raw == PERMANENT:
            return None
        if raw is None:
            seconds = self.kind.default_duration
            return None if seconds is None else timedelta(seconds=seconds)
        return timedelta(seconds=parse_ttl(str(raw), field="params.duration"))

    @property
    def revokes_every_key(self) -> bool:
        """A key revocation aimed at an org or an account takes every key it holds."""
        return self.kind is ActionKind.REVOKE_API_KEY and self.subject.kind in (
            EntityKind.ORG,
            EntityKind.ACCOUNT,
        )

    def executed(self, at: datetime) -> Action:
        if self.status is not ActionStatus.PLANNED:
            raise InvalidTransition(f"action {self.id} is {self.status}, not planned")
        lasts = self.duration
        expires = at + lasts if lasts is not None else None
        return replace(
            self, status=ActionStatus.EXECUTED, executed_at=at, error=None, expires_at=expires
        )

    def failed(self, at: datetime, error: str) -> Action:
        if self.status is not ActionStatus.PLANNED:
            raise InvalidTransition(f"action {self.id} is {self.status}, not planned")
        return replace(self, status=ActionStatus.FAILED, executed_at=at, error=error)

    def awaiting(self, approval: ApprovalId) -> Action:
        """Hold a planned action until a second person approves it."""
        self._must_be(ActionStatus.PLANNED)
        return replace(self, status=ActionStatus.PENDING_APPROVAL, approval_id=approval)

    def approved(self, by: str) -> Action:
        self._must_be(ActionStatus.PENDING_APPROVAL)
        return replace(self, status=ActionStatus.PLANNED, approved_by=by)

    def rejected(self, by: str, at: datetime) -> Action:
        self._must_be(ActionStatus.PENDING_APPROVAL)
        return replace(
            self, status=ActionStatus.REJECTED, executed_at=at, error=f"rejected by {by}"
        )

    def withheld(self, at: datetime, reason: str) -> Action:
        """Not performed: a guardrail turned it into human review."""
        self._must_be(ActionStatus.PLANNED)
        return replace(self, status=ActionStatus.WITHHELD, executed_at=at, error=reason)

    def reversal(self, reversal_id: ActionId, *, actor: str, at: datetime, reason: str) -> Action:
        """The compensating action that undoes this one (planned; sent like any other)."""
        compensation = self.kind.compensation
        if compensation is None:
            raise InvalidInput(f"a {self.kind} action cannot be reversed", field="action_id")
        if self.status is not ActionStatus.EXECUTED or self.reverted_by is not None:
            raise InvalidTransition(f"action {self.id} is {self.status}, not in effect")
        params: dict[str, JsonValue] = {"reason": reason}
        if "label" in self.params:
            params["label"] = self.params["label"]
        return Action(
            id=reversal_id,
            kind=compensation,
            subject=self.subject,
            params=params,
            status=ActionStatus.PLANNED,
            created_at=at,
            decision_id=self.decision_id,
            case_id=self.case_id,
            policy=self.policy,
            actor=actor,
            policy_version=self.policy_version,
            reverses=self.id,
        )

    def being_reverted(self, by: ActionId) -> Action:
        """Remember the compensating action planned for this one (at most one is)."""
        return replace(self, reverted_by=by)

    def settled(self, *, expired: bool) -> Action:
        """Mark an action undone once its compensating action was performed."""
        status = ActionStatus.EXPIRED if expired else ActionStatus.REVERTED
        return replace(self, status=status)

    def _must_be(self, status: ActionStatus) -> None:
        if self.status is not status:
            raise InvalidTransition(f"action {self.id} is {self.status}, not {status}")


EXPIRY_REASON = "expired"
"""The `reason` param of a compensating action planned because its original ran out."""


def needs_second_approver(action: Action) -> bool:
    """High-impact actions wait for another person: bans and revoking every key at once."""
    return action.kind is ActionKind.BAN_ACCOUNT or action.revokes_every_key
