"""Review: queues, cases, claims and resolutions. A resolution records a label and plans actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.case_notes import Evidence
from garrison.domain.cases import Case, CaseStatus, Outcome, Queue, Resolution
from garrison.domain.decisions import Decision
from garrison.domain.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from garrison.domain.events import Event
from garrison.domain.ids import ActionId, CaseId, DecisionId, LabelId, QueueName
from garrison.domain.labels import Label, LabelValue
from garrison.domain.qa import QaKind
from garrison.domain.strikes import StrikeLadders
from garrison.domain.user_reports import Report
from garrison.services import audit, claims, escalations, qa
from garrison.services.case_timeline import TimelineEntry, timeline
from garrison.services.ledger import next_strike
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from garrison.services.user_reports import settle_reports

SUBJECT_EVENTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class QueueSummary:
    queue: Queue
    counts: dict[CaseStatus, int]


@dataclass(frozen=True, slots=True)
class CaseFile:
    """Everything a reviewer sees on a case page (with the case's timeline and evidence). Reading
    it is audited: it holds raw content."""

    case: Case
    decisions: tuple[Decision, ...]
    events: tuple[Event, ...]
    actions: tuple[Action, ...]
    labels: tuple[Label, ...]
    reports: tuple[Report, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    blind: bool = False
    """The second case of a blind double review: the subject's labels are left out, and pages
    must not show other cases' resolutions either."""


class ReviewService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        *,
        lease_seconds: int = claims.DEFAULT_LEASE_SECONDS,
        ladders: StrikeLadders | None = None,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self.lease_seconds = lease_seconds
        self._ladders = ladders
        """Strike ladders: a violating resolution without actions takes the next rung (none
        planned when None)."""

    def queues(self, principal: Principal) -> list[QueueSummary]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            counts = uow.cases.counts()
            return [QueueSummary(q, counts.get(q.name, {})) for q in uow.queues.list()]

    def cases(
        self,
        principal: Principal,
        *,
        queue: QueueName | None = None,
        status: CaseStatus | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Case]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            if queue is not None and uow.queues.get(queue) is None:
                raise NotFound(f"no queue named {queue!r}", field="queue")
            return uow.cases.list(queue=queue, status=status, limit=limit, offset=offset)

    def decision(
        self, principal: Principal, decision_id: DecisionId
    ) -> tuple[Decision, list[Action]]:
        """A decision with the actions it planned."""
        principal.require(Permission.READ_DECISIONS)
        with self._uow() as uow:
            decision = uow.decisions.get(decision_id)
            if decision is None:
                raise NotFound(f"no decision {decision_id}", field="decision_id")
            return decision, uow.actions.for_source(decision_ids=[decision_id])

    def case_file(self, principal: Principal, case_id: CaseId) -> CaseFile:
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            case = _get(uow, case_id)
            decisions = uow.decisions.many(case.decision_ids)
            blind = qa.first_reviewer(uow, case.id) is not None
            found = CaseFile(
                case,
                tuple(decisions),
                tuple(uow.events.for_entity(case.subject, SUBJECT_EVENTS_SHOWN)),
                tuple(uow.actions.for_source(decision_ids=case.decision_ids, case_id=case.id)),
                () if blind else tuple(uow.labels.for_subject(case.subject)),
                tuple(uow.reports.for_case(case.id)),
                tuple(timeline(uow, case)),
                tuple(uow.case_notes.evidence(case.id)),
                blind=blind,
            )
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="case.read",
                target=f"case:{case_id}",
            )
            uow.commit()
        return found

    def next_case(
        self,
        principal: Principal,
        queue: QueueName,
        accept: Callable[[Case], bool] | None = None,
    ) -> Case | None:
        """Lease the queue's first claimable case (harm and SLA urgency first) that `accept`
        takes (the console passes the wellness filter); None if none. Skips the second case of
        a blind double review whose first case this principal resolved."""
        with self._uow() as uow:

            def claimable(case: Case) -> bool:
                if qa.first_reviewer(uow, case.id) == principal.id:
                    return False
                return accept is None or accept(case)

            return claims.claim_next(
                uow, self._clock, principal, queue, self.lease_seconds, accept=claimable
            )

    def claim(self, principal: Principal, case_id: CaseId) -> Case:
        """Lease this case (or renew your lease on it); refused if someone else holds it, or if
        it is a blind double review of a case this principal resolved."""
        with self._uow() as uow:
            _require_second_reviewer(uow, principal, case_id)
            return claims.claim(uow, self._clock, principal, case_id, self.lease_seconds)

    def escalate(self, principal: Principal, case_id: CaseId, *, reason: str) -> Case:
        """Hand your case to the next tier (senior, then policy/legal), saying why."""
        with self._uow() as uow:
            return escalations.escalate(uow, self._clock, principal, case_id, reason)

    def release(self, principal: Principal, case_id: CaseId) -> Case:
        """Give your claimed case back to the queue."""
        with self._uow() as uow:
            return claims.release(uow, self._clock, principal, case_id)

    def resolve(
        self,
        principal: Principal,
        case_id: CaseId,
        *,
        outcome: Outcome,
        policy: str | None,
        actions: Sequence[ActionTemplate],
        note: str,
    ) -> Case:
        if outcome is Outcome.VIOLATING and not policy:
            raise InvalidInput("a violating outcome must name the policy it breaks", field="policy")
        if outcome is not Outcome.VIOLATING and actions:
            raise InvalidInput("only a violating outcome may take actions", field="actions")
        now = self._clock.now()
        with self._uow() as uow:
            case = _get(uow, case_id)
            _require_queue_role(uow, principal, case)
            _require_second_reviewer(uow, principal, case_id)
            resolution = Resolution(outcome, policy, tuple(actions), note, principal.id, now)
            resolved = case.resolve(resolution)
            if not uow.cases.take(resolved, principal.id, now):
                raise InvalidTransition(
                    f"case {case_id} is claimed by someone else", field="case_id"
                )
            planned = self._plan(case, resolution, principal)
            if outcome is Outcome.VIOLATING and not planned:
                planned.extend(self._strike(uow, case, policy, principal, now))
            planned = _stamp_policy_version(uow, planned)
            uow.actions.add(planned)
            if outcome is not Outcome.ESCALATE:
                uow.labels.add(self._label(uow, case, resolution, principal))
                settle_reports(uow, case.id, upheld=outcome is Outcome.VIOLATING)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action=f"case.{'escalate' if outcome is Outcome.ESCALATE else 'resolve'}",
                target=f"case:{case_id}",
                details={
                    "outcome": outcome.value,
                    "policy": policy,
                    "actions": [a.id for a in planned],
                    "note": note,
                },
            )
            uow.commit()
        return resolved

    def _plan(self, case: Case, resolution: Resolution, principal: Principal) -> list[Action]:
        planned: list[Action] = []
        for template in resolution.actions:
            if template.kind is ActionKind.ENQUEUE_REVIEW:
                raise InvalidInput("a resolution cannot enqueue another review", field="actions")
            planned.append(
                Action(
                    id=ActionId(self._ids.new("act")),
                    kind=template.kind,
                    subject=template.target or case.subject,
                    params=dict(template.params),
                    status=ActionStatus.PLANNED,
                    created_at=resolution.at,
                    case_id=case.id,
                    policy=resolution.policy,
                    actor=principal.actor,
                )
            )
        return planned

    def _strike(
        self, uow: UnitOfWork, case: Case, policy: str | None, principal: Principal, at: datetime
    ) -> list[Action]:
        """The next rung of the policy's strike ladder for the case's subject; none without
        ladders, or for a case that only measures reviewers."""
        if self._ladders is None or not policy or _measures_only(uow, case.id):
            return []
        strike = next_strike(
            uow,
            self._ids,
            self._ladders,
            subject=case.subject,
            policy=policy,
            actor=principal.actor,
            at=at,
            case_id=case.id,
        )
        return [strike]

    def _label(
        self, uow: UnitOfWork, case: Case, resolution: Resolution, principal: Principal
    ) -> Label:
        value = (
            LabelValue.VIOLATING
            if resolution.outcome is Outcome.VIOLATING
            else LabelValue.NOT_VIOLATING
        )
        return Label(
            LabelId(self._ids.new("lbl")),
            case.subject,
            resolution.policy,
            value,
            qa.provenance_of_case(uow, case.id),
            principal.actor,
            resolution.at,
            case_id=case.id,
        )


def _get(uow: UnitOfWork, case_id: CaseId) -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", field="case_id")
    return case


def _measures_only(uow: UnitOfWork, case_id: CaseId) -> bool:
    """Whether the case only measures reviewers (a golden item or a blind double review), so
    its resolution takes no strike: the subject's real case took one already, or none is due."""
    item = uow.quality.item_for_case(case_id)
    return item is not None and item.kind in (QaKind.GOLDEN, QaKind.DOUBLE)


def _require_second_reviewer(uow: UnitOfWork, principal: Principal, case_id: CaseId) -> None:
    """The second case of a blind double review needs someone other than the first reviewer."""
    if qa.first_reviewer(uow, case_id) == principal.id:
        raise PermissionDenied(
            f"case {case_id} is a second review of your own resolution; "
            "another reviewer must take it",
            field="case_id",
        )


def _require_queue_role(uow: UnitOfWork, principal: Principal, case: Case) -> None:
    claims.require_queue_role(principal, uow.queues.get(case.queue))


def ensure_queues(uow_factory: UnitOfWorkFactory, queues: Sequence[Queue]) -> None:
    """Create the queues that do not exist yet; existing ones keep their settings."""
    with uow_factory() as uow:
        missing = [q for q in queues if uow.queues.get(q.name) is None]
        for queue in missing:
            uow.queues.save(queue)
        if missing:
            uow.commit()


def _stamp_policy_version(uow: UnitOfWork, planned: list[Action]) -> list[Action]:
    """Actions that name a policy also name the taxonomy version in force (`taxonomy vN`)."""
    taxonomy = uow.taxonomies.latest()
    if taxonomy is None:
        return planned
    version = f"taxonomy v{taxonomy.version}"
    return [
        replace(a, policy_version=version) if a.policy and a.policy_version is None else a
        for a in planned
    ]
