"""Decisions: what the engine concluded about one event, with enough to explain and replay it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.canary import CanaryCall
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, DecisionId, EventId
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict, strongest


@dataclass(frozen=True, slots=True)
class ScorePolicy:
    """Versioned thresholds turning a combined score into a verdict (config, not code)."""

    version: str = "default-1"
    review_at: float = 0.5
    challenge_at: float = 0.75
    block_at: float = 0.9
    default_queue: str = "default"

    def verdict_for(self, score: float) -> Verdict:
        if score >= self.block_at:
            return Verdict.BLOCK
        if score >= self.challenge_at:
            return Verdict.CHALLENGE
        if score >= self.review_at:
            return Verdict.REVIEW
        return Verdict.ALLOW


@dataclass(frozen=True, slots=True)
class Decision:
    id: DecisionId
    event_id: EventId
    verdict: Verdict
    score: float
    hits: tuple[RuleHit, ...]
    release_version: str
    policy_version: str
    decided_at: datetime
    action_ids: tuple[ActionId, ...] = ()
    shadow_hits: tuple[RuleHit, ...] = ()
    """Hits of rules that only watched (shadow, demoted, or canary outside its share)."""
    canary: tuple[CanaryCall, ...] = ()
    """For each canary rule that fired: applied, not selected or held out."""
    snoozed: tuple[str, ...] = ()
    """Rules that fired but were snoozed for an entity of the event (treated as not hit)."""


def decide(
    decision_id: DecisionId,
    event: Event,
    hits: Sequence[RuleHit],
    *,
    policy: ScorePolicy,
    release_version: str,
    decided_at: datetime,
) -> Decision:
    """Combine hits: the strongest verdict named by a rule, or reached by the summed score."""
    score, verdict = combine(hits, policy)
    return Decision(
        decision_id,
        event.id,
        verdict,
        score,
        tuple(hits),
        release_version,
        policy.version,
        decided_at,
    )


def combine(hits: Sequence[RuleHit], policy: ScorePolicy) -> tuple[float, Verdict]:
    """The score and verdict of a set of hits (what `decide` records)."""
    score = min(1.0, round(sum(hit.score for hit in hits), 6))
    named = [hit.verdict for hit in hits if hit.verdict is not None]
    return score, strongest([*named, policy.verdict_for(score)])


def plan_actions(
    decision: Decision,
    event: Event,
    templates: Sequence[tuple[RuleHit | None, ActionTemplate]],
    *,
    policy: ScorePolicy,
    new_id: Callable[[], ActionId],
) -> tuple[Action, ...]:
    """Turn the actions the hits ask for into planned actions, one per (kind, target).

    A decision that calls for review always plans an `enqueue_review` of the event's subject, even
    when no rule named one. An event without a subject plans nothing.
    """
    subject = event.subject
    if subject is None:
        return ()
    wanted = list(templates)
    asks_review = any(t.kind is ActionKind.ENQUEUE_REVIEW for _, t in wanted)
    if decision.verdict is Verdict.REVIEW and not asks_review:
        review = ActionTemplate(ActionKind.ENQUEUE_REVIEW, {"queue": policy.default_queue})
        wanted.append((_strongest_hit(decision), review))
    planned: dict[tuple[ActionKind, str], Action] = {}
    for hit, template in wanted:
        target = template.target or subject
        key = (template.kind, str(target))
        if key in planned:
            continue
        params = dict(template.params)
        if template.kind is ActionKind.ENQUEUE_REVIEW:
            params.setdefault("queue", policy.default_queue)
        planned[key] = Action(
            id=new_id(),
            kind=template.kind,
            subject=target,
            params=params,
            status=ActionStatus.PLANNED,
            created_at=decision.decided_at,
            decision_id=decision.id,
            policy=hit.policy if hit else None,
        )
    return tuple(planned.values())


def _strongest_hit(decision: Decision) -> RuleHit | None:
    return max(
        decision.hits,
        key=lambda h: (h.verdict.rank if h.verdict else 0, h.score),
        default=None,
    )
