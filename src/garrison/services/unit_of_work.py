"""The storage port: repositories grouped in one unit of work, committed atomically.

Every repository has an in-memory implementation (the test fake and reference) and SQL ones
(SQLite, PostgreSQL); one contract suite runs against all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from garrison.domain.access import Principal, Role
from garrison.domain.actions import Action
from garrison.domain.audit import AuditRecord
from garrison.domain.cases import Case, CaseStatus, Queue
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityRef
from garrison.domain.entity_labels import EntityLabel
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
from garrison.domain.lists import ListSummary, ValueList
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


class DuplicateKey(Exception):
    """An insert collided with a stored row (raised at insert or at commit)."""


@dataclass(frozen=True, slots=True)
class StoredEvent:
    event: Event
    fingerprint: str
    decision_id: DecisionId
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    principal: Principal
    key_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserRecord:
    principal: Principal
    email: str
    password_hash: str
    created_at: datetime
    disabled: bool = False


class EventLog(Protocol):
    def get(self, event_id: EventId) -> StoredEvent | None: ...
    def known(self, event_ids: Sequence[EventId]) -> frozenset[EventId]:
        """Which of these ids are stored, in one query (a batch checks its events at once)."""
        ...

    def add(self, stored: StoredEvent) -> None:
        """Append; raise DuplicateKey if the id is taken."""
        ...

    def add_many(self, stored: Sequence[StoredEvent]) -> None:
        """Append all (a batch's events, in few statements) or none: DuplicateKey if an id is
        taken or given twice."""
        ...

    def for_entity(self, ref: EntityRef, limit: int) -> list[Event]:
        """Events naming `ref`, newest first."""
        ...

    def by_time(
        self, start: datetime, end: datetime | None, after: StoredEvent | None, limit: int
    ) -> list[StoredEvent]:
        """Events with `start <= occurred_at` (and `< end` when given) in replay order
        (occurred_at, received_at, id): the first `limit` after `after`, a previous page's last."""
        ...


class Decisions(Protocol):
    def add(self, decision: Decision) -> None: ...
    def add_many(self, decisions: Sequence[Decision]) -> None:
        """Add all or none, like `EventLog.add_many`."""
        ...

    def get(self, decision_id: DecisionId) -> Decision | None: ...
    def many(self, ids: Sequence[DecisionId]) -> list[Decision]:
        """The decisions with these ids, in the order given (unknown ids are skipped)."""
        ...


class Actions(Protocol):
    """The outbox: actions planned in a transaction and performed later by the dispatcher."""

    def add(self, actions: Sequence[Action]) -> None: ...
    def get(self, action_id: ActionId) -> Action | None: ...
    def planned(self, limit: int) -> list[Action]:
        """Oldest planned actions first; concurrent dispatchers never get the same one."""
        ...

    def save(self, action: Action) -> None: ...
    def for_source(
        self, *, decision_ids: Sequence[DecisionId] = (), case_id: CaseId | None = None
    ) -> list[Action]: ...


class Cases(Protocol):
    def add(self, case: Case) -> None: ...
    def get(self, case_id: CaseId) -> Case | None: ...
    def open_for(self, subject: EntityRef) -> Case | None:
        """The subject's case that is not resolved yet, if any."""
        ...

    def list(
        self,
        *,
        queue: QueueName | None,
        status: CaseStatus | None,
        limit: int,
        offset: int = 0,
    ) -> list[Case]:
        """Highest priority first, then oldest."""
        ...

    def save(self, case: Case) -> None: ...
    def counts(self) -> dict[QueueName, dict[CaseStatus, int]]: ...
    def claimable(self, queue: QueueName, now: datetime, limit: int) -> Sequence[Case]:
        """Open cases and cases whose lease ran out, earliest `rank_at` first. PostgreSQL locks
        the rows it returns, skipping rows other transactions hold (`FOR UPDATE SKIP LOCKED`)."""
        ...

    def take(self, case: Case, holder: PrincipalId, now: datetime) -> bool:
        """Store `case` only if the stored one is still claimable by `holder` at `now` (one
        conditional UPDATE); False, with nothing written, if someone else holds it."""
        ...

    def waiting_since(self, queue: QueueName, before: datetime, limit: int) -> Sequence[Case]:
        """Unresolved cases of the queue that entered it at or before `before`, oldest first."""
        ...


class Queues(Protocol):
    def list(self) -> list[Queue]: ...
    def get(self, name: QueueName) -> Queue | None: ...
    def save(self, queue: Queue) -> None: ...


class Labels(Protocol):
    def add(self, label: Label) -> None: ...
    def for_subject(self, subject: EntityRef) -> list[Label]:
        """Newest first."""
        ...


class Principals(Protocol):
    def add_api_key(self, record: ApiKeyRecord) -> None: ...
    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None: ...
    def add_user(self, record: UserRecord) -> None:
        """Raise DuplicateKey if the email is taken."""
        ...

    def user_by_email(self, email: str) -> UserRecord | None: ...
    def user_by_id(self, principal_id: PrincipalId) -> UserRecord | None: ...
    def count_by_role(self, role: Role) -> int: ...


class AuditLog(Protocol):
    def last(self) -> AuditRecord | None:
        """The newest record. Appends are serialised: no two transactions chain off one record."""
        ...

    def append(self, record: AuditRecord) -> None:
        """Store the record and move the head to it."""
        ...

    def head(self) -> tuple[int, str] | None: ...
    def scan(self, after_seq: int, limit: int) -> list[AuditRecord]:
        """Records with seq > after_seq, in order."""
        ...

    def recent(self, *, limit: int, target: str | None = None) -> list[AuditRecord]:
        """Newest first."""
        ...


class Deliveries(Protocol):
    def add(self, delivery: Delivery) -> None: ...
    def get(self, delivery_id: DeliveryId) -> Delivery | None: ...
    def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, oldest first."""
        ...

    def save(self, delivery: Delivery) -> None: ...
    def list(self, *, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
        """Newest first."""
        ...


class Counters(Protocol):
    """Velocity counters in time buckets, committed with the decisions they fed."""

    def increment(self, keys: Sequence[str], bucket: int) -> None: ...
    def sums(self, queries: Sequence[tuple[str, int, int]]) -> list[int]:
        """For each (key, first_bucket, last_bucket), the total over those buckets inclusive."""
        ...

    def add(self, items: Sequence[tuple[str, int, float]]) -> None:
        """Add each (key, bucket, amount) to that bucket's running total (for SUM aggregates)."""
        ...

    def totals(self, queries: Sequence[tuple[str, int, int]]) -> list[float]:
        """For each (key, first_bucket, last_bucket), the summed amounts over those buckets."""
        ...

    def mark(self, items: Sequence[tuple[str, int, str]]) -> None:
        """Remember that (key, bucket) saw the value (for DISTINCT aggregates; idempotent)."""
        ...

    def distinct(self, queries: Sequence[tuple[str, int, int, str | None]]) -> list[int]:
        """For each (key, first, last, also), how many distinct values the buckets saw.

        `also`, when given, is counted as if it had been seen too (the event being evaluated).
        """
        ...


class Lists(Protocol):
    """Named value lists. `version`s come from `next_version`, so no two writes share one."""

    def get(self, name: str) -> ValueList | None: ...
    def summaries(self) -> list[ListSummary]:
        """Every list without its entries, by name."""
        ...

    def versions(self, names: Sequence[str]) -> dict[str, int]:
        """The current version of each named list that exists, in one query."""
        ...

    def next_version(self) -> int:
        """A version number greater than any handed out before, deleted lists included."""
        ...

    def add(self, value_list: ValueList) -> None:
        """Store a new list; raise DuplicateKey if the name is taken."""
        ...

    def save(self, value_list: ValueList, *, expected_version: int) -> bool:
        """Overwrite the list if its stored version is `expected_version`; False if not."""
        ...

    def delete(self, name: str) -> bool: ...


class EntityLabels(Protocol):
    def put(self, label: EntityLabel) -> None:
        """Store the label, replacing the subject's label of the same name if any."""
        ...

    def remove(self, subject: EntityRef, name: str) -> bool: ...
    def for_subjects(
        self, subjects: Sequence[EntityRef], *, active_at: datetime | None
    ) -> list[EntityLabel]:
        """The labels of these subjects (only those active at `active_at` unless it is None),
        in one query, ordered by subject then name."""
        ...


class UnitOfWork(Protocol):
    events: EventLog
    decisions: Decisions
    actions: Actions
    cases: Cases
    queues: Queues
    labels: Labels
    principals: Principals
    audit: AuditLog
    deliveries: Deliveries
    counters: Counters
    lists: Lists
    entity_labels: EntityLabels
    releases: Releases
    rule_controls: RuleControls
    rule_activity: RuleActivity
    alerts: Alerts
    links: Links
    rings: RingStore
    saved_queries: SavedQueries
    retro_actions: RetroActions
    models: ModelVersions
    quality: QualityStore
    taxonomies: Taxonomies
    playbooks: Playbooks
    notices: Notices
    wellness: Wellness
    ledger: Ledger
    appeals: Appeals
    approvals: Approvals
    reports: Reports
    reporters: Reporters
    routing: RoutingRules
    case_notes: CaseNotes
    trend_alerts: TrendAlerts
    incidents: Incidents

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make every change of this unit durable at once; raise DuplicateKey on a collision."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
