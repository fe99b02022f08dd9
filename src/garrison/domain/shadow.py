"""Shadow and canary evidence: one record per hit of a rule that watched (or acted as a canary),
and the report that sums them up per rule.

Each record keeps the verdict without the rule and the verdict with it acting, so a report can
say how often the rule would have changed the outcome, and whether it caught subjects that the
acting rules had not already caught.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.ids import DecisionId
from garrison.domain.rules import Stage
from garrison.domain.verdicts import Verdict

SAMPLES = 5


class RunAs(StrEnum):
    """How a recorded hit ran."""

    SHADOW = "shadow"
    DEMOTED = "demoted"
    """A live or canary rule running as shadow after reaching its daily cap."""
    CANARY_APPLIED = "canary_applied"
    CANARY_NOT_SELECTED = "canary_not_selected"
    CANARY_HELD_OUT = "canary_held_out"


@dataclass(frozen=True, slots=True)
class ShadowRecord:
    decision_id: DecisionId
    rule: str
    decided_at: datetime
    release_version: str
    run_as: RunAs
    subject: EntityRef | None
    verdict_without: Verdict
    """The verdict of the acting rules, this rule left out."""
    verdict_with: Verdict
    """The verdict had this rule acted."""

    @property
    def changes_verdict(self) -> bool:
        return self.verdict_with is not self.verdict_without


@dataclass(frozen=True, slots=True)
class VerdictChange:
    without: Verdict
    with_rule: Verdict
    count: int


@dataclass(frozen=True, slots=True)
class ShadowRuleReport:
    rule: str
    stage: Stage | None
    """The stage in the newest release of the period that has the rule."""
    evaluated: int
    """Events the rule was evaluated on (decisions made by releases in which it ran)."""
    hits: int
    applied: int
    """Hits that acted (canary rules, for subjects in the canary share)."""
    verdict_changes: int
    """Hits whose verdict with the rule differs from the verdict without it."""
    changes: tuple[VerdictChange, ...]
    subjects_new: int
    """Subjects the rule hit whose events the acting rules all allowed."""
    subjects_already_caught: int
    samples: tuple[DecisionId, ...]


@dataclass(frozen=True, slots=True)
class ShadowReport:
    since: datetime
    until: datetime
    decisions: int
    rules: tuple[ShadowRuleReport, ...]


def build_report(
    since: datetime,
    until: datetime,
    records: Sequence[ShadowRecord],
    *,
    evaluated: Mapping[str, int],
    stages: Mapping[str, Stage],
    decisions: int,
) -> ShadowReport:
    """One row per rule that watched in the period (by `evaluated`) or left a record."""
    by_rule: dict[str, list[ShadowRecord]] = {}
    for record in records:
        by_rule.setdefault(record.rule, []).append(record)
    names = sorted(set(evaluated) | set(by_rule))
    rows = tuple(
        _rule_report(name, by_rule.get(name, []), evaluated.get(name, 0), stages.get(name))
        for name in names
    )
    return ShadowReport(since, until, decisions, rows)


def _rule_report(
    rule: str, records: list[ShadowRecord], evaluated: int, stage: Stage | None
) -> ShadowRuleReport:
    changed = [r for r in records if r.changes_verdict]
    pairs = Counter((r.verdict_without, r.verdict_with) for r in changed)
    caught: dict[EntityRef, bool] = {}
    for record in records:
        if record.subject is not None:
            already = record.verdict_without is not Verdict.ALLOW
            caught[record.subject] = caught.get(record.subject, False) or already
    samples = [r.decision_id for r in changed] + [r.decision_id for r in records]
    return ShadowRuleReport(
        rule=rule,
        stage=stage,
        evaluated=max(evaluated, len(records)),
        hits=len(records),
        applied=sum(1 for r in records if r.run_as is RunAs.CANARY_APPLIED),
        verdict_changes=len(changed),
        changes=tuple(
            VerdictChange(without, with_rule, count)
            for (without, with_rule), count in sorted(
                pairs.items(), key=lambda item: (-item[1], item[0][0].rank, item[0][1].rank)
            )
        ),
        subjects_new=sum(1 for already in caught.values() if not already),
        subjects_already_caught=sum(1 for already in caught.values() if already),
        samples=tuple(dict.fromkeys(samples))[:SAMPLES],
    )
