"""Search the event log with the rule language; saved and shared queries; CSV export.

Searching needs READ_CONTENT. Emails and IPs in results are redacted unless the caller may read
personal data. A query that does not parse is a 422 whose message gives its line and column.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from garrison.bootstrap import Container
from garrison.domain.access import Permission, Principal
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import ContentReader
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.search import (
    SavedQueryIn,
    SavedQueryListOut,
    SavedQueryOut,
    SearchIn,
    SearchOut,
    saved_wire,
    search_wire,
)
from garrison.services.search import SearchRequest
from garrison.services.search_export import events_csv, parse_since

router = APIRouter(tags=["investigations"])


def _request(container: Container, body: SearchIn) -> SearchRequest:
    since = parse_since(body.since, container.clock.now())
    return SearchRequest(body.expression, since, body.until, body.limit)


def _run(container: Container, principal: Principal, request: SearchRequest) -> dict[str, Any]:
    result = container.search.queries.search(principal, request)
    return search_wire(result, reveal=principal.can(Permission.READ_PII))


@router.post("/v1/search", response_model=SearchOut, responses=error_responses(401, 403, 422))
def search(body: SearchIn, principal: ContentReader, container: ContainerDep) -> dict[str, Any]:
    """Events matching the expression in the range: newest first, a histogram, top entities."""
    return _run(container, principal, _request(container, body))


@router.get(
    "/v1/search/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **error_responses(401, 403, 422)},
)
def export(
    principal: ContentReader,
    container: ContainerDep,
    expression: Annotated[str, Query(description="A condition in the rule language.")],
    since: Annotated[str, Query(description="A look-back like `7d`, or an ISO 8601 time.")] = "7d",
) -> StreamingResponse:
    """Every matching event of the range as CSV, oldest first (checked before streaming)."""
    body = SearchIn(expression=expression, since=since)
    request = _request(container, body)
    container.search.queries.check(request.expression)
    reveal = principal.can(Permission.READ_PII)
    lines = events_csv(container.search.queries.matches(request), reveal=reveal)
    headers = {"Content-Disposition": 'attachment; filename="search.csv"'}
    return StreamingResponse(lines, media_type="text/csv", headers=headers)


@router.get(
    "/v1/saved-queries", response_model=SavedQueryListOut, responses=error_responses(401, 403)
)
def list_saved(principal: ContentReader, container: ContainerDep) -> dict[str, Any]:
    """Your saved queries and every shared one, newest first."""
    return {"queries": [saved_wire(q) for q in container.search.saved.list(principal)]}


@router.post(
    "/v1/saved-queries",
    response_model=SavedQueryOut,
    status_code=201,
    responses=error_responses(401, 403, 422),
)
def save_query(
    body: SavedQueryIn, principal: ContentReader, container: ContainerDep
) -> dict[str, Any]:
    """Store a query (checked first); `shared` makes it visible to everyone who may search."""
    saved = container.search.saved.save(
        principal,
        name=body.name,
        expression=body.expression,
        window=body.window,
        shared=body.shared,
    )
    return saved_wire(saved)


@router.get(
    "/v1/saved-queries/{query_id}",
    response_model=SavedQueryOut,
    responses=error_responses(401, 403, 404),
)
def read_saved(query_id: str, principal: ContentReader, container: ContainerDep) -> dict[str, Any]:
    return saved_wire(container.search.saved.get(principal, query_id))


@router.post(
    "/v1/saved-queries/{query_id}/run",
    response_model=SearchOut,
    responses=error_responses(401, 403, 404, 422),
)
def run_saved(
    query_id: str,
    principal: ContentReader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> dict[str, Any]:
    """Run a saved query over its window, up to now."""
    return _run(
        container, principal, container.search.saved.request(principal, query_id, limit=limit)
    )


@router.delete(
    "/v1/saved-queries/{query_id}", status_code=204, responses=error_responses(401, 403, 404)
)
def delete_saved(query_id: str, principal: ContentReader, container: ContainerDep) -> None:
    """Only its owner (or an admin) deletes a saved query."""
    container.search.saved.delete(principal, query_id)
