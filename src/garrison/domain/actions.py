"""Enforcement actions: planned by decisions and reviews, performed by the dispatcher."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.events import JsonValue
from garrison.domain.ids import ActionId, CaseId, DecisionId


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

    @property
    def notifies_host(self) -> bool:
        """Whether performing the action means telling the host platform (by signed webhook)."""
        return self is not ActionKind.ENQUEUE_REVIEW


class ActionStatus(StrEnum):
    PLANNED = "planned"
    EXECUTED = "executed"
    FAILED = "failed"


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

    def executed(self, at: datetime) -> Action:
        if self.status is not ActionStatus.PLANNED:
            raise InvalidTransition(f"action {self.id} is {self.status}, not planned")
        return replace(self, status=ActionStatus.EXECUTED, executed_at=at, error=None)

    def failed(self, at: datetime, error: str) -> Action:
        if self.status is not ActionStatus.PLANNED:
            raise InvalidTransition(f"action {self.id} is {self.status}, not planned")
        return replace(self, status=ActionStatus.FAILED, executed_at=at, error=error)
