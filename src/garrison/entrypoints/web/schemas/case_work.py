"""Comments, evidence, timelines, reopen, merge and split on the wire."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.case_notes import Comment, Evidence
from garrison.domain.errors import InvalidInput
from garrison.services.case_timeline import EntryKind, TimelineEntry

REASON = Field(min_length=1, max_length=2000, description="Why (kept on the case's timeline).")


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class CommentOut(BaseModel):
    id: str
    case_id: str
    author: str
    text: str
    at: datetime


class EvidenceIn(BaseModel):
    """Either `url`, or `content_base64` (with `media_type`) for a small file."""

    name: str = Field(min_length=1, max_length=200)
    url: str | None = Field(None, max_length=2000)
    media_type: str = Field("application/octet-stream", max_length=200)
    content_base64: str | None = Field(None, max_length=24 * 1024 * 1024)

    def content(self) -> bytes:
        try:
            return base64.b64decode(self.content_base64 or "", validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("not valid base64", field="content_base64") from None


class EvidenceOut(BaseModel):
    id: str
    case_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    added_by: str
    at: datetime
    url: str | None
    content_base64: str | None = Field(None, description="Only when one piece is read.")


class TimelineEntryOut(BaseModel):
    at: datetime
    kind: EntryKind
    actor: str
    summary: str
    ref: str | None


class TimelineOut(BaseModel):
    case_id: str
    entries: list[TimelineEntryOut]


class ReasonIn(BaseModel):
    reason: str = REASON


class MergeIn(BaseModel):
    into: str = Field(min_length=1, max_length=200, description="The case that stays open.")
    reason: str = REASON


class SplitIn(BaseModel):
    subject: str = Field(description="The new case's subject, `kind:id`.")
    decision_ids: list[str] = Field(default_factory=list, max_length=500)
    report_ids: list[str] = Field(default_factory=list, max_length=500)
    reason: str = REASON


def comment_wire(note: Comment) -> dict[str, Any]:
    return {
        "id": note.id,
        "case_id": note.case_id,
        "author": note.author,
        "text": note.text,
        "at": note.at,
    }


def evidence_wire(found: Evidence) -> dict[str, Any]:
    content = found.content
    return {
        "id": found.id,
        "case_id": found.case_id,
        "name": found.name,
        "media_type": found.media_type,
        "size": found.size,
        "sha256": found.sha256,
        "added_by": found.added_by,
        "at": found.at,
        "url": found.url,
        "content_base64": base64.b64encode(content).decode() if content is not None else None,
    }


def timeline_wire(case_id: str, entries: list[TimelineEntry]) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "entries": [
            {"at": e.at, "kind": e.kind.value, "actor": e.actor, "summary": e.summary, "ref": e.ref}
            for e in entries
        ],
    }
