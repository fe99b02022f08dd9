"""Search, saved queries and retroactive action on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.events import JsonValue
from garrison.domain.retroactive import RetroAction, RetroStatus, TargetKind
from garrison.domain.saved_queries import SavedQuery
from garrison.services.retroactive import Preview
from garrison.services.search import SearchResult
from garrison.services.search_export import shown_event, shown_ref


class SearchIn(BaseModel):
    expression: str = Field(description="A condition in the rule language, like a rule's `when`.")
    since: str = Field("7d", description="A look-back like `7d`, or an ISO 8601 time.")
    until: datetime | None = Field(None, description="End of the range (exclusive); now if empty.")
    limit: int = Field(100, ge=1, le=10_000, description="Matching events to return, newest first.")


class BucketOut(BaseModel):
    start: datetime
    count: int


class EntityCountOut(BaseModel):
    ref: str
    """Redacted when it is personal data and the caller may not read it."""
    events: int


class SearchOut(BaseModel):
    expression: str
    since: datetime
    until: datetime
    scanned: int
    matched: int
    truncated: bool
    bucket_seconds: int
    histogram: list[BucketOut]
    entities: list[EntityCountOut]
    events: list[dict[str, JsonValue]]


class SavedQueryIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    expression: str
    window: str = Field("7d", description="How far back it looks when run, like `7d`.")
    shared: bool = Field(False, description="Whether everyone who may search sees it.")


class SavedQueryOut(BaseModel):
    id: str
    name: str
    expression: str
    window: str
    owner: str
    shared: bool
    created_at: datetime


class SavedQueryListOut(BaseModel):
    queries: list[SavedQueryOut]


class TargetIn(BaseModel):
    kind: TargetKind
    ref: str = Field(description="The ring id, or the search expression.")
    since: str | None = Field(None, description="For a query: a look-back like `7d` or a time.")
    until: datetime | None = None


class RetroIn(BaseModel):
    target: TargetIn
    action: dict[str, Any] = Field(
        description='An action template: `{"kind": "add_label", "params": {"label": "x"}}`.'
    )
    subject: str = Field("account", description="Which entity of each matching event to act on.")
    reason: str = ""


class PreviewOut(BaseModel):
    count: int
    sample: list[str]
    over_cap: bool
    needs_approval: bool
    cap: int
    approval_over: int


class RetroOut(BaseModel):
    id: str
    status: RetroStatus
    target: str
    kind: str
    params: dict[str, JsonValue]
    subjects: int
    reason: str
    requested_by: str
    approved_by: str | None
    action_ids: list[str]
    undo_ids: list[str]
    created_at: datetime
    undone_at: datetime | None


class RetroListOut(BaseModel):
    retroactive: list[RetroOut]


def search_wire(result: SearchResult, *, reveal: bool) -> dict[str, Any]:
    return {
        "expression": result.expression,
        "since": result.since,
        "until": result.until,
        "scanned": result.scanned,
        "matched": result.matched,
        "truncated": result.truncated,
        "bucket_seconds": result.bucket_seconds,
        "histogram": [{"start": b.start, "count": b.count} for b in result.histogram],
        "entities": [
            {"ref": shown_ref(e.ref, reveal=reveal), "events": e.events} for e in result.entities
        ],
        "events": [shown_event(e, reveal=reveal) for e in result.events],
    }


def saved_wire(query: SavedQuery) -> dict[str, Any]:
    return {
        "id": query.id,
        "name": query.name,
        "expression": query.expression,
        "window": query.window,
        "owner": query.owner,
        "shared": query.shared,
        "created_at": query.created_at,
    }


def preview_wire(preview: Preview, *, reveal: bool) -> dict[str, Any]:
    return {
        "count": preview.count,
        "sample": [shown_ref(s, reveal=reveal) for s in preview.sample],
        "over_cap": preview.over_cap,
        "needs_approval": preview.needs_approval,
        "cap": preview.limits.cap,
        "approval_over": preview.limits.approval_over,
    }


def retro_wire(retro: RetroAction) -> dict[str, Any]:
    return {
        "id": retro.id,
        "status": retro.status,
        "target": retro.target.describe(),
        "kind": retro.template.kind.value,
        "params": dict(retro.template.params),
        "subjects": len(retro.subjects),
        "reason": retro.reason,
        "requested_by": retro.requested_by,
        "approved_by": retro.approved_by,
        "action_ids": list(retro.action_ids),
        "undo_ids": list(retro.undo_ids),
        "created_at": retro.created_at,
        "undone_at": retro.undone_at,
    }
