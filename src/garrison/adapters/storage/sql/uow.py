"""The SQL store: one engine per store, one connection and transaction per unit of work."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from garrison.adapters.storage.sql.access import SqlAuditLog, SqlPrincipals
from garrison.adapters.storage.sql.actions import SqlActions, SqlDeliveries
from garrison.adapters.storage.sql.cases import SqlCases, SqlLabels, SqlQueues
from garrison.adapters.storage.sql.counters import SqlCounters
from garrison.adapters.storage.sql.engine import make_engine
from garrison.adapters.storage.sql.events import SqlDecisions, SqlEventLog
from garrison.adapters.storage.sql.tx import Tx
from garrison.services.unit_of_work import (
    Actions,
    AuditLog,
    Cases,
    Counters,
    Decisions,
    Deliveries,
    EventLog,
    Labels,
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

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

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


class SqlUnitOfWork:
    """`with store.uow() as uow: ...; uow.commit()`; leaving without commit rolls back.

    After `commit()` the unit may keep working: the next statement opens a new transaction.
    """

    def __init__(self, engine: Engine) -> None:
        self._tx = tx = Tx(engine)
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
