"""Shared helpers for the rule language tests: events and one-line evaluation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.language import compile_rule
from garrison.domain.rules import EvalContext, Rule
from garrison.domain.signals import VelocitySpec

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

MakeEvent = Callable[..., Event]
Evaluate = Callable[..., bool]


def make_event(
    type: str = "payment.attempt",
    attributes: Mapping[str, Any] | None = None,
    entities: Mapping[str, str] | None = None,
) -> Event:
    refs = {EntityKind(kind): ident for kind, ident in (entities or {}).items()}
    return Event(EventId("evt_1"), type, AT, refs, dict(attributes or {}))


def evaluate(
    when: str,
    attributes: Mapping[str, Any] | None = None,
    *,
    type: str = "payment.attempt",
    entities: Mapping[str, str] | None = None,
    velocity: Mapping[VelocitySpec, int] | None = None,
) -> bool:
    compiled = compile_rule(Rule("r", when, "test.policy"))
    ctx = EvalContext(make_event(type, attributes, entities), dict(velocity or {}))
    return compiled.fires(ctx)


@pytest.fixture(scope="session")
def event() -> MakeEvent:
    return make_event


@pytest.fixture(scope="session")
def fires() -> Evaluate:
    return evaluate
