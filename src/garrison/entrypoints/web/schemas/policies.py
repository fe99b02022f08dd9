"""Policies, playbooks, notices and reviewer wellness on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.notices import Notice
from garrison.domain.playbooks import MAX_PLAYBOOK_CHARS, Playbook
from garrison.domain.policies import Policy, Severity, Taxonomy
from garrison.services.policies import MAX_NOTE, TaxonomyChanges
from garrison.services.transparency import MAX_FACTS
from garrison.services.wellness import WellnessToday

MAX_TAXONOMY_CHARS = 500_000


class PolicyOut(BaseModel):
    id: str
    title: str
    description: str
    severity: Severity
    parent: str | None
    moderation: list[str] = Field(description="OpenAI moderation categories this policy covers.")
    dsa_category: str
    ground: str
    illegal: bool
    notice: str = Field(description="The notice template; empty means the default one.")


class TaxonomyOut(BaseModel):
    version: int
    created_at: datetime
    author: str
    note: str
    policies: list[PolicyOut]


class TaxonomySummaryOut(BaseModel):
    version: int
    created_at: datetime
    author: str
    note: str
    policies: int


class TaxonomyListOut(BaseModel):
    versions: list[TaxonomySummaryOut]


class TaxonomyIn(BaseModel):
    text: str = Field(
        max_length=MAX_TAXONOMY_CHARS,
        description="The whole taxonomy as TOML `[[policy]]` tables (see GET /v1/policies/text).",
    )
    note: str = Field("", max_length=MAX_NOTE)
    base: int | None = Field(
        None, description="Refuse (409) unless the newest version is still this one."
    )


class PolicyChangeOut(BaseModel):
    id: str
    fields: list[str]


class TaxonomyDiffOut(BaseModel):
    old: int
    new: int
    added: list[str]
    removed: list[str]
    changed: list[PolicyChangeOut]
    lines: list[str] = Field(description="A unified diff of the two canonical texts.")


class MappingIn(BaseModel):
    scores: dict[str, float] = Field(
        description='Moderation category scores, e.g. {"self-harm/intent": 0.93}.'
    )
    version: int | None = None


class MappingOut(BaseModel):
    version: int | None
    policies: dict[str, float]


class PlaybookOut(BaseModel):
    key: str
    version: int
    title: str
    text: str
    steps: list[str]
    created_at: datetime
    author: str


class PlaybookListOut(BaseModel):
    playbooks: list[PlaybookOut]


class PlaybookIn(BaseModel):
    text: str = Field(
        max_length=MAX_PLAYBOOK_CHARS, description="Markdown; `- [ ]` lines are steps."
    )


class DiffOut(BaseModel):
    lines: list[str]


class NoticeIn(BaseModel):
    action_id: str
    facts: str = Field("", max_length=MAX_FACTS, description="Empty: the rule hits that led to it.")
    policy: str | None = Field(None, description="Needed when the action names no policy.")
    reported: bool = Field(False, description="A user report (DSA Article 16 notice) started it.")


class NoticeOut(BaseModel):
    id: str
    action_id: str
    action_kind: str
    subject: str
    policy: str
    policy_version: int
    facts: str
    ground: str
    illegal: bool
    automation: str
    reported: bool
    text: str
    issued_at: datetime


class DsaExportOut(BaseModel):
    statements: list[dict[str, Any]] = Field(
        description="Statements of reasons in the DSA Transparency Database API's format."
    )
    skipped: int = Field(description="Notices of actions that restrict nothing.")


class WellnessSettingsIn(BaseModel):
    opted_out: list[str] = Field(default_factory=list, max_length=100)
    reveal_by_default: bool = False


class BudgetOut(BaseModel):
    category: str
    used: int
    limit: int


class WellnessOut(BaseModel):
    opted_out: list[str]
    reveal_by_default: bool
    reviewed_today: int
    budgets: list[BudgetOut]
    break_due: bool
    break_after_minutes: int
    break_after_items: int


class MayReceiveOut(BaseModel):
    category: str
    may_receive: bool


class RevealIn(BaseModel):
    item: str = Field(
        min_length=1, max_length=200, description="What was unmasked, e.g. event:evt_1."
    )


def policy_wire(p: Policy) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "description": p.description,
        "severity": p.severity,
        "parent": p.parent,
        "moderation": list(p.moderation),
        "dsa_category": p.dsa_category,
        "ground": p.ground,
        "illegal": p.illegal,
        "notice": p.notice,
    }


def taxonomy_wire(t: Taxonomy) -> dict[str, Any]:
    return {**summary_wire(t), "policies": [policy_wire(p) for p in t.policies]}


def summary_wire(t: Taxonomy) -> dict[str, Any]:
    return {
        "version": t.version,
        "created_at": t.created_at,
        "author": t.author,
        "note": t.note,
        "policies": len(t.policies),
    }


def diff_wire(changes: TaxonomyChanges) -> dict[str, Any]:
    d = changes.diff
    return {
        "old": d.old_version,
        "new": d.new_version,
        "added": list(d.added),
        "removed": list(d.removed),
        "changed": [{"id": c.id, "fields": list(c.fields)} for c in d.changed],
        "lines": list(changes.lines),
    }


def playbook_wire(p: Playbook) -> dict[str, Any]:
    return {
        "key": str(p.key),
        "version": p.version,
        "title": p.title,
        "text": p.text,
        "steps": [s.text for s in p.steps],
        "created_at": p.created_at,
        "author": p.author,
    }


def notice_wire(n: Notice) -> dict[str, Any]:
    return {
        "id": n.id,
        "action_id": n.action_id,
        "action_kind": n.action_kind,
        "subject": str(n.subject),
        "policy": n.policy_id,
        "policy_version": n.policy_version,
        "facts": n.facts,
        "ground": n.ground,
        "illegal": n.illegal,
        "automation": n.automation.value,
        "reported": n.reported,
        "text": n.text,
        "issued_at": n.issued_at,
    }


def wellness_wire(today: WellnessToday) -> dict[str, Any]:
    return {
        "opted_out": sorted(today.settings.opted_out),
        "reveal_by_default": today.settings.reveal_by_default,
        "reviewed_today": today.reviewed,
        "budgets": [
            {"category": b.category, "used": b.used, "limit": b.limit} for b in today.budgets
        ],
        "break_due": today.break_due,
        "break_after_minutes": today.rules.break_after_minutes,
        "break_after_items": today.rules.break_after_items,
    }
