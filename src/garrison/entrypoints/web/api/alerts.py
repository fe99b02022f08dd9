"""Alerts raised by the engine (a rule demoted at its daily cap), and acknowledging them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.rule_controls import AlertId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.api.rules import RulesEditor
from garrison.entrypoints.web.auth import DecisionReader
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.rules import AlertListOut, AlertOut, alert_wire

router = APIRouter(prefix="/v1/alerts", tags=["rules"])


@router.get("", response_model=AlertListOut, responses=error_responses(401, 403, 422))
def list_alerts(
    principal: DecisionReader,
    container: ContainerDep,
    acknowledged: Annotated[
        bool | None, Query(description="Only acknowledged (true) or open (false) alerts.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Newest first."""
    found = container.rule_controls.alerts(acknowledged=acknowledged, limit=limit)
    return {"alerts": [alert_wire(a) for a in found]}


@router.post(
    "/{alert_id}/acknowledge",
    response_model=AlertOut,
    responses=error_responses(401, 403, 404, 409),
)
def acknowledge_alert(alert_id: str, principal: RulesEditor, container: ContainerDep) -> Any:
    return alert_wire(container.rule_controls.acknowledge(AlertId(alert_id), actor=principal.actor))
