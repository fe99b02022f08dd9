"""Webhook deliveries on the wire (the signed body itself is not shown)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from garrison.domain.webhooks import Delivery, DeliveryStatus


class DeliveryOut(BaseModel):
    id: str
    action_id: str
    url: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str | None
    delivered_at: datetime | None


class DeliveryListOut(BaseModel):
    deliveries: list[DeliveryOut]


def delivery_wire(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "action_id": delivery.action_id,
        "url": delivery.url,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
        "last_error": delivery.last_error,
        "delivered_at": delivery.delivered_at,
    }
