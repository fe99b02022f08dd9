"""User reports and reporters on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.entities import EntityRef, Tier
from garrison.domain.ids import ReportId
from garrison.domain.user_reports import Report, Reporter, ReporterKind, ReportStatus
from garrison.services.user_reports import MAX_TEXT, Filed, ReportIn


class ReportBody(BaseModel):
    """A report filed by the host platform on behalf of one of its users (or a flagger)."""

    id: str | None = Field(
        None, max_length=200, description="Your id for the report; a retry with it is a no-op."
    )
    reporter: str = Field(min_length=1, max_length=200, description="Who reports, your id.")
    reporter_kind: ReporterKind = ReporterKind.PERSON
    subject: str = Field(description="What is reported, as `kind:id` (`content:c_9`).")
    report_type: str = Field(
        min_length=1, max_length=64, description="`spam`, `harassment`, `fraud`, ..."
    )
    text: str = Field("", max_length=MAX_TEXT)
    content_ref: str | None = Field(None, max_length=2000)
    language: str | None = Field(None, max_length=16, description="BCP 47 tag, like `de`.")
    subject_tier: Tier | None = Field(None, description="The subject's customer tier, if known.")

    def to_domain(self) -> ReportIn:
        return ReportIn(
            reporter=self.reporter,
            reporter_kind=self.reporter_kind,
            subject=EntityRef.parse(self.subject, field="subject"),
            report_type=self.report_type,
            text=self.text,
            content_ref=self.content_ref,
            language=self.language,
            subject_tier=self.subject_tier,
            id=ReportId(self.id) if self.id else None,
        )


class ReportOut(BaseModel):
    id: str
    reporter: str
    reporter_kind: ReporterKind
    subject: str
    report_type: str
    text: str
    received_at: datetime
    status: ReportStatus
    content_ref: str | None
    language: str | None
    case_id: str | None
    priority: int


class FiledOut(BaseModel):
    report: ReportOut
    case_id: str | None
    queue: str | None
    created: bool


class ReporterOut(BaseModel):
    id: str
    kind: ReporterKind
    upheld: int
    rejected: int
    reputation: float = Field(description="Share of reports upheld, Beta(1, 1) prior: 0.5 new.")
    muted: bool
    muted_reason: str


class ReporterListOut(BaseModel):
    reporters: list[ReporterOut]


class ReporterFileOut(BaseModel):
    reporter: ReporterOut
    reports: list[ReportOut]


class ReportListOut(BaseModel):
    reports: list[ReportOut]


class MuteIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


def report_wire(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "reporter": report.reporter,
        "reporter_kind": report.reporter_kind.value,
        "subject": str(report.subject),
        "report_type": report.report_type,
        "text": report.text,
        "received_at": report.received_at,
        "status": report.status.value,
        "content_ref": report.content_ref,
        "language": report.language,
        "case_id": report.case_id,
        "priority": report.priority,
    }


def filed_wire(filed: Filed) -> dict[str, Any]:
    return {
        "report": report_wire(filed.report),
        "case_id": filed.case.id if filed.case else None,
        "queue": filed.case.queue if filed.case else None,
        "created": filed.created,
    }


def reporter_wire(reporter: Reporter) -> dict[str, Any]:
    return {
        "id": reporter.id,
        "kind": reporter.kind.value,
        "upheld": reporter.upheld,
        "rejected": reporter.rejected,
        "reputation": round(reporter.reputation, 4),
        "muted": reporter.muted,
        "muted_reason": reporter.muted_reason,
    }
