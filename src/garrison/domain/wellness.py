"""Reviewer wellness: exposure budgets for severe categories, opt-outs and break prompts.

A case's categories come from the policies its rules named. A severe category (a policy of
severity `severe`, or one under such a policy) has a daily per-reviewer budget; past it, or
when the reviewer opted out of the category, the case is routed to someone else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from garrison.domain.errors import InvalidInput
from garrison.domain.ids import PrincipalId
from garrison.domain.policies import Severity, Taxonomy

MAX_OPT_OUTS = 100


@dataclass(frozen=True, slots=True)
class WellnessRules:
    """The team-wide limits (from settings)."""

    daily_budget: int = 25
    """Severe items one reviewer may see per category per day."""
    break_after_minutes: int = 50
    break_after_items: int = 40


@dataclass(frozen=True, slots=True)
class ReviewerSettings:
    reviewer: PrincipalId
    opted_out: frozenset[str] = frozenset()
    """Categories (policy ids) this reviewer is never routed."""
    reveal_by_default: bool = False
    """Show severe text and media unmasked (each case view is still logged)."""
    updated_at: datetime | None = None
    streak_started_at: datetime | None = None
    """When the first item since the last break was finished."""
    streak_items: int = 0
    """Items finished since the last break."""


@dataclass(frozen=True, slots=True)
class ExposureToday:
    """How many items of each category a reviewer has seen today."""

    reviewer: PrincipalId
    day: str
    counts: Mapping[str, int] = field(default_factory=dict)

    def used(self, category: str) -> int:
        return self.counts.get(category, 0)


def exposure_day(at: datetime) -> str:
    """The budget day of an instant: its UTC calendar date."""
    return at.date().isoformat()


def category_of(taxonomy: Taxonomy | None, policy_id: str) -> str:
    """The wellness category of a policy: its highest severe ancestor (or itself when severe),
    otherwise its top-level policy; an unknown policy is its own category."""
    if taxonomy is None or taxonomy.get(policy_id) is None:
        return policy_id
    chain = []
    current = taxonomy.get(policy_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = taxonomy.get(current.parent) if current.parent else None
    severe = [p for p in chain if p.severity is Severity.SEVERE]
    return (severe[-1] if severe else chain[-1]).id


def is_severe(taxonomy: Taxonomy | None, category: str) -> bool:
    policy = taxonomy.get(category) if taxonomy else None
    return policy is not None and policy.severity is Severity.SEVERE


def refusal(
    settings: ReviewerSettings,
    exposure: ExposureToday,
    category: str,
    *,
    severe: bool,
    rules: WellnessRules,
) -> str | None:
    """Why this reviewer should not receive an item of `category` now; None when they may."""
    if category in settings.opted_out:
        return f"opted out of {category}"
    if severe and exposure.used(category) >= rules.daily_budget:
        return f"daily exposure budget for {category} used ({rules.daily_budget})"
    return None


def break_due(*, items: int, since: datetime | None, now: datetime, rules: WellnessRules) -> bool:
    """Whether to suggest a break: enough items, or enough minutes, since the last one."""
    if items >= rules.break_after_items:
        return True
    if since is None:
        return False
    return (now - since).total_seconds() >= rules.break_after_minutes * 60


def check_opt_outs(categories: Iterable[str], taxonomy: Taxonomy | None) -> frozenset[str]:
    """Opt-out categories must be policies of the taxonomy."""
    chosen = frozenset(c.strip() for c in categories if c.strip())
    if len(chosen) > MAX_OPT_OUTS:
        raise InvalidInput(f"at most {MAX_OPT_OUTS} opt-outs", field="opted_out")
    for category in sorted(chosen):
        if taxonomy is not None and taxonomy.get(category) is None:
            raise InvalidInput(f"no policy {category!r}", field="opted_out")
    return chosen
