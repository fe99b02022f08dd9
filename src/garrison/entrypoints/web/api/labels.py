"""Labels with provenance: import, a subject's labels, conflicts and adjudication; calibration
sessions (every participant labels the same items, then the agreement report)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.domain.qa import SessionId
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.api.quality import router as quality_router
from garrison.entrypoints.web.auth import CaseReader, Reviewer, require
from garrison.entrypoints.web.schemas.cases import LabelOut, label_wire
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.quality_labels import (
    AdjudicateIn,
    AnswerIn,
    AnswerOut,
    CalibrationReportOut,
    ConflictListOut,
    LabelImportIn,
    LabelImportOut,
    LabelListOut,
    SessionIn,
    SessionListOut,
    SessionOut,
    answer_wire,
    calibration_wire,
    conflict_wire,
    import_wire,
    session_wire,
)

router = APIRouter(tags=["quality"])
QualityManager = Annotated[Principal, require(Permission.MANAGE_QUALITY)]
Adjudicator = Annotated[Principal, require(Permission.ADJUDICATE_LABELS)]


@router.post(
    "/v1/labels/import", response_model=LabelImportOut, responses=error_responses(401, 403, 422)
)
def import_labels(body: LabelImportIn, principal: QualityManager, container: ContainerDep) -> Any:
    """Import labels (CSV or JSON Lines) with provenance `import`; one bad row refuses all."""
    result = container.quality.importer.import_text(
        principal, body.text, body.format, source=body.source
    )
    return import_wire(result)


@router.get("/v1/labels", response_model=LabelListOut, responses=error_responses(401, 403, 422))
def subject_labels(
    principal: CaseReader,
    container: ContainerDep,
    subject: Annotated[str, Query(description="`kind:id`")],
) -> Any:
    """A subject's labels, newest first, each with its provenance and author."""
    ref = EntityRef.parse(subject, field="subject")
    with container.store.reader() as uow:
        found = uow.labels.for_subject(ref)
    return {"labels": [label_wire(x) for x in found]}


@router.get(
    "/v1/quality/conflicts", response_model=ConflictListOut, responses=error_responses(401, 403)
)
def conflicts(
    principal: CaseReader,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The adjudication list: labels about the same subject and policy that disagree."""
    found = container.quality.adjudication.conflicts(principal, limit=limit)
    return {"conflicts": [conflict_wire(c) for c in found]}


@router.post(
    "/v1/quality/adjudications",
    status_code=201,
    response_model=LabelOut,
    responses=error_responses(401, 403, 409, 422),
)
def adjudicate(body: AdjudicateIn, principal: Adjudicator, container: ContainerDep) -> Any:
    """Settle a conflict: the adjudicated label wins over the labels it settles."""
    label = container.quality.adjudication.adjudicate(
        principal,
        EntityRef.parse(body.subject, field="subject"),
        body.policy,
        body.value,
        body.note,
    )
    return label_wire(label)


@router.post(
    "/v1/quality/calibrations",
    status_code=201,
    response_model=SessionOut,
    responses=error_responses(401, 403, 422),
)
def create_session(body: SessionIn, principal: QualityManager, container: ContainerDep) -> Any:
    subjects = [EntityRef.parse(s, field="subjects") for s in body.subjects]
    session = container.quality.calibration.create(
        principal, body.name, subjects, body.participants
    )
    return session_wire(session)


@router.get(
    "/v1/quality/calibrations", response_model=SessionListOut, responses=error_responses(401, 403)
)
def list_sessions(principal: CaseReader, container: ContainerDep) -> Any:
    return {
        "sessions": [session_wire(s) for s in container.quality.calibration.sessions(principal)]
    }


@router.post(
    "/v1/quality/calibrations/{session_id}/answers",
    response_model=AnswerOut,
    responses=error_responses(401, 403, 404, 422),
)
def answer(session_id: str, body: AnswerIn, principal: Reviewer, container: ContainerDep) -> Any:
    """A participant's answer for one item (a later answer replaces it)."""
    found = container.quality.calibration.answer(
        principal,
        SessionId(session_id),
        EntityRef.parse(body.subject, field="subject"),
        body.value,
        body.policy,
    )
    return answer_wire(found)


@router.get(
    "/v1/quality/calibrations/{session_id}",
    response_model=CalibrationReportOut,
    responses=error_responses(401, 403, 404),
)
def session_report(session_id: str, principal: CaseReader, container: ContainerDep) -> Any:
    """Agreement of the session: Fleiss' kappa on complete items, Krippendorff's alpha on all."""
    return calibration_wire(container.quality.calibration.report(principal, SessionId(session_id)))


QUALITY_ROUTERS = (quality_router, router)
"""Every measured-quality route, for the app to include."""
