"""Reviewer QA intake: golden items, blind double reviews and random samples of allowed traffic.

Each becomes an ordinary case in a queue (reviewers cannot tell a golden item from real work),
with a QA item next to it saying what to compare its resolution with. Sampling is deterministic
(see `domain.sampling`): running a sweep twice enqueues nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Case, CaseStatus, Queue
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import CaseId, LabelId, PrincipalId, QueueName
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.qa import QaItem, QaItemId, QaKind
from garrison.domain.sampling import segment_of, selected
from garrison.domain.verdicts import Verdict
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import StoredEvent, UnitOfWork, UnitOfWorkFactory

QA_QUEUE = QueueName("qa")
LABELLING_QUEUE = QueueName("labelling")
QA_QUEUES: tuple[Queue, ...] = (
    Queue(
        QA_QUEUE, "Random QA sample of allowed traffic (measures what the rules miss)", 72 * 3600
    ),
    Queue(LABELLING_QUEUE, "Items the models are least sure about (active learning)", 72 * 3600),
)
PAGE = 2000
MAX_SCAN = 200_000


@dataclass(frozen=True, slots=True)
class SamplePlan:
    """How to sample allowed traffic: a default rate, per-segment overrides and a seed."""

    rate: float
    seed: str = "qa"
    segment_rates: tuple[tuple[str, float], ...] = ()

    def rate_for(self, segment: str) -> float:
        return dict(self.segment_rates).get(segment, self.rate)


@dataclass(frozen=True, slots=True)
class SweepResult:
    scanned: int
    enqueued: tuple[QaItem, ...]


class QaIntake:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        *,
        readers: UnitOfWorkFactory | None = None,
    ) -> None:
        self._uow = uow_factory
        self._readers = readers or uow_factory
        self._clock = clock
        self._ids = ids

    def seed_golden(
        self,
        principal: Principal,
        subject: EntityRef,
        value: LabelValue,
        policy: str | None,
        queue: QueueName,
    ) -> QaItem:
        """Put a known-answer case in `queue`; the answer is stored as a golden label."""
        principal.require(Permission.MANAGE_QUALITY)
        if value is LabelValue.VIOLATING and not policy:
            raise InvalidInput("a violating golden answer must name its policy", field="policy")
        now = self._clock.now()
        with self._uow() as uow:
            if uow.queues.get(queue) is None:
                raise NotFound(f"no queue named {queue!r}", field="queue")
            if uow.quality.has_keys(QaKind.GOLDEN, [str(subject)]):
                raise Conflict(f"{subject} is already a golden item", field="subject")
            case = self._new_case(uow, subject, queue, now)
            item = self._item(QaKind.GOLDEN, str(subject), case, now, source=principal.actor)
            item = replace(item, expected=value, expected_policy=policy)
            uow.quality.add_item(item)
            uow.labels.add(
                Label(
                    LabelId(self._ids.new("lbl")),
                    subject,
                    policy,
                    value,
                    Provenance.GOLDEN,
                    principal.actor,
                    now,
                )
            )
            _audit(uow, self._clock, principal, "qa.golden", case.id, {"queue": queue})
            uow.commit()
        return item

    def sample_double_reviews(
        self, principal: Principal, *, rate: float, seed: str, limit: int = 1000
    ) -> SweepResult:
        """Send a `rate` share of resolved cases to a second, blind review in the same queue."""
        principal.require(Permission.MANAGE_QUALITY)
        _check_rate(rate)
        now = self._clock.now()
        enqueued: list[QaItem] = []
        with self._uow() as uow:
            resolved = uow.cases.list(queue=None, status=CaseStatus.RESOLVED, limit=limit)
            chosen = [c for c in resolved if selected(seed, c.id, rate)]
            taken = uow.quality.has_keys(QaKind.DOUBLE, [c.id for c in chosen])
            for first in chosen:
                if first.id in taken or uow.quality.item_for_case(first.id) is not None:
                    continue
                if uow.cases.open_for(first.subject) is not None:
                    continue
                case = self._new_case(uow, first.subject, first.queue, now)
                by = first.resolution.by if first.resolution else None
                item = self._item(QaKind.DOUBLE, first.id, case, now, source=by)
                uow.quality.add_item(item)
                enqueued.append(item)
            _audit(uow, self._clock, principal, "qa.double", "qa", {"cases": len(enqueued)})
            uow.commit()
        return SweepResult(len(resolved), tuple(enqueued))

    def sample_traffic(
        self, principal: Principal, plan: SamplePlan, *, since: datetime, until: datetime
    ) -> SweepResult:
        """Enqueue a stratified random sample of events the engine allowed in [since, until)."""
        principal.require(Permission.MANAGE_QUALITY)
        _check_rate(plan.rate)
        for _, rate in plan.segment_rates:
            _check_rate(rate)
        now = self._clock.now()
        scanned = 0
        chosen: list[tuple[Event, str, float]] = []
        for event, decision in decided(self._readers, since, until):
            scanned += 1
            if decision.verdict is not Verdict.ALLOW or event.subject is None:
                continue
            segment = segment_of(event.type, _tier(event))
            rate = plan.rate_for(segment)
            if selected(plan.seed, event.id, rate):
                chosen.append((event, segment, rate))
        enqueued = self._enqueue_samples(chosen, now)
        with self._uow() as uow:
            details = {"scanned": scanned, "sampled": len(enqueued), "rate": plan.rate}
            _audit(uow, self._clock, principal, "qa.sample", "qa", details)
            uow.commit()
        return SweepResult(scanned, enqueued)

    def _enqueue_samples(
        self, chosen: list[tuple[Event, str, float]], now: datetime
    ) -> tuple[QaItem, ...]:
        enqueued: list[QaItem] = []
        with self._uow() as uow:
            taken = uow.quality.has_keys(QaKind.SAMPLE, [e.id for e, _, _ in chosen])
            for event, segment, rate in chosen:
                if event.id in taken or event.subject is None:
                    continue
                case = uow.cases.open_for(event.subject) or self._new_case(
                    uow, event.subject, QA_QUEUE, now
                )
                item = self._item(QaKind.SAMPLE, event.id, case, now, source=event.type)
                item = replace(item, segment=segment, rate=rate)
                uow.quality.add_item(item)
                enqueued.append(item)
            uow.commit()
        return tuple(enqueued)

    def _new_case(
        self, uow: UnitOfWork, subject: EntityRef, queue: QueueName, now: datetime
    ) -> Case:
        if uow.cases.open_for(subject) is not None:
            raise Conflict(f"{subject} already has an open case", field="subject")
        case = Case(CaseId(self._ids.new("case")), queue, subject, CaseStatus.OPEN, 0, now, now)
        uow.cases.add(case)
        return case

    def _item(
        self, kind: QaKind, key: str, case: Case, now: datetime, *, source: str | None
    ) -> QaItem:
        return QaItem(
            QaItemId(self._ids.new("qa")),
            kind,
            key,
            case.id,
            case.queue,
            case.subject,
            now,
            source=source,
        )


def provenance_of_case(uow: UnitOfWork, case_id: CaseId) -> Provenance:
    """The provenance a resolution of this case should give its label: `qa_sample` for a case
    from the QA sample or a blind double review, else `review` (hook for the review service)."""
    item = uow.quality.item_for_case(case_id)
    if item is not None and item.kind in (QaKind.SAMPLE, QaKind.DOUBLE):
        return Provenance.QA_SAMPLE
    return Provenance.REVIEW


def first_reviewer(uow: UnitOfWork, case_id: CaseId) -> PrincipalId | None:
    """For the second case of a blind double review, who resolved the first: that person may
    not claim it, and its case file must not show the first answer (hook for the review
    service). None for every other case."""
    item = uow.quality.item_for_case(case_id)
    if item is None or item.kind is not QaKind.DOUBLE:
        return None
    first = uow.cases.get(CaseId(item.key))
    return first.resolution.by if first is not None and first.resolution is not None else None


def decided(
    uow_factory: UnitOfWorkFactory, since: datetime, until: datetime, max_events: int = MAX_SCAN
) -> Iterator[tuple[Event, Decision]]:
    """Events that occurred in [since, until) with their decisions, a page per unit of work."""
    after: StoredEvent | None = None
    read = 0
    while read < max_events:
        limit = min(PAGE, max_events - read)
        with uow_factory() as uow:
            page = uow.events.by_time(since, until, after, limit)
            found = {d.id: d for d in uow.decisions.many([s.decision_id for s in page])}
        for stored in page:
            decision = found.get(stored.decision_id)
            if decision is not None:
                yield stored.event, decision
        read += len(page)
        if len(page) < limit:
            return
        after = page[-1]


def window(until: datetime, days: int) -> tuple[datetime, datetime]:
    if days < 1:
        raise InvalidInput("the period is at least one day", field="days")
    return until - timedelta(days=days), until


def _tier(event: Event) -> str | None:
    tier = event.attributes.get("tier")
    return str(tier) if tier is not None else None


def _check_rate(rate: float) -> None:
    if not 0.0 < rate <= 1.0:
        raise InvalidInput("a sampling rate is above 0 and at most 1", field="rate")


def _audit(
    uow: UnitOfWork,
    clock: Clock,
    principal: Principal,
    action: str,
    target: str,
    details: Mapping[str, JsonValue],
) -> None:
    audit.record(uow, clock, actor=principal.actor, action=action, target=target, details=details)
