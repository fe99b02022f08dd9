"""Webhook deliveries to the host platform: see them (dead-lettered ones included) and retry."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.ids import DeliveryId
from garrison.domain.webhooks import DeliveryStatus
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import Operator
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.webhooks import (
    DeliveryListOut,
    DeliveryOut,
    delivery_wire,
)

router = APIRouter(prefix="/v1/webhooks/deliveries", tags=["webhooks"])


@router.get("", response_model=DeliveryListOut, responses=error_responses(401, 403, 422))
def list_deliveries(
    principal: Operator,
    container: ContainerDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Newest first."""
    found = container.dispatcher.deliveries(status=status, limit=limit)
    return {"deliveries": [delivery_wire(d) for d in found]}


@router.post(
    "/{delivery_id}/retry",
    response_model=DeliveryOut,
    responses=error_responses(401, 403, 404, 409),
)
def retry_delivery(
    delivery_id: str, principal: Operator, container: ContainerDep
) -> dict[str, Any]:
    """Put a dead-lettered delivery back in line."""
    retried = container.dispatcher.retry_dead(DeliveryId(delivery_id), actor=principal.actor)
    return delivery_wire(retried)
