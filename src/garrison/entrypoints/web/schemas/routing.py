"""Queue settings, routing rules, the SLA watch and "next case" on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.access import Permission
from garrison.domain.cases import Queue
from garrison.domain.entities import Tier
from garrison.domain.ids import QueueName
from garrison.domain.policies import Severity
from garrison.domain.routing import RoutingRule, WorkItem, WorkSource
from garrison.domain.sla import SlaStanding, SlaState
from garrison.entrypoints.web.schemas.cases import CaseOut, case_wire

NAME_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"


class QueueIn(BaseModel):
    description: str = Field("", max_length=500)
    sla_seconds: int = Field(ge=60, le=90 * 24 * 3600)
    required_permission: Permission = Permission.REVIEW_CASES
    playbook: str | None = Field(None, max_length=200, description="Key of the queue's playbook.")
    wellness: str | None = Field(None, max_length=200, description="Key of wellness settings.")

    def to_domain(self, name: str) -> Queue:
        return Queue(
            QueueName(name),
            self.description,
            self.sla_seconds,
            self.required_permission,
            playbook=self.playbook or None,
            wellness=self.wellness or None,
        )


class NextCaseOut(BaseModel):
    case: CaseOut | None = Field(description="The case now leased to you; null if none waits.")


class RoutingRuleIn(BaseModel):
    queue: str = Field(min_length=1, max_length=64)
    position: int = Field(ge=0, le=1_000_000, description="Lower positions are tried first.")
    policies: list[str] = Field(default_factory=list, max_length=50)
    min_severity: Severity | None = None
    tiers: list[Tier] = Field(default_factory=list)
    report_types: list[str] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=50)
    sources: list[WorkSource] = Field(default_factory=list)
    enabled: bool = True
    description: str = Field("", max_length=500)

    def to_domain(self, name: str) -> RoutingRule:
        return RoutingRule(
            name=name,
            queue=QueueName(self.queue),
            position=self.position,
            policies=tuple(self.policies),
            min_severity=self.min_severity,
            tiers=tuple(self.tiers),
            report_types=tuple(self.report_types),
            languages=tuple(self.languages),
            sources=tuple(self.sources),
            enabled=self.enabled,
            description=self.description,
        )


class RoutingRuleOut(RoutingRuleIn):
    name: str


class RoutingRuleListOut(BaseModel):
    rules: list[RoutingRuleOut]


class WorkItemIn(BaseModel):
    source: WorkSource
    policy: str | None = Field(None, max_length=200)
    severity: Severity | None = None
    tier: Tier | None = None
    report_type: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=16)

    def to_domain(self) -> WorkItem:
        return WorkItem(
            self.source, self.policy, self.severity, self.tier, self.report_type, self.language
        )


class RouteOut(BaseModel):
    queue: str


class SlaOut(BaseModel):
    case: CaseOut
    due_at: datetime
    used: float = Field(description="Share of the SLA used; 1 or more is a breach.")
    state: SlaState


class SlaListOut(BaseModel):
    warn_at: float
    cases: list[SlaOut]


def rule_wire(rule: RoutingRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "queue": rule.queue,
        "position": rule.position,
        "policies": list(rule.policies),
        "min_severity": rule.min_severity.value if rule.min_severity else None,
        "tiers": [t.value for t in rule.tiers],
        "report_types": list(rule.report_types),
        "languages": list(rule.languages),
        "sources": [s.value for s in rule.sources],
        "enabled": rule.enabled,
        "description": rule.description,
    }


def sla_wire(found: SlaStanding) -> dict[str, Any]:
    return {
        "case": case_wire(found.case),
        "due_at": found.due_at,
        "used": round(found.used, 4),
        "state": found.state.value,
    }
