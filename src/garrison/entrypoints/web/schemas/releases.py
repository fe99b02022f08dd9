"""Releases, proposals, refusals and diffs on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.release_check import ReleaseRefused, RuleProblem
from garrison.domain.release_diff import ReleaseDiff, RuleChange
from garrison.domain.releases import ReleaseStatus, StoredRelease
from garrison.domain.rules import Rule, Stage
from garrison.entrypoints.web.schemas.errors import ErrorDetail

MAX_RULE_FILE = 1_000_000


class ProposeIn(BaseModel):
    text: str = Field(max_length=MAX_RULE_FILE, description="The whole rule file (TOML).")
    notes: str = Field("", max_length=10_000, description="Why this release, for reviewers.")
    path: str = Field("rules.toml", max_length=200, description="How errors name the file.")


class RejectIn(BaseModel):
    reason: str = Field("", max_length=10_000)


class ReleaseSummaryOut(BaseModel):
    version: int
    status: ReleaseStatus
    content_hash: str
    author: str
    created_at: datetime
    notes: str
    approved_by: str | None
    rejected_by: str | None
    published_at: datetime | None
    superseded_at: datetime | None


class ReleaseOut(ReleaseSummaryOut):
    text: str


class ReleaseListOut(BaseModel):
    releases: list[ReleaseSummaryOut]


class ProblemOut(BaseModel):
    path: str
    line: int | None
    """1-based; null for a failed example or sequence test (named in the message)."""
    col: int | None
    message: str
    field: str | None


class RefusalDetail(ErrorDetail):
    errors: list[ProblemOut]
    """Every problem found in the rule file, in file order."""


class RefusalOut(BaseModel):
    error: RefusalDetail


class RuleBriefOut(BaseModel):
    name: str
    policy: str
    stage: Stage


class RuleChangeOut(BaseModel):
    rule: str
    fields: list[str]
    stage_before: Stage
    stage_after: Stage
    diff: str
    """A unified diff of the rule's canonical text."""


class DiffOut(BaseModel):
    before: str
    after: str
    added: list[RuleBriefOut]
    removed: list[RuleBriefOut]
    changed: list[RuleChangeOut]
    stage_changes: list[RuleChangeOut]


def release_wire(release: StoredRelease, *, with_text: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "version": release.version,
        "status": release.status.value,
        "content_hash": release.content_hash,
        "author": release.author,
        "created_at": release.created_at,
        "notes": release.notes,
        "approved_by": release.approved_by,
        "rejected_by": release.rejected_by,
        "published_at": release.published_at,
        "superseded_at": release.superseded_at,
    }
    if with_text:
        body["text"] = release.text
    return body


def problem_wire(problem: RuleProblem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "message": problem.message,
        "field": problem.field,
    }


def refusal_wire(refused: ReleaseRefused) -> dict[str, Any]:
    return {
        "error": {
            "code": refused.code,
            "message": refused.message,
            "field": refused.field,
            "errors": [problem_wire(p) for p in refused.problems],
        }
    }


def _brief(rule: Rule) -> dict[str, Any]:
    return {"name": rule.name, "policy": rule.policy, "stage": rule.stage.value}


def _change(change: RuleChange) -> dict[str, Any]:
    return {
        "rule": change.rule,
        "fields": list(change.fields),
        "stage_before": change.stage_before.value,
        "stage_after": change.stage_after.value,
        "diff": change.diff,
    }


def diff_wire(diff: ReleaseDiff) -> dict[str, Any]:
    return {
        "before": diff.before,
        "after": diff.after,
        "added": [_brief(rule) for rule in diff.added],
        "removed": [_brief(rule) for rule in diff.removed],
        "changed": [_change(c) for c in diff.changed],
        "stage_changes": [_change(c) for c in diff.stage_changes],
    }
