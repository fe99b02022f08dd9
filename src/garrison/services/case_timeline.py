"""A case's timeline: decisions, reports, comments, evidence and every audited state change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.cases import Case
from garrison.domain.events import JsonValue
from garrison.services.unit_of_work import UnitOfWork

AUDIT_ENTRIES = 500


class EntryKind(StrEnum):
    CREATED = "created"
    DECISION = "decision"
    REPORT = "report"
    COMMENT = "comment"
    EVIDENCE = "evidence"
    CHANGE = "change"
    """An audited state change: claim, release, escalate, resolve, reopen, merge, split..."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: EntryKind
    actor: str
    summary: str
    ref: str | None = None


def timeline(uow: UnitOfWork, case: Case) -> list[TimelineEntry]:
    """Oldest first (ties keep the order above: a decision before the change it caused)."""
    entries = [
        TimelineEntry(case.created_at, EntryKind.CREATED, "system", f"opened in {case.queue}")
    ]
    for d in uow.decisions.many(case.decision_ids):
        hits = ", ".join(h.rule for h in d.hits) or "no rule hit"
        entries.append(
            TimelineEntry(d.decided_at, EntryKind.DECISION, "system", f"{d.verdict}: {hits}", d.id)
        )
    for r in uow.reports.for_case(case.id):
        summary = f"{r.report_type} report by {r.reporter_kind.value} {r.reporter}"
        entries.append(TimelineEntry(r.received_at, EntryKind.REPORT, r.reporter, summary, r.id))
    for c in uow.case_notes.comments(case.id):
        entries.append(TimelineEntry(c.at, EntryKind.COMMENT, c.author, c.text, c.id))
    for e in uow.case_notes.evidence(case.id):
        summary = f"{e.name} ({e.size} bytes, sha256 {e.sha256[:12]})"
        entries.append(TimelineEntry(e.at, EntryKind.EVIDENCE, e.added_by, summary, e.id))
    for a in reversed(uow.audit.recent(limit=AUDIT_ENTRIES, target=f"case:{case.id}")):
        if a.action == "case.read":
            continue
        entries.append(TimelineEntry(a.at, EntryKind.CHANGE, a.actor, _change(a.action, a.details)))
    return sorted(entries, key=lambda e: e.at)


def _change(action: str, details: Mapping[str, JsonValue]) -> str:
    parts = [action.removeprefix("case.").replace("_", " ")]
    moved, outcome = details.get("to"), details.get("outcome")
    reason = details.get("reason") or details.get("note")
    if isinstance(moved, str):
        parts.append(f"to {moved}")
    if outcome:
        parts.append(str(outcome))
    if reason:
        parts.append(f"({reason})")
    return " ".join(parts)
