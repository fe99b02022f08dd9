"""A memory store with the quality services, and shortcuts to fill it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.appeals import Appeal
from garrison.domain.cases import DEFAULT_QUEUES, Outcome
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import CaseId, DecisionId, EventId, LabelId, PrincipalId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.services.qa import SamplePlan
from garrison.services.quality_services import QualityServices, build_quality
from garrison.services.review import ReviewService, ensure_queues
from garrison.services.unit_of_work import StoredEvent

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def person(name: str, role: Role = Role.REVIEWER) -> Principal:
    return Principal(PrincipalId(f"usr_{name}"), PrincipalKind.PERSON, name, role)


LEAD = person("lead", Role.SENIOR_REVIEWER)
ALICE = person("alice")
BOB = person("bob")


class NoAppeals:
    def __init__(self, appeals: list[Appeal] | None = None) -> None:
        self.appeals = appeals or []

    def decided(self, *, limit: int) -> list[Appeal]:
        return self.appeals[:limit]


@dataclass
class QualityWorld:
    store: MemoryStore
    clock: ManualClock
    ids: SequentialIds
    review: ReviewService
    quality: QualityServices
    appeals: NoAppeals

    def account(self, name: str) -> EntityRef:
        return EntityRef(EntityKind.ACCOUNT, name)

    def resolve(
        self, who: Principal, case_id: CaseId, outcome: Outcome, policy: str | None = None
    ) -> None:
        self.review.claim(who, case_id)
        self.review.resolve(who, case_id, outcome=outcome, policy=policy, actions=(), note="")

    def decided(
        self, n: int, account: str, verdict: Verdict, *hits: RuleHit, **attrs: Any
    ) -> Event:
        event = Event(
            EventId(f"evt_{n}"),
            str(attrs.pop("type", "content.submitted")),
            NOW - timedelta(hours=n + 1),
            {EntityKind.ACCOUNT: account},
            attrs,
        )
        decision = Decision(
            DecisionId(f"dec_{n}"), event.id, verdict, 0.0, tuple(hits), "1", "p1", NOW
        )
        with self.store.uow() as uow:
            uow.events.add(StoredEvent(event, f"fp{n}", decision.id, event.occurred_at))
            uow.decisions.add(decision)
            uow.commit()
        return event

    def label(
        self,
        account: str,
        value: LabelValue,
        policy: str | None,
        *,
        author: str = "person:rev",
        provenance: Provenance = Provenance.REVIEW,
        minutes: int = 0,
    ) -> Label:
        made = Label(
            LabelId(self.ids.new("lbl")),
            self.account(account),
            policy,
            value,
            provenance,
            author,
            NOW - timedelta(minutes=60 - minutes),
        )
        with self.store.uow() as uow:
            uow.labels.add(made)
            uow.commit()
        return made


def hit(rule: str, policy: str = "spam", inputs: dict[str, Any] | None = None) -> RuleHit:
    return RuleHit(rule, policy, Verdict.BLOCK, 1.0, "", inputs or {})


def build_quality_world(appeals: list[Appeal] | None = None) -> QualityWorld:
    store, clock, ids = MemoryStore(), ManualClock(NOW), SequentialIds()
    ensure_queues(store.uow, DEFAULT_QUEUES)
    source = NoAppeals(appeals)
    quality = build_quality(
        store.uow,
        clock,
        ids,
        source,
        sample_plan=SamplePlan(0.5, "test"),
        double_review_rate=0.5,
    )
    return QualityWorld(store, clock, ids, ReviewService(store.uow, clock, ids), quality, source)
