"""Bulk actions on cases on the wire: a preview, then an execute that brings the token back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.cases import Outcome
from garrison.domain.ids import CaseId, QueueName
from garrison.entrypoints.web.schemas.cases import CaseOut, case_wire
from garrison.services.bulk import BulkKind, BulkPreview, BulkRequest, BulkResult


class BulkIn(BaseModel):
    kind: BulkKind
    case_ids: list[str] = Field(min_length=1, max_length=10_000)
    outcome: Outcome | None = Field(None, description="For `resolve`.")
    policy: str | None = Field(None, max_length=200, description="For a violating `resolve`.")
    queue: str | None = Field(None, max_length=64, description="For `reassign`.")
    reason: str = Field("", max_length=2000, description="Required for `escalate`.")

    def to_domain(self) -> BulkRequest:
        return BulkRequest(
            self.kind,
            tuple(CaseId(c) for c in self.case_ids),
            outcome=self.outcome,
            policy=self.policy,
            queue=QueueName(self.queue) if self.queue else None,
            reason=self.reason,
        )


class BulkExecuteIn(BulkIn):
    token: str = Field(min_length=1, max_length=64, description="From the preview.")


class RefusedOut(BaseModel):
    case_id: str
    reason: str


class BulkPreviewOut(BaseModel):
    token: str
    eligible: list[CaseOut]
    refused: list[RefusedOut]


class BulkResultOut(BaseModel):
    done: list[str]
    failed: list[RefusedOut]


def preview_wire(preview: BulkPreview) -> dict[str, Any]:
    return {
        "token": preview.token,
        "eligible": [case_wire(c) for c in preview.eligible],
        "refused": [{"case_id": c, "reason": r} for c, r in preview.refused],
    }


def result_wire(result: BulkResult) -> dict[str, Any]:
    return {
        "done": list(result.done),
        "failed": [{"case_id": c, "reason": r} for c, r in result.failed],
    }
