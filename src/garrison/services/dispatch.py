"""Dispatch: perform planned actions exactly once, and deliver signed webhooks to the host platform.

Performing an action and recording that it was performed commit together, so a crash in between
performs it again at most in the host's eyes: every webhook carries its delivery id, which the host
uses as an idempotency key. Webhooks are sent outside any transaction and retried with back-off
until they are delivered or dead-lettered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from garrison.domain.actions import Action, ActionKind
from garrison.domain.cases import Case, CaseStatus, priority_for
from garrison.domain.errors import InvalidInput, InvalidTransition, NotFound
from garrison.domain.ids import CaseId, DeliveryId
from garrison.domain.webhooks import (
    SIGNATURE_HEADER,
    Delivery,
    DeliveryStatus,
    RetryPolicy,
    sign,
)
from garrison.services import audit
from garrison.services.dispatch_routing import queue_for_action
from garrison.services.entity_labels import label_from_action
from garrison.services.ledger import EnforcementPolicy, gate, settle, sweep_expired
from garrison.services.ports import Clock, IdGenerator, TransportError, WebhookTransport
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DELIVERY_HEADER = "Garrison-Delivery"


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    url: str
    secret: str


@dataclass(slots=True)
class DispatchReport:
    performed: int = 0
    cases_opened: int = 0
    cases_extended: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    expired: int = 0
    held: int = 0
    """Actions a guardrail stopped: withheld bans and actions now waiting for approval."""
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        counts = (self.performed, self.delivered, self.retried, self.dead, self.expired, self.held)
        return any(counts)


class Dispatcher:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        transport: WebhookTransport,
        clock: Clock,
        ids: IdGenerator,
        *,
        webhook: WebhookTarget | None,
        retry: RetryPolicy,
        batch_size: int = 100,
        readers: UnitOfWorkFactory | None = None,
        enforcement: EnforcementPolicy | None = None,
    ) -> None:
        """`readers` open units that only read: looking for due webhooks is one, every pass."""
        self._enforcement = enforcement or EnforcementPolicy()
        self._uow = uow_factory
        self._readers = readers or uow_factory
        self._transport = transport
        self._clock = clock
        self._ids = ids
        self._webhook = webhook
        self._retry = retry
        self._batch = batch_size

    def run_once(self) -> DispatchReport:
        report = DispatchReport()
        self.expire_due(report)
        self.perform_planned(report)
        self.deliver_due(report)
        return report

    def expire_due(self, report: DispatchReport) -> None:
        """Plan the compensating action of every action whose time ran out (performed next)."""
        with self._uow() as uow:
            planned = sweep_expired(uow, self._ids, self._clock.now(), self._batch)
            if planned:
                uow.commit()
        report.expired += len(planned)

    def perform_planned(self, report: DispatchReport) -> None:
        with self._uow() as uow:
            for action in uow.actions.planned(self._batch):
                self._perform(uow, action, report)
            uow.commit()

    def _perform(self, uow: UnitOfWork, action: Action, report: DispatchReport) -> None:
        now = self._clock.now()
        if self._held(uow, action, report):
            return
        if action.kind is ActionKind.ENQUEUE_REVIEW:
            self._enqueue_review(uow, action, report)
        if action.kind is ActionKind.REMOVE_LABEL:
            uow.entity_labels.remove(action.subject, str(action.params.get("label", "")))
        if action.kind is ActionKind.ADD_LABEL and (failed := self._add_label(uow, action)):
            uow.actions.save(action.failed(now, failed))
            report.errors.append(f"{action.id}: {failed}")
            return
        try:
            done = action.executed(now)
        except InvalidInput as error:
            uow.actions.save(action.failed(now, error.message))
            report.errors.append(f"{action.id}: {error.message}")
            return
        if action.kind.notifies_host and self._webhook is not None:
            uow.deliveries.add(self._delivery(done, self._webhook))
        uow.actions.save(done)
        settle(uow, done)
        report.performed += 1
        audit.record(
            uow,
            self._clock,
            actor="system:dispatcher",
            action=f"action.{action.kind}",
            target=str(action.subject),
            details={
                "action_id": action.id,
                "decision_id": action.decision_id,
                "case_id": action.case_id,
            },
        )

    def _held(self, uow: UnitOfWork, action: Action, report: DispatchReport) -> bool:
        """Whether a guardrail stopped the action (withheld, or waiting for approval)."""
        held = gate(uow, self._ids, action, self._clock.now(), self._enforcement)
        if held is None:
            return False
        report.held += 1
        audit.record(
            uow,
            self._clock,
            actor="system:dispatcher",
            action=f"action.{held.status}",
            target=str(action.subject),
            details={"action_id": action.id, "approval_id": held.approval_id},
        )
        return True

    def _add_label(self, uow: UnitOfWork, action: Action) -> str | None:
        """Store the entity label the action names; why it cannot, or None."""
        return label_from_action(uow, self._clock, action)

    def _enqueue_review(self, uow: UnitOfWork, action: Action, report: DispatchReport) -> None:
        """Open a case for the subject, or attach the decision to the subject's open case."""
        now = self._clock.now()
        decision = uow.decisions.get(action.decision_id) if action.decision_id else None
        priority = priority_for(decision.verdict.rank, decision.score) if decision else 0
        decisions = (decision.id,) if decision else ()
        existing = uow.cases.open_for(action.subject)
        if existing is not None:
            updated = existing
            for decision_id in decisions:
                updated = updated.attach(decision_id, priority, now)
            uow.cases.save(updated)
            report.cases_extended += 1
            return
        case = Case(
            CaseId(self._ids.new("case")),
            queue_for_action(uow, action, decision),
            action.subject,
            CaseStatus.OPEN,
            priority,
            now,
            now,
            decision_ids=decisions,
            queued_at=now,
        )
        uow.cases.add(case)
        report.cases_opened += 1

    def _delivery(self, action: Action, target: WebhookTarget) -> Delivery:
        now = self._clock.now()
        delivery_id = DeliveryId(self._ids.new("dlv"))
        payload = {
            "type": "action.executed",
            "delivery_id": delivery_id,
            "occurred_at": now.isoformat(),
            "action": {
                "id": action.id,
                "kind": action.kind.value,
                "subject": str(action.subject),
                "params": dict(action.params),
                "policy": action.policy,
                "decision_id": action.decision_id,
                "case_id": action.case_id,
                "actor": action.actor,
                "policy_version": action.policy_version,
                "expires_at": _iso(action.expires_at),
                "reverses": action.reverses,
            },
        }
        body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return Delivery(
            delivery_id,
            action.id,
            target.url,
            body,
            DeliveryStatus.PENDING,
            0,
            now,
            now,
        )

    def deliver_due(self, report: DispatchReport) -> None:
        with self._readers() as uow:
            due = uow.deliveries.due(self._clock.now(), self._batch)
        outcomes = [self._send(delivery) for delivery in due]
        if not outcomes:
            return
        with self._uow() as uow:
            for delivery in outcomes:
                uow.deliveries.save(delivery)
                if delivery.status is DeliveryStatus.DELIVERED:
                    report.delivered += 1
                elif delivery.status is DeliveryStatus.DEAD:
                    report.dead += 1
                    report.errors.append(f"{delivery.id}: {delivery.last_error}")
                    audit.record(
                        uow,
                        self._clock,
                        actor="system:dispatcher",
                        action="webhook.dead_lettered",
                        target=f"delivery:{delivery.id}",
                        details={
                            "action_id": delivery.action_id,
                            "error": delivery.last_error,
                        },
                    )
                else:
                    report.retried += 1
            uow.commit()

    def _send(self, delivery: Delivery) -> Delivery:
        secret = self._webhook.secret if self._webhook else ""
        now = self._clock.now()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, int(now.timestamp()), delivery.body),
            DELIVERY_HEADER: delivery.id,
        }
        try:
            status = self._transport.post(delivery.url, delivery.body, headers)
        except TransportError as error:
            return delivery.failed(self._clock.now(), str(error), self._retry)
        if 200 <= status < 300:
            return delivery.succeeded(self._clock.now())
        return delivery.failed(self._clock.now(), f"host answered HTTP {status}", self._retry)

    def deliveries(self, *, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        """Webhook deliveries, newest first (dead-lettered ones with `status=DEAD`)."""
        with self._uow() as uow:
            return uow.deliveries.list(status=status, limit=limit)

    def retry_dead(self, delivery_id: DeliveryId, *, actor: str) -> Delivery:
        """Put a dead-lettered delivery back in line."""
        with self._uow() as uow:
            delivery = uow.deliveries.get(delivery_id)
            if delivery is None:
                raise NotFound(f"no delivery {delivery_id}", field="delivery_id")
            if delivery.status is not DeliveryStatus.DEAD:
                raise InvalidTransition(f"delivery {delivery_id} is {delivery.status}, not dead")
            retried = delivery.retried(self._clock.now())
            uow.deliveries.save(retried)
            audit.record(
                uow,
                self._clock,
                actor=actor,
                action="webhook.retry",
                target=f"delivery:{delivery_id}",
            )
            uow.commit()
        return retried


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
