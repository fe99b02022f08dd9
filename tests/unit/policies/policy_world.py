"""Policy, transparency and wellness services over the in-memory store and a manual clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from garrison.adapters.fakes import ManualClock
from garrison.adapters.shipped_policies import shipped_playbooks, shipped_taxonomy
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.cases import DEFAULT_QUEUES, Case, CaseStatus
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import ActionId, CaseId, DecisionId, EventId, PrincipalId, QueueName
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.domain.wellness import WellnessRules
from garrison.services.policies import PolicyService, ensure_playbooks, ensure_taxonomy
from garrison.services.review import ensure_queues
from garrison.services.transparency import TransparencyService
from garrison.services.wellness import WellnessService

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ACCOUNT = EntityRef(EntityKind.ACCOUNT, "acct_9")


@dataclass
class PolicyWorld:
    store: MemoryStore
    clock: ManualClock
    policies: PolicyService
    transparency: TransparencyService
    wellness: WellnessService


def build() -> PolicyWorld:
    store, clock = MemoryStore(), ManualClock(T0)
    ensure_queues(store.uow, DEFAULT_QUEUES)
    ensure_taxonomy(store.uow, clock, shipped_taxonomy())
    ensure_playbooks(store.uow, clock, shipped_playbooks())
    rules = WellnessRules(daily_budget=2, break_after_minutes=30, break_after_items=3)
    return PolicyWorld(
        store,
        clock,
        PolicyService(store.uow, clock),
        TransparencyService(store.uow, clock),
        WellnessService(store.uow, clock, rules),
    )


def person(role: Role, name: str = "ana") -> Principal:
    return Principal(PrincipalId(f"usr_{name}"), PrincipalKind.PERSON, name, role)


def add_action(
    world: PolicyWorld,
    n: int,
    kind: ActionKind,
    *,
    policy: str | None = "fraud.card_testing",
    actor: str = "person:ana",
    subject: EntityRef = ACCOUNT,
) -> ActionId:
    action = Action(
        id=ActionId(f"act_{n}"),
        kind=kind,
        subject=subject,
        params={},
        status=ActionStatus.EXECUTED,
        created_at=world.clock.now(),
        policy=policy,
        actor=actor,
    )
    with world.store.uow() as uow:
        uow.actions.add([action])
        uow.commit()
    return action.id


def add_case(world: PolicyWorld, n: int, *policies: str, queue: str = "content") -> CaseId:
    """An open case whose one decision has a rule hit for each policy."""
    now = world.clock.now()
    hits = tuple(RuleHit(f"r_{p}", p, Verdict.REVIEW, 0.5, f"matched {p}", {}) for p in policies)
    decision = Decision(
        DecisionId(f"dec_{n}"), EventId(f"evt_{n}"), Verdict.REVIEW, 0.5, hits, "r1", "p1", now
    )
    case = Case(
        id=CaseId(f"case_{n}"),
        queue=QueueName(queue),
        subject=EntityRef(EntityKind.CONTENT, f"c_{n}"),
        status=CaseStatus.OPEN,
        priority=100,
        created_at=now,
        updated_at=now,
        decision_ids=(decision.id,),
    )
    with world.store.uow() as uow:
        uow.decisions.add(decision)
        uow.cases.add(case)
        uow.commit()
    return case.id
