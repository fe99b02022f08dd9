"""The SQL store: one engine per store, one connection and transaction per unit of work."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from garrison.adapters.storage.sql.access import SqlAuditLog, SqlPrincipals
from garrison.adapters.storage.sql.actions import SqlActions, SqlDeliveries
from garrison.adapters.storage.sql.case_notes import SqlCaseNotes
from garrison.adapters.storage.sql.cases import SqlCases, SqlLabels, SqlQueues
from garrison.adapters.storage.sql.counters import SqlCounters
from garrison.adapters.storage.sql.enforcement import SqlAppeals, SqlApprovals, SqlLedger
from garrison.adapters.storage.sql.engine import make_engine
from garrison.adapters.storage.sql.entity_labels import SqlEntityLabels
from garrison.adapters.storage.sql.events import SqlDecisions, SqlEventLog
from garrison.adapters.storage.sql.investigations import SqlRetroActions, SqlSavedQueries
from garrison.adapters.storage.sql.links import SqlLinks, SqlRings
from garrison.adapters.storage.sql.lists import SqlLists
from garrison.adapters.storage.sql.models import SqlModelVersions
from garrison.adapters.storage.sql.policies import (
    SqlNotices,
    SqlPlaybooks,
    SqlTaxonomies,
    SqlWellness,
)
from garrison.adapters.storage.sql.quality import SqlQualityStore
from garrison.adapters.storage.sql.releases import SqlReleases, SqlRuleControls
from garrison.adapters.storage.sql.rule_activity import SqlAlerts, SqlRuleActivity
from garrison.adapters.storage.sql.trends import SqlIncidents, SqlTrendAlerts
from garrison.adapters.storage.sql.tx import Tx
from garrison.adapters.storage.sql.user_reports import SqlReporters, SqlReports, SqlRoutingRules
from garrison.adapters.storage.sql.writelock import WriteLock, sqlite_write_lock
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
    AuditLog,
    Cases,
    Counters,
    Decisions,
    Deliveries,
    EntityLabels,
    EventLog,
    Labels,
    Lists,
    Principals,
    Queues,
)

SUPPORTED_DIALECTS = ("sqlite", "postgresql")


class SqlStore:
    """SQLite or PostgreSQL behind the storage port. Run `migrate(url)` before first use."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        if self.engine.dialect.name not in SUPPORTED_DIALECTS:
            self.engine.dispose()
            raise ValueError(f"unsupported database {self.engine.dialect.name!r} in {url!r}")
        self.write_lock: WriteLock | None = None
        if self.engine.dialect.name == "sqlite":
            self.write_lock = sqlite_write_lock(self.engine.url)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.write_lock)

    def reader(self) -> SqlUnitOfWork:
        """A unit that only reads (it cannot commit): no write lock and, on SQLite, a deferred
        transaction, a snapshot that does not wait for the writer."""
        return SqlUnitOfWork(self.engine, read_only=True)

    def ping(self) -> bool:
        """Whether the database answers (for readiness probes)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.write_lock is not None:
            self.write_lock.close()


class SqlUnitOfWork:
    """`with store.uow() as uow: ...; uow.commit()`; leaving without commit rolls back.

    After `commit()` the unit may keep working: the next statement opens a new transaction.
    """

    def __init__(
        self, engine: Engine, write_lock: WriteLock | None = None, *, read_only: bool = False
    ) -> None:
        self._tx = tx = Tx(engine, write_lock, read_only=read_only)
        # Annotated with the ports, so mypy checks each repository against its protocol.
        self.events: EventLog = SqlEventLog(tx)
        self.decisions: Decisions = SqlDecisions(tx)
        self.actions: Actions = SqlActions(tx)
        self.cases: Cases = SqlCases(tx)
        self.queues: Queues = SqlQueues(tx)
        self.labels: Labels = SqlLabels(tx)
        self.principals: Principals = SqlPrincipals(tx)
        self.audit: AuditLog = SqlAuditLog(tx)
        self.deliveries: Deliveries = SqlDeliveries(tx)
        self.counters: Counters = SqlCounters(tx)
        self.lists: Lists = SqlLists(tx)
        self.entity_labels: EntityLabels = SqlEntityLabels(tx)
        self.releases: Releases = SqlReleases(tx)
        self.rule_controls: RuleControls = SqlRuleControls(tx)
        self.rule_activity: RuleActivity = SqlRuleActivity(tx)
        self.alerts: Alerts = SqlAlerts(tx)
        self.links: Links = SqlLinks(tx)
        self.rings: RingStore = SqlRings(tx)
        self.saved_queries: SavedQueries = SqlSavedQueries(tx)
        self.retro_actions: RetroActions = SqlRetroActions(tx)
        self.ledger: Ledger = SqlLedger(tx)
        self.appeals: Appeals = SqlAppeals(tx)
        self.approvals: Approvals = SqlApprovals(tx)
        self.models: ModelVersions = SqlModelVersions(tx)
        self.taxonomies: Taxonomies = SqlTaxonomies(tx)
        self.playbooks: Playbooks = SqlPlaybooks(tx)
        self.notices: Notices = SqlNotices(tx)
        self.wellness: Wellness = SqlWellness(tx)
        self.quality: QualityStore = SqlQualityStore(tx)
        self.trend_alerts: TrendAlerts = SqlTrendAlerts(tx)
        self.incidents: Incidents = SqlIncidents(tx)
        self.reports: Reports = SqlReports(tx)
        self.reporters: Reporters = SqlReporters(tx)
        self.routing: RoutingRules = SqlRoutingRules(tx)
        self.case_notes: CaseNotes = SqlCaseNotes(tx)

    def __enter__(self) -> Self:
        self._tx.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._tx.close()

    def commit(self) -> None:
        self._tx.commit()
