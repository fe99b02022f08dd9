"""Sample domain objects for the storage contract tests, and the Backend the fixtures hand out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from garrison.adapters.storage.sql import SqlStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.cases import Case, CaseStatus, Outcome, Resolution
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import (
    ActionId,
    CaseId,
    DecisionId,
    DeliveryId,
    EventId,
    LabelId,
    PrincipalId,
    QueueName,
)
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.domain.webhooks import Delivery, DeliveryStatus
from garrison.services.unit_of_work import ApiKeyRecord, StoredEvent, UnitOfWork, UserRecord

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ACCOUNT = EntityRef(EntityKind.ACCOUNT, "acct_1")

Factory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class Backend:
    name: str
    factory: Factory
    store: SqlStore | None = None

    @property
    def is_sql(self) -> bool:
        return self.store is not None


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def stored_event(
    event_id: str, *, when: datetime = T0, entities: dict[EntityKind, str] | None = None
) -> StoredEvent:
    event = Event(
        EventId(event_id),
        "payment.attempt",
        when,
        {EntityKind.ACCOUNT: "acct_1", EntityKind.IP: "10.0.0.1"} if entities is None else entities,
        {
            "amount": 12.5,
            "currency": "EUR",
            "ok": True,
            "note": None,
            "tags": ["a", "ü"],
            "card": {"bin": "424242", "country": "FR"},
        },
    )
    return StoredEvent(event, event.fingerprint(), DecisionId(f"dec_{event_id}"), when)


def decision(decision_id: str, *, event_id: str = "evt_1") -> Decision:
    hits = (
        RuleHit("card_testing", "fraud.cards", Verdict.BLOCK, 0.9, "many cards", {"n": 7}),
        RuleHit("new_account", "fraud.trial", None, 0.25, "young", {"age_h": 1.5, "x": None}),
    )
    return Decision(
        DecisionId(decision_id),
        EventId(event_id),
        Verdict.BLOCK,
        1.0,
        hits,
        "rel-3",
        "policy-2",
        T0,
        (ActionId("act_1"), ActionId("act_2")),
    )


def action(
    action_id: str,
    *,
    created: datetime = T0,
    decision_id: str | None = "dec_1",
    case_id: str | None = None,
    status: ActionStatus = ActionStatus.PLANNED,
) -> Action:
    return Action(
        id=ActionId(action_id),
        kind=ActionKind.RATE_LIMIT,
        subject=EntityRef(EntityKind.API_KEY, "key_9"),
        params={"per_minute": 10, "reason": ["velocity", "ip"]},
        status=status,
        created_at=created,
        decision_id=DecisionId(decision_id) if decision_id else None,
        case_id=CaseId(case_id) if case_id else None,
        policy="fraud.keys",
    )


def case(
    case_id: str,
    *,
    subject: EntityRef = ACCOUNT,
    queue: str = "fraud",
    priority: int = 100,
    created: datetime = T0,
    status: CaseStatus = CaseStatus.OPEN,
) -> Case:
    return Case(
        id=CaseId(case_id),
        queue=QueueName(queue),
        subject=subject,
        status=status,
        priority=priority,
        created_at=created,
        updated_at=created,
        decision_ids=(DecisionId("dec_1"), DecisionId("dec_2")),
    )


def resolution() -> Resolution:
    templates = (
        ActionTemplate(ActionKind.BAN_ACCOUNT),
        ActionTemplate(
            ActionKind.REVOKE_API_KEY, {"why": "resale"}, EntityRef(EntityKind.API_KEY, "k1")
        ),
    )
    return Resolution(
        Outcome.VIOLATING, "fraud.resale", templates, "sold keys", PrincipalId("usr_1"), at(60)
    )


def label(label_id: str, *, created: datetime = T0, subject: EntityRef = ACCOUNT) -> Label:
    return Label(
        LabelId(label_id),
        subject,
        "fraud.cards",
        LabelValue.VIOLATING,
        Provenance.REVIEW,
        "person:ana",
        created,
        CaseId("case_1"),
        created + timedelta(days=90),
    )


def principal(
    ident: str, role: Role = Role.REVIEWER, kind: PrincipalKind = PrincipalKind.PERSON
) -> Principal:
    return Principal(PrincipalId(ident), kind, f"name-{ident}", role)


def user(ident: str, email: str, role: Role = Role.REVIEWER) -> UserRecord:
    return UserRecord(principal(ident, role), email, "$argon2id$hash", T0)


def api_key(ident: str, key_hash: str, role: Role = Role.INGEST) -> ApiKeyRecord:
    return ApiKeyRecord(principal(ident, role, PrincipalKind.MACHINE), key_hash, T0)


def delivery(
    delivery_id: str,
    *,
    due: datetime = T0,
    created: datetime = T0,
    status: DeliveryStatus = DeliveryStatus.PENDING,
) -> Delivery:
    return Delivery(
        id=DeliveryId(delivery_id),
        action_id=ActionId("act_1"),
        url="https://host.example/hooks/garrison",
        body=b'{"kind":"ban_account"}\x00\xff',
        status=status,
        attempts=0,
        next_attempt_at=due,
        created_at=created,
    )
