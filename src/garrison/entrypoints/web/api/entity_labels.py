"""Labels on entities (`trusted`, `suspected_farm`) that rules read with `has_label(...)`.

Reading needs READ_DECISIONS. Adding and removing need REVIEW_CASES: a label is a reviewer's
judgement about an entity, the same permission that resolves cases (rules add labels too, through
their `add_label` action). Every write is audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from garrison.domain.entities import EntityRef
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, Reviewer
from garrison.entrypoints.web.schemas.entity_labels import (
    EntityLabelIn,
    EntityLabelListOut,
    EntityLabelOut,
    entity_label_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/entities/{kind}/{entity_id}/labels", tags=["entity labels"])


def _subject(kind: str, entity_id: str) -> EntityRef:
    return EntityRef.parse(f"{kind}:{entity_id}", field="kind")


@router.get("", response_model=EntityLabelListOut, responses=error_responses(401, 403, 422))
def list_labels(
    kind: str,
    entity_id: str,
    principal: DecisionReader,
    container: ContainerDep,
    include_expired: bool = False,
) -> dict[str, Any]:
    """The entity's labels by name: the active ones, or all with `include_expired=true`."""
    found = container.entity_labels.for_entity(
        _subject(kind, entity_id), include_expired=include_expired
    )
    return {"labels": [entity_label_wire(label) for label in found]}


@router.post(
    "", status_code=201, response_model=EntityLabelOut, responses=error_responses(401, 403, 422)
)
def add_label(
    kind: str, entity_id: str, body: EntityLabelIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Add the label, or replace the entity's label of that name (new author and expiry)."""
    label = container.entity_labels.add(
        _subject(kind, entity_id),
        body.name,
        actor=principal.actor,
        ttl=body.ttl,
        expires_at=body.expires_at,
    )
    return entity_label_wire(label)


@router.delete("/{name}", status_code=204, responses=error_responses(401, 403, 404, 422))
def remove_label(
    kind: str, entity_id: str, name: str, principal: Reviewer, container: ContainerDep
) -> Response:
    container.entity_labels.remove(_subject(kind, entity_id), name, actor=principal.actor)
    return Response(status_code=204)
