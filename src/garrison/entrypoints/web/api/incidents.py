"""Incidents: declare (from an alert, a case, a ring, a search or a cluster), update, link,
communicate, write the post-mortem, turn an action item into a draft rule, close."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.incidents import IncidentId, IncidentStatus
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.incidents import (
    CommunicationIn,
    DeclareIn,
    DraftRuleIn,
    DraftRuleOut,
    IncidentListOut,
    LinkIn,
    OwnerIn,
    PostIn,
    PostMortemIn,
    StatusIn,
    incident_wire,
)

router = APIRouter(prefix="/v1/incidents", tags=["incidents"])
IncidentManager = Annotated[Principal, require(Permission.MANAGE_INCIDENTS)]
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


@router.get("", response_model=IncidentListOut, responses=error_responses(401, 403, 422))
def list_incidents(
    principal: DecisionReader,
    container: ContainerDep,
    status: Annotated[IncidentStatus | None, Query(description="Only this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Newest first."""
    found = container.watch.incidents.list(status=status, limit=limit)
    return {"incidents": [incident_wire(i) for i in found]}


@router.post("", status_code=201, responses=WRITE_ERRORS)
def declare(body: DeclareIn, principal: IncidentManager, container: ContainerDep) -> Any:
    incident = container.watch.incidents.declare(
        title=body.title,
        severity=body.severity,
        source=body.source,
        source_ref=body.source_ref,
        summary=body.summary,
        owner=body.owner,
        actor=principal.actor,
    )
    return incident_wire(incident)


@router.get("/{incident_id}", responses=error_responses(401, 403, 404))
def get_incident(incident_id: str, principal: DecisionReader, container: ContainerDep) -> Any:
    return incident_wire(container.watch.incidents.get(IncidentId(incident_id)))


@router.post("/{incident_id}/updates", responses=WRITE_ERRORS)
def post_update(
    incident_id: str, body: PostIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    service = container.watch.incidents
    return incident_wire(
        service.post(IncidentId(incident_id), body.kind, body.text, actor=principal.actor)
    )


@router.post("/{incident_id}/status", responses=WRITE_ERRORS)
def move(
    incident_id: str, body: StatusIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    service = container.watch.incidents
    moved = service.move(
        IncidentId(incident_id), body.status, actor=principal.actor, note=body.note
    )
    return incident_wire(moved)


@router.post("/{incident_id}/links", responses=WRITE_ERRORS)
def link(
    incident_id: str, body: LinkIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    service = container.watch.incidents
    linked = service.link(
        IncidentId(incident_id), body.kind, body.ref, actor=principal.actor, note=body.note
    )
    return incident_wire(linked)


@router.post("/{incident_id}/owner", responses=WRITE_ERRORS)
def assign(
    incident_id: str, body: OwnerIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    service = container.watch.incidents
    return incident_wire(service.assign(IncidentId(incident_id), body.owner, actor=principal.actor))


@router.post("/{incident_id}/communications", responses=WRITE_ERRORS)
def communicate(
    incident_id: str, body: CommunicationIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    sent = container.watch.incidents.communicate(
        IncidentId(incident_id),
        audience=body.audience,
        channel=body.channel,
        message=body.message,
        actor=principal.actor,
    )
    return incident_wire(sent)


@router.put("/{incident_id}/postmortem", responses=WRITE_ERRORS)
def postmortem(
    incident_id: str, body: PostMortemIn, principal: IncidentManager, container: ContainerDep
) -> Any:
    written = container.watch.incidents.postmortem(
        IncidentId(incident_id),
        summary=body.summary,
        root_cause=body.root_cause,
        impact=body.impact,
        action_items=body.items(),
        actor=principal.actor,
    )
    return incident_wire(written)


@router.post(
    "/{incident_id}/postmortem/items/{item}/draft-rule",
    response_model=DraftRuleOut,
    responses=WRITE_ERRORS,
)
def draft_rule(
    incident_id: str,
    item: int,
    body: DraftRuleIn,
    principal: IncidentManager,
    container: ContainerDep,
) -> Any:
    """Propose a release adding the action item's rule at stage draft (1-based `item`)."""
    principal.require(Permission.MANAGE_RULES)
    incident, version = container.watch.incidents.draft_rule(
        IncidentId(incident_id), item - 1, name=body.name, policy=body.policy, actor=principal.actor
    )
    return {"incident": incident_wire(incident), "release_version": version}
