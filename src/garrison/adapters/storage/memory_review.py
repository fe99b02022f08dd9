"""In-memory reports, reporters and routing rules, and the claim queries of the memory cases."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Self

from garrison.domain.case_notes import Comment, Evidence
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.ids import CaseId, NoteId, PrincipalId, QueueName, ReportId
from garrison.domain.routing import RoutingRule
from garrison.domain.user_reports import Report, Reporter
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class ReviewState:
    reports: dict[ReportId, Report] = field(default_factory=dict)
    reporters: dict[str, Reporter] = field(default_factory=dict)
    routes: dict[str, RoutingRule] = field(default_factory=dict)
    comments: dict[NoteId, Comment] = field(default_factory=dict)
    evidence: dict[NoteId, Evidence] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


StateOf = Callable[[], ReviewState]


class MemoryReports:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, report: Report) -> None:
        reports = self._state().reports
        if report.id in reports:
            raise DuplicateKey(f"report {report.id}")
        reports[report.id] = report

    def get(self, report_id: ReportId) -> Report | None:
        return self._state().reports.get(report_id)

    def save(self, report: Report) -> None:
        self._state().reports[report.id] = report

    def for_case(self, case_id: CaseId) -> list[Report]:
        found = [r for r in self._state().reports.values() if r.case_id == case_id]
        return sorted(found, key=lambda r: (r.received_at, r.id))

    def for_reporter(self, reporter: str, limit: int) -> list[Report]:
        found = [r for r in self._state().reports.values() if r.reporter == reporter]
        return sorted(found, key=lambda r: (r.received_at, r.id), reverse=True)[:limit]


class MemoryReporters:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def get(self, reporter_id: str) -> Reporter | None:
        return self._state().reporters.get(reporter_id)

    def save(self, reporter: Reporter) -> None:
        self._state().reporters[reporter.id] = reporter

    def list(self, *, muted: bool | None, limit: int) -> list[Reporter]:
        found = [r for r in self._state().reporters.values() if muted is None or r.muted is muted]
        return sorted(found, key=lambda r: r.id)[:limit]


class MemoryRoutingRules:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def list(self) -> list[RoutingRule]:
        return sorted(self._state().routes.values(), key=lambda r: (r.position, r.name))

    def get(self, name: str) -> RoutingRule | None:
        return self._state().routes.get(name)

    def save(self, rule: RoutingRule) -> None:
        self._state().routes[rule.name] = rule

    def delete(self, name: str) -> bool:
        return self._state().routes.pop(name, None) is not None


class MemoryCaseNotes:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add_comment(self, comment: Comment) -> None:
        comments = self._state().comments
        if comment.id in comments:
            raise DuplicateKey(f"comment {comment.id}")
        comments[comment.id] = comment

    def comments(self, case_id: CaseId) -> list[Comment]:
        found = [c for c in self._state().comments.values() if c.case_id == case_id]
        return sorted(found, key=lambda c: (c.at, c.id))

    def add_evidence(self, evidence: Evidence) -> None:
        stored = self._state().evidence
        if evidence.id in stored:
            raise DuplicateKey(f"evidence {evidence.id}")
        stored[evidence.id] = evidence

    def evidence(self, case_id: CaseId) -> list[Evidence]:
        found = [e for e in self._state().evidence.values() if e.case_id == case_id]
        return [replace(e, content=None) for e in sorted(found, key=lambda e: (e.at, e.id))]

    def get_evidence(self, note_id: NoteId) -> Evidence | None:
        return self._state().evidence.get(note_id)


def claimable(cases: Iterable[Case], queue: QueueName, now: datetime, limit: int) -> list[Case]:
    found = [c for c in cases if c.queue == queue and c.claimable(None, now)]
    return sorted(found, key=lambda c: (c.rank_at, c.id))[:limit]


def take(cases: dict[CaseId, Case], case: Case, holder: PrincipalId, now: datetime) -> bool:
    stored = cases.get(case.id)
    if stored is None or not stored.claimable(holder, now):
        return False
    cases[case.id] = case
    return True


def waiting_since(
    cases: Iterable[Case], queue: QueueName, before: datetime, limit: int
) -> list[Case]:
    found = [
        c
        for c in cases
        if c.queue == queue and c.status is not CaseStatus.RESOLVED and c.entered_queue_at <= before
    ]
    return sorted(found, key=lambda c: (c.entered_queue_at, c.id))[:limit]
