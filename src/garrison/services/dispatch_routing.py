"""Which queue the dispatcher opens a case in when an `enqueue_review` action names none.

The routing rules see the action's policy (else the first policy a rule hit named), a severity
read from the action's params or, failing that, from the decision's verdict, and the customer
tier the event carried.
"""

from __future__ import annotations

from garrison.domain.actions import Action
from garrison.domain.decisions import Decision
from garrison.domain.entities import Tier
from garrison.domain.ids import QueueName
from garrison.domain.policies import Severity
from garrison.domain.routing import FALLBACK_QUEUE, WorkItem, WorkSource
from garrison.domain.verdicts import Verdict
from garrison.services.routing import route_for
from garrison.services.unit_of_work import UnitOfWork

SEVERITY_OF_VERDICT = {
    Verdict.ALLOW: Severity.LOW,
    Verdict.REVIEW: Severity.LOW,
    Verdict.CHALLENGE: Severity.MEDIUM,
    Verdict.BLOCK: Severity.HIGH,
}


def queue_for_action(uow: UnitOfWork, action: Action, decision: Decision | None) -> QueueName:
    """The queue the action names (the fallback queue if that does not exist), else the one the
    routing rules pick."""
    named = action.params.get("queue")
    if not named:
        return route_for(uow, item_for(uow, action, decision))
    queue = QueueName(str(named))
    return queue if uow.queues.get(queue) is not None else FALLBACK_QUEUE


def item_for(uow: UnitOfWork, action: Action, decision: Decision | None) -> WorkItem:
    """What routing looks at for a decision's review."""
    hit_policies = [h.policy for h in decision.hits if h.policy] if decision else []
    policy = action.policy or (hit_policies[0] if hit_policies else None)
    return WorkItem(
        WorkSource.DECISION,
        policy=policy,
        severity=_severity(action, decision),
        tier=_tier(uow, decision),
    )


def _severity(action: Action, decision: Decision | None) -> Severity | None:
    named = action.params.get("severity")
    if isinstance(named, str) and named in Severity.__members__.values():
        return Severity(named)
    return SEVERITY_OF_VERDICT[decision.verdict] if decision else None


def _tier(uow: UnitOfWork, decision: Decision | None) -> Tier | None:
    stored = uow.events.get(decision.event_id) if decision else None
    value = stored.event.attributes.get("tier") if stored else None
    return Tier(value) if isinstance(value, str) and value in {t.value for t in Tier} else None
