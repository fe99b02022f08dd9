"""Moderated texts as `content.submitted` events, so rules can act on a classifier's scores
(`GARRISON_MODERATION_RECORD_EVENTS`). Attributes: `text`, `modality`, `moderation_score` (the
highest category score), `category` (the highest-scoring flagged category, or "none"),
`flagged`, `model` and `category_scores` (every category's score)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.services.moderation import ModerationResult

EVENT_TYPE = "content.submitted"


def content_id(text: str) -> str:
    """A stable content entity id for a text (its SHA-256, shortened)."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def moderation_events(
    request_id: str,
    texts: Sequence[str],
    results: Sequence[ModerationResult],
    *,
    model: str,
    occurred_at: datetime,
    api_key: str | None = None,
) -> list[Event]:
    """One event per moderated text; ids are `<request_id>-<index>`."""
    return [
        _event(f"{request_id}-{i}", text, result, model, occurred_at, api_key)
        for i, (text, result) in enumerate(zip(texts, results, strict=True))
    ]


def _event(
    event_id: str,
    text: str,
    result: ModerationResult,
    model: str,
    occurred_at: datetime,
    api_key: str | None,
) -> Event:
    scores = result.category_scores
    top = max(scores, key=lambda name: scores[name]) if scores else None
    flagged = [name for name, on in result.categories.items() if on]
    category = max(flagged, key=lambda name: scores[name]) if flagged else "none"
    entities = {EntityKind.CONTENT: content_id(text)}
    if api_key is not None:
        entities[EntityKind.API_KEY] = api_key
    return Event(
        id=EventId(event_id),
        type=EVENT_TYPE,
        occurred_at=occurred_at,
        entities=entities,
        attributes={
            "text": text,
            "modality": "text",
            "moderation_score": float(scores[top]) if top is not None else 0.0,
            "category": category,
            "flagged": result.flagged,
            "model": model,
            "category_scores": dict(scores),
        },
    )
