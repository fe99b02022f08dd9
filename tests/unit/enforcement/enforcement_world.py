"""The enforcement services over the in-memory store, a manual clock and recorded webhooks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import ActionId, DecisionId, EventId, PrincipalId
from garrison.domain.webhooks import RetryPolicy
from garrison.services.appeals import AppealService
from garrison.services.approvals import ApprovalService
from garrison.services.dispatch import Dispatcher, WebhookTarget
from garrison.services.enforcement import ActionRequest, EnforcementService
from garrison.services.ledger import EnforcementPolicy
from garrison.services.review import ensure_queues
from garrison.services.unit_of_work import StoredEvent

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ACCOUNT = EntityRef(EntityKind.ACCOUNT, "acct_1")


def person(name: str, role: Role = Role.REVIEWER) -> Principal:
    return Principal(PrincipalId(f"usr_{name}"), PrincipalKind.PERSON, name, role)


ALICE = person("alice")
BOB = person("bob")
SENIOR = person("sam", Role.SENIOR_REVIEWER)


@dataclass
class World:
    store: MemoryStore
    clock: ManualClock
    ids: SequentialIds
    transport: RecordingTransport
    dispatcher: Dispatcher
    enforcement: EnforcementService
    appeals: AppealService
    approvals: ApprovalService

    def see(self, subject: EntityRef = ACCOUNT, n: int = 1, **attributes: JsonValue) -> None:
        """Store an event naming the subject (so actions on it are allowed)."""
        event = Event(
            EventId(f"evt_{subject.id}_{n}"),
            "account.login",
            self.clock.now(),
            {subject.kind: subject.id},
            attributes,
        )
        with self.store.uow() as uow:
            uow.events.add(StoredEvent(event, "f", DecisionId(f"dec_{n}"), self.clock.now()))
            uow.commit()

    def take(self, kind: ActionKind, by: Principal = ALICE, **params: JsonValue) -> Action:
        return self.enforcement.take(by, ActionRequest(kind, ACCOUNT, params, policy="fraud"))

    def plan_automated(
        self, kind: ActionKind, subject: EntityRef = ACCOUNT, decision: DecisionId | None = None
    ) -> Action:
        """An action as a rule plans it: straight into the outbox, actor `system`."""
        action = Action(
            ActionId(self.ids.new("act")),
            kind,
            subject,
            {},
            ActionStatus.PLANNED,
            self.clock.now(),
            decision_id=decision,
            policy="fraud",
        )
        with self.store.uow() as uow:
            uow.actions.add([action])
            uow.commit()
        return action

    def action(self, action_id: ActionId) -> Action:
        with self.store.uow() as uow:
            found = uow.actions.get(action_id)
        assert found is not None
        return found

    def sent(self) -> list[dict[str, Any]]:
        """The `action` object of every webhook sent so far."""
        return [json.loads(r.body)["action"] for r in self.transport.sent]

    def dispatch(self) -> None:
        self.dispatcher.run_once()


def build_world(**policy: Any) -> World:
    store, clock, ids = MemoryStore(), ManualClock(T0), SequentialIds()
    transport = RecordingTransport()
    ensure_queues(store.uow, DEFAULT_QUEUES)
    rules = EnforcementPolicy(**policy)
    return World(
        store,
        clock,
        ids,
        transport,
        Dispatcher(
            store.uow,
            transport,
            clock,
            ids,
            webhook=WebhookTarget("http://host.test/hooks", "whsec"),
            retry=RetryPolicy(max_attempts=3, base_seconds=10),
            enforcement=rules,
        ),
        EnforcementService(store.uow, clock, ids, rules),
        AppealService(store.uow, clock, ids, sla_seconds=rules.appeal_sla_seconds),
        ApprovalService(store.uow, clock),
    )
