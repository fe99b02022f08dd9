"""Routing rules: which queue new review work goes to. Editing needs `manage_queues`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from garrison.domain.access import Permission, Principal
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import CaseReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.routing import (
    RouteOut,
    RoutingRuleIn,
    RoutingRuleListOut,
    RoutingRuleOut,
    WorkItemIn,
    rule_wire,
)

router = APIRouter(prefix="/v1/routing", tags=["review"])
QueueManager = Annotated[Principal, require(Permission.MANAGE_QUEUES)]


@router.get("/rules", response_model=RoutingRuleListOut, responses=error_responses(401, 403))
def list_rules(principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    """In the order they are tried: by position, then name."""
    return {"rules": [rule_wire(r) for r in container.routing.rules(principal)]}


@router.put(
    "/rules/{name}", response_model=RoutingRuleOut, responses=error_responses(401, 403, 422)
)
def put_rule(
    name: str, body: RoutingRuleIn, principal: QueueManager, container: ContainerDep
) -> dict[str, Any]:
    """Create or replace a rule. Every condition left empty matches anything."""
    return rule_wire(container.routing.put(principal, body.to_domain(name)))


@router.delete(
    "/rules/{name}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403, 404),
)
def delete_rule(name: str, principal: QueueManager, container: ContainerDep) -> Response:
    container.routing.delete(principal, name)
    return Response(status_code=204)


@router.post("/preview", response_model=RouteOut, responses=error_responses(401, 403, 422))
def preview(body: WorkItemIn, principal: CaseReader, container: ContainerDep) -> dict[str, Any]:
    """Which queue this work would be routed to now."""
    return {"queue": container.routing.preview(principal, body.to_domain())}
