"""Entity pages, link graphs and the audited reveal of personal data.

Reading a page or a graph needs READ_CONTENT (timelines hold raw event attributes) and is
audited. Email and IP addresses arrive redacted (`j***@gmail.com`, `203.0.113.x`); READ_PII
reveals them, one audited request per page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import ContentReader, require
from garrison.entrypoints.web.schemas.entities import (
    EntityPageOut,
    GraphOut,
    RevealedOut,
    graph_wire,
    page_wire,
    revealed_wire,
)
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.services.link_graph import MAX_DEPTH
from garrison.services.timeline import MAX_OFFSET

router = APIRouter(prefix="/v1/entities/{kind}/{entity_id}", tags=["investigations"])
PiiReader = Annotated[Principal, require(Permission.READ_PII)]
Limit = Annotated[int, Query(ge=1, le=200, description="Timeline items per page (by events).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Events to skip, newest first.")]


def _subject(kind: str, entity_id: str) -> EntityRef:
    return EntityRef.parse(f"{kind}:{entity_id}", field="kind")


@router.get("", response_model=EntityPageOut, responses=error_responses(401, 403, 422))
def entity_page(
    kind: str,
    entity_id: str,
    principal: ContentReader,
    container: ContainerDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The entity's timeline (newest first), linked identities and risk summary."""
    page = container.investigations.entity_page(
        principal, _subject(kind, entity_id), limit=limit, offset=offset
    )
    return page_wire(page)


@router.get("/graph", response_model=GraphOut, responses=error_responses(401, 403, 422))
def entity_graph(
    kind: str,
    entity_id: str,
    principal: ContentReader,
    container: ContainerDep,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the entity.")] = 2,
) -> dict[str, Any]:
    """Accounts and identifiers around the entity, as nodes and edges for drawing."""
    view = container.investigations.graph(principal, _subject(kind, entity_id), depth=depth)
    return graph_wire(view)


@router.post("/reveal", response_model=RevealedOut, responses=error_responses(401, 403, 422))
def reveal(
    kind: str,
    entity_id: str,
    principal: PiiReader,
    container: ContainerDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The personal data the same page of the entity redacts, in full (an audited read)."""
    found = container.investigations.reveal(
        principal, _subject(kind, entity_id), limit=limit, offset=offset
    )
    return revealed_wire(found)
