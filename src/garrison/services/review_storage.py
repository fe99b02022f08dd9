"""Storage ports of review operations: reports, reporters, routing rules, case notes.

Each has an in-memory implementation (adapters/storage/memory_review.py) and a SQL one
(adapters/storage/sql/user_reports.py); tests/contract runs one suite against all of them.
"""

from __future__ import annotations

from typing import Protocol

from garrison.domain.case_notes import Comment, Evidence
from garrison.domain.ids import CaseId, NoteId, ReportId
from garrison.domain.routing import RoutingRule
from garrison.domain.user_reports import Report, Reporter


class Reports(Protocol):
    def add(self, report: Report) -> None:
        """Raise DuplicateKey if the id is taken."""
        ...

    def get(self, report_id: ReportId) -> Report | None: ...
    def save(self, report: Report) -> None: ...
    def for_case(self, case_id: CaseId) -> list[Report]:
        """The case's reports, oldest first."""
        ...

    def for_reporter(self, reporter: str, limit: int) -> list[Report]:
        """Newest first."""
        ...


class Reporters(Protocol):
    def get(self, reporter_id: str) -> Reporter | None: ...
    def save(self, reporter: Reporter) -> None: ...
    def list(self, *, muted: bool | None, limit: int) -> list[Reporter]:
        """By id; only muted (or only unmuted) reporters unless `muted` is None."""
        ...


class RoutingRules(Protocol):
    def list(self) -> list[RoutingRule]:
        """By position, then name."""
        ...

    def get(self, name: str) -> RoutingRule | None: ...
    def save(self, rule: RoutingRule) -> None: ...
    def delete(self, name: str) -> bool: ...


class CaseNotes(Protocol):
    """Comments and evidence on cases."""

    def add_comment(self, comment: Comment) -> None: ...
    def comments(self, case_id: CaseId) -> list[Comment]:
        """Oldest first."""
        ...

    def add_evidence(self, evidence: Evidence) -> None:
        """Raise DuplicateKey if the id is taken."""
        ...

    def evidence(self, case_id: CaseId) -> list[Evidence]:
        """Oldest first, without file contents (`content` is None)."""
        ...

    def get_evidence(self, note_id: NoteId) -> Evidence | None:
        """With its file contents."""
        ...
