"""Working a case: comments, evidence, the timeline, reopen, merge and split.

Writes need the permission of the case's queue; reading evidence or the timeline is an audited
read of the case.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from garrison.domain.entities import EntityRef
from garrison.domain.errors import NotFound
from garrison.domain.ids import CaseId, DecisionId, NoteId, ReportId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import ContentReader, Reviewer
from garrison.entrypoints.web.schemas.case_work import (
    CommentIn,
    CommentOut,
    EvidenceIn,
    EvidenceOut,
    MergeIn,
    ReasonIn,
    SplitIn,
    TimelineOut,
    comment_wire,
    evidence_wire,
    timeline_wire,
)
from garrison.entrypoints.web.schemas.cases import CaseOut, case_wire
from garrison.entrypoints.web.schemas.errors import error_responses

router = APIRouter(prefix="/v1/cases", tags=["review"])
WRITE_ERRORS = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/{case_id}/comments", status_code=201, response_model=CommentOut, responses=WRITE_ERRORS
)
def add_comment(
    case_id: str, body: CommentIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    return comment_wire(container.case_work.comment(principal, CaseId(case_id), body.text))


@router.post(
    "/{case_id}/evidence", status_code=201, response_model=EvidenceOut, responses=WRITE_ERRORS
)
def add_evidence(
    case_id: str, body: EvidenceIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Attach a link (`url`) or a small file (`content_base64`, up to `evidence_max_bytes`);
    its sha256 is recorded."""
    work, case = container.case_work, CaseId(case_id)
    if body.url is not None:
        found = work.attach_link(principal, case, name=body.name, url=body.url)
    else:
        found = work.attach_file(
            principal, case, name=body.name, media_type=body.media_type, content=body.content()
        )
    return evidence_wire(found)


@router.get(
    "/{case_id}/evidence/{evidence_id}",
    response_model=EvidenceOut,
    responses=error_responses(401, 403, 404),
)
def read_evidence(
    case_id: str, evidence_id: str, principal: ContentReader, container: ContainerDep
) -> dict[str, Any]:
    found = container.case_work.evidence_file(principal, NoteId(evidence_id))
    if found.case_id != case_id:
        raise NotFound(f"no evidence {evidence_id} on case {case_id}", field="evidence_id")
    return evidence_wire(found)


@router.get(
    "/{case_id}/timeline", response_model=TimelineOut, responses=error_responses(401, 403, 404)
)
def read_timeline(
    case_id: str, principal: ContentReader, container: ContainerDep
) -> dict[str, Any]:
    """Decisions, reports, comments, evidence and state changes, oldest first."""
    return timeline_wire(case_id, container.case_work.timeline(principal, CaseId(case_id)))


@router.post("/{case_id}/reopen", response_model=CaseOut, responses=WRITE_ERRORS)
def reopen_case(
    case_id: str, body: ReasonIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    return case_wire(container.case_work.reopen(principal, CaseId(case_id), body.reason))


@router.post("/{case_id}/merge", response_model=CaseOut, responses=WRITE_ERRORS)
def merge_case(
    case_id: str, body: MergeIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Close this case into `into`; answers with the case that stays open."""
    merged = container.case_work.merge(principal, CaseId(case_id), CaseId(body.into), body.reason)
    return case_wire(merged)


@router.post("/{case_id}/split", status_code=201, response_model=CaseOut, responses=WRITE_ERRORS)
def split_case(
    case_id: str, body: SplitIn, principal: Reviewer, container: ContainerDep
) -> dict[str, Any]:
    """Move decisions and reports into a new case about `subject`; answers with the new case."""
    new = container.case_work.split(
        principal,
        CaseId(case_id),
        subject=EntityRef.parse(body.subject, field="subject"),
        decision_ids=[DecisionId(d) for d in body.decision_ids],
        report_ids=[ReportId(r) for r in body.report_ids],
        reason=body.reason,
    )
    return case_wire(new)
