"""Signals over the in-memory store, with a manual clock and hand-built events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.signals import Aggregate, FieldRef, VelocitySpec

T0 = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)
ACCOUNT = FieldRef.entity(EntityKind.ACCOUNT)
CARD = FieldRef.entity(EntityKind.PAYMENT_METHOD)
AMOUNT = FieldRef(FieldRef.ATTR, "amount_usd")
BIN = FieldRef(FieldRef.ATTR, "card_bin")

CARDS_1H = VelocitySpec(ACCOUNT, 3600, "payment.attempt", Aggregate.DISTINCT, CARD)
SPEND_1H = VelocitySpec(ACCOUNT, 3600, "payment.attempt", Aggregate.SUM, AMOUNT)
SPEND_10M = VelocitySpec(ACCOUNT, 600, "payment.attempt", Aggregate.SUM, AMOUNT)
PAYMENTS_BY_BIN_1H = VelocitySpec(BIN, 3600, "payment.attempt")
ACCOUNTS_BY_BIN_1H = VelocitySpec(BIN, 3600, None, Aggregate.DISTINCT, ACCOUNT)


def payment(
    n: int,
    *,
    account: str = "a1",
    card: str | None = "c1",
    seconds: float = 0,
    type_: str = "payment.attempt",
    **attrs: Any,
) -> Event:
    entities = {EntityKind.ACCOUNT: account}
    if card is not None:
        entities[EntityKind.PAYMENT_METHOD] = card
    when = T0 + timedelta(seconds=seconds)
    return Event(EventId(f"evt_{n}"), type_, when, entities, attrs)
