"""Wire shapes of label import, adjudication and calibration sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.adjudication import LabelConflict
from garrison.domain.labels import LabelValue
from garrison.domain.qa import CalibrationAnswer, CalibrationSession
from garrison.entrypoints.web.schemas.cases import LabelOut, label_wire
from garrison.entrypoints.web.schemas.quality import (
    AgreementOut,
    ProportionOut,
    agreement_wire,
    proportion_wire,
)
from garrison.services.calibration import CalibrationReport
from garrison.services.labels_import import ImportResult, LabelFormat


class LabelImportIn(BaseModel):
    format: LabelFormat
    text: str = Field(description="The file's content: CSV with a header, or JSON Lines.")
    source: str = Field("", description="Where the labels come from (kept in the audit log).")


class LabelImportOut(BaseModel):
    read: int
    imported: int
    skipped: int


class LabelListOut(BaseModel):
    labels: list[LabelOut]


class ConflictOut(BaseModel):
    subject: str
    policy: str
    labels: list[LabelOut]


class ConflictListOut(BaseModel):
    conflicts: list[ConflictOut]


class AdjudicateIn(BaseModel):
    subject: str
    policy: str
    value: LabelValue
    note: str = ""


class SessionIn(BaseModel):
    name: str
    subjects: list[str] = Field(min_length=1, max_length=500)
    participants: list[str] = Field(min_length=2, description="Actors, e.g. `person:alice`.")


class SessionOut(BaseModel):
    id: str
    name: str
    subjects: list[str]
    participants: list[str]
    created_at: datetime
    created_by: str


class SessionListOut(BaseModel):
    sessions: list[SessionOut]


class AnswerIn(BaseModel):
    subject: str
    value: LabelValue
    policy: str | None = None


class AnswerOut(BaseModel):
    session: str
    subject: str
    reviewer: str
    value: LabelValue
    policy: str | None
    at: datetime


class CalibrationItemOut(BaseModel):
    subject: str
    answers: dict[str, str]
    majority: str | None


class CalibrationReportOut(BaseModel):
    session: SessionOut
    answered: int
    expected: int
    fleiss: AgreementOut
    alpha: AgreementOut
    with_majority: dict[str, ProportionOut]
    items: list[CalibrationItemOut]


def import_wire(r: ImportResult) -> dict[str, Any]:
    return {"read": r.read, "imported": r.imported, "skipped": r.skipped}


def conflict_wire(c: LabelConflict) -> dict[str, Any]:
    return {
        "subject": str(c.subject),
        "policy": c.policy,
        "labels": [label_wire(x) for x in c.labels],
    }


def session_wire(s: CalibrationSession) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "subjects": [str(x) for x in s.subjects],
        "participants": list(s.participants),
        "created_at": s.created_at,
        "created_by": s.created_by,
    }


def answer_wire(a: CalibrationAnswer) -> dict[str, Any]:
    return {
        "session": a.session,
        "subject": str(a.subject),
        "reviewer": a.reviewer,
        "value": a.value,
        "policy": a.policy,
        "at": a.at,
    }


def calibration_wire(r: CalibrationReport) -> dict[str, Any]:
    return {
        "session": session_wire(r.session),
        "answered": r.answered,
        "expected": r.expected,
        "fleiss": agreement_wire(r.fleiss),
        "alpha": agreement_wire(r.alpha),
        "with_majority": {k: proportion_wire(v) for k, v in r.with_majority.items()},
        "items": [
            {"subject": str(i.subject), "answers": i.answers, "majority": i.majority}
            for i in r.items
        ],
    }
