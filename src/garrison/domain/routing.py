"""Routing: which queue new review work goes to, decided by ordered, editable rules.

A rule matches when every condition it sets matches (an empty condition matches anything); the
enabled rule with the lowest `position` that matches wins, else the fallback queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from garrison.domain.cases import SENSITIVE_QUEUE
from garrison.domain.entities import Tier
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import QueueName
from garrison.domain.policies import Severity

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
FALLBACK_QUEUE = QueueName("default")
_T = TypeVar("_T")


class WorkSource(StrEnum):
    DECISION = "decision"
    REPORT = "report"


@dataclass(frozen=True, slots=True)
class WorkItem:
    """What routing looks at. Unknown facts stay None and match only empty conditions."""

    source: WorkSource
    policy: str | None = None
    severity: Severity | None = None
    tier: Tier | None = None
    report_type: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class RoutingRule:
    name: str
    queue: QueueName
    position: int
    policies: tuple[str, ...] = ()
    """Policy names or prefixes ending in `.` (`fraud.` matches `fraud.card_testing`)."""
    min_severity: Severity | None = None
    tiers: tuple[Tier, ...] = ()
    report_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[WorkSource, ...] = ()
    enabled: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise InvalidInput(f"bad rule name {self.name!r}", field="name")
        if not self.queue:
            raise InvalidInput("a routing rule needs a queue", field="queue")

    def matches(self, item: WorkItem) -> bool:
        return (
            self.enabled
            and _any_of(self.sources, item.source)
            and _any_of(self.tiers, item.tier)
            and _any_of(self.report_types, item.report_type)
            and _any_of(self.languages, item.language)
            and _policy_matches(self.policies, item.policy)
            and _severity_at_least(self.min_severity, item.severity)
        )


def route(rules: tuple[RoutingRule, ...] | list[RoutingRule], item: WorkItem) -> QueueName:
    """The queue of the first matching rule by position (then name); the fallback if none."""
    for rule in sorted(rules, key=lambda r: (r.position, r.name)):
        if rule.matches(item):
            return rule.queue
    return FALLBACK_QUEUE


def _any_of(allowed: tuple[_T, ...], value: _T | None) -> bool:
    return not allowed or (value is not None and value in allowed)


def _policy_matches(allowed: tuple[str, ...], policy: str | None) -> bool:
    if not allowed:
        return True
    if policy is None:
        return False
    return any(policy == p or (p.endswith(".") and policy.startswith(p)) for p in allowed)


def _severity_at_least(floor: Severity | None, severity: Severity | None) -> bool:
    return floor is None or (severity is not None and severity.rank >= floor.rank)


DEFAULT_ROUTES: tuple[RoutingRule, ...] = (
    RoutingRule(
        "enterprise-sensitive",
        SENSITIVE_QUEUE,
        10,
        tiers=(Tier.ENTERPRISE,),
        description="Enterprise customers are reviewed with care, never banned automatically",
    ),
    RoutingRule(
        "severe-escalations",
        QueueName("escalations"),
        20,
        min_severity=Severity.SEVERE,
        description="Severe harm goes straight to senior reviewers",
    ),
    RoutingRule(
        "fraud",
        QueueName("fraud"),
        30,
        policies=("fraud", "fraud."),
        description="Fraud policies",
    ),
    RoutingRule(
        "fraud-reports",
        QueueName("fraud"),
        40,
        report_types=("fraud", "scam", "payment_abuse", "account_resale"),
        description="User reports about fraud and scams",
    ),
    RoutingRule(
        "reports-content",
        QueueName("content"),
        50,
        sources=(WorkSource.REPORT,),
        description="Every other user report",
    ),
)
