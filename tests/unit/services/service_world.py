"""Services over the in-memory store, a manual clock, sequential ids and a hand-built release."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import SYSTEM, Principal, PrincipalKind, Role
from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId, PrincipalId
from garrison.domain.rules import CompiledRule, EvalContext, Release, Rule
from garrison.domain.signals import FieldRef, Needs, VelocitySpec
from garrison.domain.verdicts import Verdict
from garrison.domain.webhooks import RetryPolicy
from garrison.services.dispatch import Dispatcher, WebhookTarget
from garrison.services.ingest import IngestService
from garrison.services.review import ReviewService, ensure_queues

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DECLINES_1H = VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 3600, "payment.attempt")


def compiled(
    name: str,
    fires: Callable[[EvalContext], bool],
    *,
    verdict: Verdict | None = None,
    score: float = 0.0,
    actions: tuple[ActionTemplate, ...] = (),
    velocity: frozenset[VelocitySpec] = frozenset(),
) -> CompiledRule:
    rule = Rule(name, "<python>", f"test.{name}", verdict=verdict, score=score, actions=actions)
    return CompiledRule(rule, fires, lambda ctx: {}, Needs(velocity=velocity))


def build_release() -> Release:
    return Release(
        "test-1",
        (
            compiled(
                "many_payments",
                lambda ctx: ctx.velocity.get(DECLINES_1H, 0) >= 3,
                verdict=Verdict.BLOCK,
                actions=(ActionTemplate(ActionKind.SUSPEND_ACCOUNT),),
                velocity=frozenset({DECLINES_1H}),
            ),
            compiled(
                "flagged_content",
                lambda ctx: ctx.event.attributes.get("flag") is True,
                verdict=Verdict.REVIEW,
                actions=(ActionTemplate(ActionKind.ENQUEUE_REVIEW, {"queue": "content"}),),
            ),
        ),
    )


@dataclass
class World:
    store: MemoryStore
    clock: ManualClock
    ids: SequentialIds
    transport: RecordingTransport
    ingest: IngestService
    dispatcher: Dispatcher
    review: ReviewService


def build_world() -> World:
    store, clock, ids = MemoryStore(), ManualClock(T0), SequentialIds()
    transport = RecordingTransport()
    ensure_queues(store.uow, DEFAULT_QUEUES)
    releases = StaticReleaseSource(build_release())
    return World(
        store,
        clock,
        ids,
        transport,
        IngestService(store.uow, releases, ScorePolicy(), clock, ids),
        Dispatcher(
            store.uow,
            transport,
            clock,
            ids,
            webhook=WebhookTarget("http://host.test/hooks", "whsec"),
            retry=RetryPolicy(max_attempts=3, base_seconds=10),
        ),
        ReviewService(store.uow, clock, ids),
    )


def make_event(n: int, type_: str = "payment.attempt", account: str = "a1", **attrs: Any) -> Event:
    return Event(EventId(f"evt_{n}"), type_, T0, {EntityKind.ACCOUNT: account}, attrs)


def person(role: Role, name: str = "rev@x.test") -> Principal:
    return Principal(PrincipalId(f"usr_{name}"), PrincipalKind.PERSON, name, role)


ADMIN = SYSTEM
