"""In-memory storage: the reference implementation of every storage port and the unit-test fake.

A unit of work takes the store's lock, works on a copy of the state and swaps it in on commit, so
uncommitted work is never seen and a failed unit leaves nothing behind.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import TracebackType
from typing import Self

from garrison.adapters.storage import memory_enforcement, memory_review
from garrison.adapters.storage.memory_events import events_by_time
from garrison.adapters.storage.memory_investigations import (
    InvestigationState,
    MemoryRetroActions,
    MemorySavedQueries,
)
from garrison.adapters.storage.memory_links import LinkState, MemoryLinks, MemoryRings
from garrison.adapters.storage.memory_models import MemoryModelVersions, ModelState
from garrison.adapters.storage.memory_policies import (
    MemoryNotices,
    MemoryPlaybooks,
    MemoryTaxonomies,
    MemoryWellness,
    PolicyState,
)
from garrison.adapters.storage.memory_quality import MemoryQualityStore, QualityState
from garrison.adapters.storage.memory_rules import (
    MemoryAlerts,
    MemoryReleases,
    MemoryRuleActivity,
    MemoryRuleControls,
    RulesState,
)
from garrison.adapters.storage.memory_signals import (
    MemoryEntityLabels,
    MemoryLists,
    SignalState,
    add_amounts,
    distinct_counts,
    mark_values,
    totals,
)
from garrison.adapters.storage.memory_trends import (
    MemoryIncidents,
    MemoryTrendAlerts,
    TrendState,
)
from garrison.domain.access import Role
from garrison.domain.actions import Action, ActionStatus
from garrison.domain.audit import AuditRecord
from garrison.domain.cases import Case, CaseStatus, Queue
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import (
    ActionId,
    CaseId,
    DecisionId,
    DeliveryId,
    EventId,
    PrincipalId,
    QueueName,
)
from garrison.domain.labels import Label
from garrison.domain.webhooks import Delivery, DeliveryStatus
from garrison.services.enforcement_storage import Appeals, Approvals, Ledger
from garrison.services.graph_storage import Links, RingStore
from garrison.services.investigation_storage import RetroActions, SavedQueries
from garrison.services.model_storage import ModelVersions
from garrison.services.policy_storage import Notices, Playbooks, Taxonomies, Wellness
from garrison.services.quality_storage import QualityStore
from garrison.services.release_storage import Alerts, Releases, RuleActivity, RuleControls
from garrison.services.review_storage import CaseNotes, Reporters, Reports, RoutingRules
from garrison.services.trend_storage import Incidents, TrendAlerts
from garrison.services.unit_of_work import (
    Actions,
    ApiKeyRecord,
    AuditLog,
    Cases,
    Counters,
    Decisions,
    Deliveries,
    DuplicateKey,
    EntityLabels,
    EventLog,
    Labels,
    Lists,
    Principals,
    Queues,
    StoredEvent,
    UserRecord,
)


@dataclass
class _State:
    events: dict[EventId, StoredEvent] = field(default_factory=dict)
    decisions: dict[DecisionId, Decision] = field(default_factory=dict)
    actions: dict[ActionId, Action] = field(default_factory=dict)
    cases: dict[CaseId, Case] = field(default_factory=dict)
    queues: dict[QueueName, Queue] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    api_keys: dict[str, ApiKeyRecord] = field(default_factory=dict)
    users: dict[str, UserRecord] = field(default_factory=dict)
    audit: list[AuditRecord] = field(default_factory=list)
    audit_head: tuple[int, str] | None = None
    deliveries: dict[DeliveryId, Delivery] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    signals: SignalState = field(default_factory=SignalState)
    rules: RulesState = field(default_factory=RulesState)
    links: LinkState = field(default_factory=LinkState)
    investigations: InvestigationState = field(default_factory=InvestigationState)
    models: ModelState = field(default_factory=ModelState)
    quality: QualityState = field(default_factory=QualityState)
    policies: PolicyState = field(default_factory=PolicyState)
    ledger: memory_enforcement.EnforcementState = field(
        default_factory=memory_enforcement.EnforcementState
    )
    review: memory_review.ReviewState = field(default_factory=memory_review.ReviewState)
    trends: TrendState = field(default_factory=TrendState)


class MemoryStore:
    """Holds the committed state; `uow()` opens a unit of work on it."""

    def __init__(self) -> None:
        self.state = _State()
        self.lock = threading.RLock()

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def reader(self) -> MemoryUnitOfWork:
        """A unit for reading (the SQL store's does not wait for writers); here a plain one."""
        return MemoryUnitOfWork(self)


class _Repo:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    @property
    def s(self) -> _State:
        return self._uow.state


class _EventLog(_Repo):
    def get(self, event_id: EventId) -> StoredEvent | None:
        return self.s.events.get(event_id)

    def add(self, stored: StoredEvent) -> None:
        if stored.event.id in self.s.events:
            raise DuplicateKey(f"event {stored.event.id}")
        self.s.events[stored.event.id] = stored

    def known(self, event_ids: Sequence[EventId]) -> frozenset[EventId]:
        return frozenset(i for i in event_ids if i in self.s.events)

    def add_many(self, stored: Sequence[StoredEvent]) -> None:
        ids = [s.event.id for s in stored]
        if len(set(ids)) < len(ids) or self.known(ids):
            raise DuplicateKey(f"event among {', '.join(ids)}")
        for one in stored:
            self.add(one)

    def for_entity(self, ref: EntityRef, limit: int) -> list[Event]:
        found = [se.event for se in self.s.events.values() if ref in se.event.refs]
        found.sort(key=lambda e: (e.occurred_at, e.id), reverse=True)
        return found[:limit]

    def by_time(
        self, start: datetime, end: datetime | None, after: StoredEvent | None, limit: int
    ) -> list[StoredEvent]:
        return events_by_time(self.s.events.values(), start, end, after, limit)


class _Decisions(_Repo):
    def add(self, decision: Decision) -> None:
        if decision.id in self.s.decisions:
            raise DuplicateKey(f"decision {decision.id}")
        self.s.decisions[decision.id] = decision

    def add_many(self, decisions: Sequence[Decision]) -> None:
        ids = [d.id for d in decisions]
        if len(set(ids)) < len(ids) or any(i in self.s.decisions for i in ids):
            raise DuplicateKey(f"decision among {', '.join(ids)}")
        for decision in decisions:
            self.add(decision)

    def get(self, decision_id: DecisionId) -> Decision | None:
        return self.s.decisions.get(decision_id)

    def many(self, ids: Sequence[DecisionId]) -> list[Decision]:
        return [self.s.decisions[i] for i in ids if i in self.s.decisions]


class _Actions(_Repo):
    def add(self, actions: Sequence[Action]) -> None:
        memory_enforcement.check_new_keys(self.s.actions, actions)
        for action in actions:
            if action.id in self.s.actions:
                raise DuplicateKey(f"action {action.id}")
            self.s.actions[action.id] = action

    def get(self, action_id: ActionId) -> Action | None:
        return self.s.actions.get(action_id)

    def planned(self, limit: int) -> list[Action]:
        todo = [a for a in self.s.actions.values() if a.status is ActionStatus.PLANNED]
        todo.sort(key=lambda a: (a.created_at, a.id))
        return todo[:limit]

    def save(self, action: Action) -> None:
        self.s.actions[action.id] = action

    def for_source(
        self, *, decision_ids: Sequence[DecisionId] = (), case_id: CaseId | None = None
    ) -> list[Action]:
        wanted = set(decision_ids)
        found = [
            a
            for a in self.s.actions.values()
            if (a.decision_id in wanted) or (case_id is not None and a.case_id == case_id)
        ]
        return sorted(found, key=lambda a: (a.created_at, a.id))


class _Cases(_Repo):
    def add(self, case: Case) -> None:
        if case.id in self.s.cases:
            raise DuplicateKey(f"case {case.id}")
        if self.open_for(case.subject) is not None:
            raise DuplicateKey(f"open case for {case.subject}")
        self.s.cases[case.id] = case

    def get(self, case_id: CaseId) -> Case | None:
        return self.s.cases.get(case_id)

    def open_for(self, subject: EntityRef) -> Case | None:
        return next(
            (
                c
                for c in self.s.cases.values()
                if c.subject == subject and c.status is not CaseStatus.RESOLVED
            ),
            None,
        )

    def list(
        self,
        *,
        queue: QueueName | None,
        status: CaseStatus | None,
        limit: int,
        offset: int = 0,
    ) -> list[Case]:
        found = [
            c
            for c in self.s.cases.values()
            if (queue is None or c.queue == queue) and (status is None or c.status is status)
        ]
        found.sort(key=lambda c: (-c.priority, c.created_at, c.id))
        return found[offset : offset + limit]

    def save(self, case: Case) -> None:
        self.s.cases[case.id] = case

    def counts(self) -> dict[QueueName, dict[CaseStatus, int]]:
        out: dict[QueueName, dict[CaseStatus, int]] = {}
        for case in self.s.cases.values():
            per = out.setdefault(case.queue, {})
            per[case.status] = per.get(case.status, 0) + 1
        return out

    def claimable(self, queue: QueueName, now: datetime, limit: int) -> Sequence[Case]:
        return memory_review.claimable(self.s.cases.values(), queue, now, limit)

    def take(self, case: Case, holder: PrincipalId, now: datetime) -> bool:
        return memory_review.take(self.s.cases, case, holder, now)

    def waiting_since(self, queue: QueueName, before: datetime, limit: int) -> Sequence[Case]:
        return memory_review.waiting_since(self.s.cases.values(), queue, before, limit)


class _Queues(_Repo):
    def list(self) -> list[Queue]:
        return sorted(self.s.queues.values(), key=lambda q: q.name)

    def get(self, name: QueueName) -> Queue | None:
        return self.s.queues.get(name)

    def save(self, queue: Queue) -> None:
        self.s.queues[queue.name] = queue


class _Labels(_Repo):
    def add(self, label: Label) -> None:
        if any(existing.id == label.id for existing in self.s.labels):
            raise DuplicateKey(f"label {label.id}")
        self.s.labels.append(label)

    def for_subject(self, subject: EntityRef) -> list[Label]:
        found = [lab for lab in self.s.labels if lab.subject == subject]
        return sorted(found, key=lambda lab: (lab.created_at, lab.id), reverse=True)


class _Principals(_Repo):
    def add_api_key(self, record: ApiKeyRecord) -> None:
        if record.key_hash in self.s.api_keys:
            raise DuplicateKey("api key")
        self.s.api_keys[record.key_hash] = record

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        return self.s.api_keys.get(key_hash)

    def add_user(self, record: UserRecord) -> None:
        if record.email in self.s.users or self.user_by_id(record.principal.id):
            raise DuplicateKey(f"user {record.email}")
        self.s.users[record.email] = record

    def user_by_email(self, email: str) -> UserRecord | None:
        return self.s.users.get(email)

    def user_by_id(self, principal_id: PrincipalId) -> UserRecord | None:
        return next((u for u in self.s.users.values() if u.principal.id == principal_id), None)

    def count_by_role(self, role: Role) -> int:
        people = [u.principal for u in self.s.users.values()]
        machines = [k.principal for k in self.s.api_keys.values()]
        return sum(1 for p in people + machines if p.role is role)


class _AuditLog(_Repo):
    def last(self) -> AuditRecord | None:
        return self.s.audit[-1] if self.s.audit else None

    def append(self, record: AuditRecord) -> None:
        if self.s.audit and self.s.audit[-1].seq >= record.seq:
            raise DuplicateKey(f"audit record {record.seq}")
        self.s.audit.append(record)
        self.s.audit_head = (record.seq, record.hash)

    def head(self) -> tuple[int, str] | None:
        return self.s.audit_head

    def scan(self, after_seq: int, limit: int) -> list[AuditRecord]:
        return [r for r in self.s.audit if r.seq > after_seq][:limit]

    def recent(self, *, limit: int, target: str | None = None) -> list[AuditRecord]:
        found = [r for r in reversed(self.s.audit) if target is None or r.target == target]
        return found[:limit]


class _Deliveries(_Repo):
    def add(self, delivery: Delivery) -> None:
        if delivery.id in self.s.deliveries:
            raise DuplicateKey(f"delivery {delivery.id}")
        self.s.deliveries[delivery.id] = delivery

    def get(self, delivery_id: DeliveryId) -> Delivery | None:
        return self.s.deliveries.get(delivery_id)

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        found = [
            d
            for d in self.s.deliveries.values()
            if d.status is DeliveryStatus.PENDING and d.next_attempt_at <= now
        ]
        found.sort(key=lambda d: (d.next_attempt_at, d.id))
        return found[:limit]

    def save(self, delivery: Delivery) -> None:
        self.s.deliveries[delivery.id] = delivery

    def list(self, *, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        found = [d for d in self.s.deliveries.values() if status is None or d.status is status]
        found.sort(key=lambda d: (d.created_at, d.id), reverse=True)
        return found[:limit]


class _Counters(_Repo):
    def increment(self, keys: Sequence[str], bucket: int) -> None:
        for key in keys:
            self.s.counters[(key, bucket)] += 1

    def sums(self, queries: Sequence[tuple[str, int, int]]) -> list[int]:
        table = self.s.counters
        return [
            sum(table.get((key, b), 0) for b in range(first, last + 1))
            for key, first, last in queries
        ]

    def add(self, items: Sequence[tuple[str, int, float]]) -> None:
        add_amounts(self.s.signals, items)

    def totals(self, queries: Sequence[tuple[str, int, int]]) -> list[float]:
        return totals(self.s.signals, queries)

    def mark(self, items: Sequence[tuple[str, int, str]]) -> None:
        mark_values(self.s.signals, items)

    def distinct(self, queries: Sequence[tuple[str, int, int, str | None]]) -> list[int]:
        return distinct_counts(self.s.signals, queries)


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self.state = store.state
        self.events: EventLog = _EventLog(self)
        self.decisions: Decisions = _Decisions(self)
        self.actions: Actions = _Actions(self)
        self.cases: Cases = _Cases(self)
        self.queues: Queues = _Queues(self)
        self.labels: Labels = _Labels(self)
        self.principals: Principals = _Principals(self)
        self.audit: AuditLog = _AuditLog(self)
        self.deliveries: Deliveries = _Deliveries(self)
        self.counters: Counters = _Counters(self)
        self.lists: Lists = MemoryLists(lambda: self.state.signals)
        self.entity_labels: EntityLabels = MemoryEntityLabels(lambda: self.state.signals)
        self.releases: Releases = MemoryReleases(lambda: self.state.rules)
        self.rule_controls: RuleControls = MemoryRuleControls(lambda: self.state.rules)
        self.rule_activity: RuleActivity = MemoryRuleActivity(
            lambda: self.state.rules, lambda: self.state.decisions
        )
        self.alerts: Alerts = MemoryAlerts(lambda: self.state.rules)
        self.links: Links = MemoryLinks(lambda: self.state.links)
        self.rings: RingStore = MemoryRings(lambda: self.state.links)
        self.saved_queries: SavedQueries = MemorySavedQueries(lambda: self.state.investigations)
        self.retro_actions: RetroActions = MemoryRetroActions(lambda: self.state.investigations)
        self.models: ModelVersions = MemoryModelVersions(lambda: self.state.models)
        self.quality: QualityStore = MemoryQualityStore(
            lambda: self.state.quality, lambda: self.state.labels
        )
        self.taxonomies: Taxonomies = MemoryTaxonomies(lambda: self.state.policies)
        self.playbooks: Playbooks = MemoryPlaybooks(lambda: self.state.policies)
        self.notices: Notices = MemoryNotices(lambda: self.state.policies)
        self.wellness: Wellness = MemoryWellness(lambda: self.state.policies)
        self.ledger: Ledger = memory_enforcement.MemoryLedger(lambda: self.state.actions)
        self.appeals: Appeals = memory_enforcement.MemoryAppeals(lambda: self.state.ledger)
        self.approvals: Approvals = memory_enforcement.MemoryApprovals(lambda: self.state.ledger)
        self.reports: Reports = memory_review.MemoryReports(lambda: self.state.review)
        self.reporters: Reporters = memory_review.MemoryReporters(lambda: self.state.review)
        self.routing: RoutingRules = memory_review.MemoryRoutingRules(lambda: self.state.review)
        self.case_notes: CaseNotes = memory_review.MemoryCaseNotes(lambda: self.state.review)
        self.trend_alerts: TrendAlerts = MemoryTrendAlerts(lambda: self.state.trends)
        self.incidents: Incidents = MemoryIncidents(lambda: self.state.trends)

    def __enter__(self) -> Self:
        self._store.lock.acquire()
        self.state = _copy(self._store.state)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.state = self._store.state
        self._store.lock.release()

    def commit(self) -> None:
        self._store.state = self.state
        self.state = _copy(self.state)


def _copy(state: _State) -> _State:
    """Copy the containers, not the values: every stored value is a frozen dataclass or a tuple."""
    return _State(**{f.name: copy.copy(getattr(state, f.name)) for f in fields(state)})
