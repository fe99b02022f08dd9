"""Value lists that rules read with `in_list(...)`: READ_DECISIONS reads, MANAGE_RULES writes.

Every write is atomic (a malformed entry, named `entries[i]` in the 422, changes nothing),
audited, and gives the list a new version that the next evaluated event sees.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from garrison.domain.access import Permission, Principal
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.lists import (
    EntriesIn,
    ListCreateIn,
    ListListOut,
    ListOut,
    ListReplaceIn,
    ListSummaryOut,
    list_wire,
    summary_wire,
)

RulesEditor = Annotated[Principal, require(Permission.MANAGE_RULES)]
router = APIRouter(prefix="/v1/lists", tags=["lists"])


@router.get("", response_model=ListListOut, responses=error_responses(401, 403))
def list_lists(principal: DecisionReader, container: ContainerDep) -> dict[str, Any]:
    """Every list, by name, without its entries."""
    return {"lists": [summary_wire(s) for s in container.lists.summaries()]}


@router.post(
    "",
    status_code=201,
    response_model=ListSummaryOut,
    responses=error_responses(401, 403, 409, 422),
)
def create_list(body: ListCreateIn, principal: RulesEditor, container: ContainerDep) -> Any:
    created = container.lists.create(
        body.name, body.kind, body.entries, description=body.description, actor=principal.actor
    )
    return summary_wire(created.summary())


@router.get("/{name}", response_model=ListOut, responses=error_responses(401, 403, 404))
def read_list(name: str, principal: DecisionReader, container: ContainerDep) -> dict[str, Any]:
    """The list with its entries (normalised and sorted)."""
    return list_wire(container.lists.get(name))


@router.put(
    "/{name}", response_model=ListSummaryOut, responses=error_responses(401, 403, 404, 409, 422)
)
def replace_list(
    name: str, body: ListReplaceIn, principal: RulesEditor, container: ContainerDep
) -> dict[str, Any]:
    """Replace every entry at once (and the description, if given)."""
    saved = container.lists.replace(
        name,
        body.entries,
        description=body.description,
        expected_version=body.version,
        actor=principal.actor,
    )
    return summary_wire(saved.summary())


@router.delete("/{name}", status_code=204, responses=error_responses(401, 403, 404))
def delete_list(name: str, principal: RulesEditor, container: ContainerDep) -> Response:
    """Rules that read a deleted list see it as empty."""
    container.lists.delete(name, actor=principal.actor)
    return Response(status_code=204)


@router.post(
    "/{name}/entries",
    response_model=ListSummaryOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def add_entries(
    name: str, body: EntriesIn, principal: RulesEditor, container: ContainerDep
) -> dict[str, Any]:
    saved = container.lists.add_entries(name, body.entries, actor=principal.actor)
    return summary_wire(saved.summary())


@router.delete(
    "/{name}/entries",
    response_model=ListSummaryOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def remove_entries(
    name: str, body: EntriesIn, principal: RulesEditor, container: ContainerDep
) -> dict[str, Any]:
    """Entries that are not in the list are ignored."""
    saved = container.lists.remove_entries(name, body.entries, actor=principal.actor)
    return summary_wire(saved.summary())
