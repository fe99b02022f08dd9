"""Rules of a release, snoozes, alerts and the shadow report on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.rule_controls import Alert, AlertKind, Snooze
from garrison.domain.rules import Stage
from garrison.domain.shadow import ShadowReport, ShadowRuleReport
from garrison.domain.verdicts import Verdict
from garrison.services.rules import RuleSheet, RuleView


class RuleOut(BaseModel):
    name: str
    policy: str
    owner: str
    description: str
    stage: Stage
    """The stage the rule runs at now (shadow while demoted)."""
    declared_stage: Stage
    demoted: bool
    canary_percent: int
    max_actions_per_day: int | None
    verdict: Verdict | None
    score: float
    hits_today: int
    acted_today: int


class RuleSheetOut(BaseModel):
    release_version: int
    live: bool
    rules: list[RuleOut]


class RestoreOut(BaseModel):
    rule: str
    restored: int


class SnoozeIn(BaseModel):
    rule: str = Field(max_length=200)
    entity: str = Field(description="`kind:id`, e.g. `account:acct_42`.", max_length=500)
    duration: str | None = Field(None, description="How long, like `24h` (or give `until`).")
    until: datetime | None = Field(None, description="When the snooze ends.")
    reason: str = Field(min_length=1, max_length=10_000)


class SnoozeOut(BaseModel):
    id: str
    rule: str
    entity: str
    until: datetime
    actor: str
    reason: str
    created_at: datetime


class SnoozeListOut(BaseModel):
    snoozes: list[SnoozeOut]


class AlertOut(BaseModel):
    id: str
    kind: AlertKind
    rule: str
    details: dict[str, Any]
    created_at: datetime
    acknowledged: bool
    acknowledged_by: str | None


class AlertListOut(BaseModel):
    alerts: list[AlertOut]


class VerdictChangeOut(BaseModel):
    without: Verdict
    with_rule: Verdict
    count: int


class ShadowRuleOut(BaseModel):
    rule: str
    stage: Stage | None
    evaluated: int
    hits: int
    applied: int
    verdict_changes: int
    changes: list[VerdictChangeOut]
    subjects_new: int
    subjects_already_caught: int
    samples: list[str]


class ShadowReportOut(BaseModel):
    since: datetime
    until: datetime
    decisions: int
    rules: list[ShadowRuleOut]


def rule_wire(view: RuleView) -> dict[str, Any]:
    rule = view.rule
    return {
        "name": rule.name,
        "policy": rule.policy,
        "owner": rule.owner,
        "description": rule.description,
        "stage": view.stage.value,
        "declared_stage": rule.stage.value,
        "demoted": view.demoted,
        "canary_percent": rule.canary_percent,
        "max_actions_per_day": rule.max_actions_per_day,
        "verdict": rule.verdict.value if rule.verdict else None,
        "score": rule.score,
        "hits_today": view.hits_today,
        "acted_today": view.acted_today,
    }


def sheet_wire(sheet: RuleSheet) -> dict[str, Any]:
    return {
        "release_version": sheet.release.version,
        "live": sheet.live,
        "rules": [rule_wire(view) for view in sheet.rules],
    }


def snooze_wire(snooze: Snooze) -> dict[str, Any]:
    return {
        "id": snooze.id,
        "rule": snooze.rule,
        "entity": str(snooze.entity),
        "until": snooze.until,
        "actor": snooze.actor,
        "reason": snooze.reason,
        "created_at": snooze.created_at,
    }


def alert_wire(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind.value,
        "rule": alert.rule,
        "details": dict(alert.details),
        "created_at": alert.created_at,
        "acknowledged": alert.acknowledged,
        "acknowledged_by": alert.acknowledged_by,
    }


def _shadow_rule(row: ShadowRuleReport) -> dict[str, Any]:
    return {
        "rule": row.rule,
        "stage": row.stage.value if row.stage else None,
        "evaluated": row.evaluated,
        "hits": row.hits,
        "applied": row.applied,
        "verdict_changes": row.verdict_changes,
        "changes": [
            {"without": c.without.value, "with_rule": c.with_rule.value, "count": c.count}
            for c in row.changes
        ],
        "subjects_new": row.subjects_new,
        "subjects_already_caught": row.subjects_already_caught,
        "samples": list(row.samples),
    }


def shadow_report_wire(report: ShadowReport) -> dict[str, Any]:
    return {
        "since": report.since,
        "until": report.until,
        "decisions": report.decisions,
        "rules": [_shadow_rule(row) for row in report.rules],
    }
