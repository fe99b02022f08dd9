"""User reports from the host platform: recorded, grouped into the subject's open case (or a
new one, routed), weighted by the reporter's reputation; muted reporters open nothing.

When a case resolves, `settle_reports` marks its reports upheld or rejected and updates each
reporter's record, which is what their reputation is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.entities import EntityRef, Tier
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.domain.ids import CaseId, ReportId
from garrison.domain.routing import WorkItem, WorkSource
from garrison.domain.user_reports import (
    Report,
    Reporter,
    ReporterKind,
    ReportStatus,
    check_report_type,
    report_priority,
)
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.routing import route_for
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_TEXT = 10_000
REPORTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class ReportIn:
    """A report as the host platform files it. `id` (optional) makes a retry idempotent."""

    reporter: str
    reporter_kind: ReporterKind
    subject: EntityRef
    report_type: str
    text: str = ""
    content_ref: str | None = None
    language: str | None = None
    subject_tier: Tier | None = None
    id: ReportId | None = None


@dataclass(frozen=True, slots=True)
class Filed:
    report: Report
    case: Case | None
    created: bool
    """False when `id` named a report filed before (a retry): nothing was written."""


@dataclass(frozen=True, slots=True)
class ReporterFile:
    reporter: Reporter
    reports: tuple[Report, ...]


class UserReportService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def file(self, principal: Principal, filed: ReportIn) -> Filed:
        """Record the report; join the subject's open case or open a routed one (not for a
        muted reporter). Needs the ingest permission (the host platform's key)."""
        principal.require(Permission.INGEST_EVENTS)
        _check(filed)
        with self._uow() as uow:
            if filed.id is not None and (before := uow.reports.get(filed.id)) is not None:
                return _retry(uow, before, filed)
            reporter = uow.reporters.get(filed.reporter) or Reporter(
                filed.reporter, filed.reporter_kind
            )
            uow.reporters.save(reporter)
            report = self._report(filed, reporter)
            case = None if reporter.muted else self._case_for(uow, report, filed.subject_tier)
            if case is not None:
                report = replace(report, case_id=case.id)
            uow.reports.add(report)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="report.muted" if reporter.muted else "report.filed",
                target=f"report:{report.id}",
                details={"subject": str(report.subject), "case_id": report.case_id},
            )
            uow.commit()
        return Filed(report, case, True)

    def for_case(self, principal: Principal, case_id: CaseId) -> list[Report]:
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            if uow.cases.get(case_id) is None:
                raise NotFound(f"no case {case_id}", field="case_id")
            return uow.reports.for_case(case_id)

    def reporter(self, principal: Principal, reporter_id: str) -> ReporterFile:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            found = _known(uow, reporter_id)
            return ReporterFile(found, tuple(uow.reports.for_reporter(reporter_id, REPORTS_SHOWN)))

    def reporters(self, principal: Principal, *, muted: bool | None, limit: int) -> list[Reporter]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.reporters.list(muted=muted, limit=limit)

    def mute(self, principal: Principal, reporter_id: str, reason: str) -> Reporter:
        """Keep recording the reporter's reports, but let none of them open or raise a case."""
        principal.require(Permission.MUTE_REPORTERS)
        with self._uow() as uow:
            muted = _known(uow, reporter_id).mute(reason)
            return self._save(uow, principal, muted, "reporter.mute", muted.muted_reason)

    def unmute(self, principal: Principal, reporter_id: str) -> Reporter:
        principal.require(Permission.MUTE_REPORTERS)
        with self._uow() as uow:
            return self._save(uow, principal, _known(uow, reporter_id).unmute(), "reporter.unmute")

    def _save(
        self,
        uow: UnitOfWork,
        principal: Principal,
        reporter: Reporter,
        action: str,
        reason: str = "",
    ) -> Reporter:
        uow.reporters.save(reporter)
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=action,
            target=f"reporter:{reporter.id}",
            details={"reason": reason} if reason else None,
        )
        uow.commit()
        return reporter

    def _report(self, filed: ReportIn, reporter: Reporter) -> Report:
        return Report(
            id=filed.id or ReportId(self._ids.new("rep")),
            reporter=reporter.id,
            reporter_kind=reporter.kind,
            subject=filed.subject,
            report_type=filed.report_type,
            text=filed.text,
            received_at=self._clock.now(),
            status=ReportStatus.MUTED if reporter.muted else ReportStatus.PENDING,
            content_ref=filed.content_ref,
            language=filed.language,
            priority=report_priority(filed.report_type, reporter.reputation),
        )

    def _case_for(self, uow: UnitOfWork, report: Report, tier: Tier | None) -> Case:
        """The subject's open case, its priority raised if need be, or a new routed case."""
        now = report.received_at
        existing = uow.cases.open_for(report.subject)
        if existing is not None:
            raised = existing.raise_priority(report.priority, now)
            if raised is not existing:
                uow.cases.save(raised)
            return raised
        item = WorkItem(
            WorkSource.REPORT,
            severity=report.severity,
            tier=tier,
            report_type=report.report_type,
            language=report.language,
        )
        case = Case(
            CaseId(self._ids.new("case")),
            route_for(uow, item),
            report.subject,
            CaseStatus.OPEN,
            report.priority,
            now,
            now,
            queued_at=now,
        )
        uow.cases.add(case)
        return case


def settle_reports(uow: UnitOfWork, case_id: CaseId, *, upheld: bool) -> int:
    """Mark the case's pending reports upheld or rejected and update their reporters' records;
    how many were settled. Runs in the caller's unit of work (a case's resolution)."""
    settled = 0
    for report in uow.reports.for_case(case_id):
        if report.status is not ReportStatus.PENDING:
            continue
        uow.reports.save(report.settle(upheld))
        reporter = uow.reporters.get(report.reporter)
        if reporter is not None:
            uow.reporters.save(reporter.settle(upheld))
        settled += 1
    return settled


def _retry(uow: UnitOfWork, before: Report, filed: ReportIn) -> Filed:
    same = (before.reporter, before.subject, before.report_type, before.text) == (
        filed.reporter,
        filed.subject,
        filed.report_type,
        filed.text,
    )
    if not same:
        raise Conflict(f"report {before.id} was filed before with another body", field="id")
    case = uow.cases.get(before.case_id) if before.case_id else None
    return Filed(before, case, False)


def _known(uow: UnitOfWork, reporter_id: str) -> Reporter:
    found = uow.reporters.get(reporter_id)
    if found is None:
        raise NotFound(f"no reporter {reporter_id!r}", field="reporter")
    return found


def _check(filed: ReportIn) -> None:
    if not filed.reporter.strip() or len(filed.reporter) > 200:
        raise InvalidInput("a report needs its reporter's id (200 at most)", field="reporter")
    check_report_type(filed.report_type)
    if len(filed.text) > MAX_TEXT:
        raise InvalidInput(f"the text is longer than {MAX_TEXT} characters", field="text")
