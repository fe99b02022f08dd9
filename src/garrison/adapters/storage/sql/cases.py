"""Cases, the queues they wait in, and the labels reviews leave behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from garrison.adapters.storage.sql import codecs, records
from garrison.adapters.storage.sql.tables import cases, labels, queues
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.cases import Case, CaseStatus, Queue
from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, PrincipalId, QueueName
from garrison.domain.labels import Label


class SqlCases:
    """One unresolved case per subject, enforced by a partial unique index."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, case: Case) -> None:
        what = f"case {case.id} (or an open case for {case.subject})"
        self._tx.insert_new(cases, [codecs.case_row(case)], what=what)

    def get(self, case_id: CaseId) -> Case | None:
        row = self._tx.row(select(cases).where(cases.c.id == case_id))
        return codecs.case_of(row) if row is not None else None

    def open_for(self, subject: EntityRef) -> Case | None:
        stmt = (
            select(cases)
            .where(cases.c.subject_kind == subject.kind.value)
            .where(cases.c.subject_id == subject.id)
            .where(cases.c.status != CaseStatus.RESOLVED.value)
        )
        row = self._tx.row(stmt)
        return codecs.case_of(row) if row is not None else None

    def list(
        self,
        *,
        queue: QueueName | None,
        status: CaseStatus | None,
        limit: int,
        offset: int = 0,
    ) -> list[Case]:
        stmt = select(cases)
        if queue is not None:
            stmt = stmt.where(cases.c.queue == queue)
        if status is not None:
            stmt = stmt.where(cases.c.status == status.value)
        stmt = (
            stmt.order_by(cases.c.priority.desc(), cases.c.created_at, cases.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [codecs.case_of(row) for row in self._tx.rows(stmt)]

    def save(self, case: Case) -> None:
        """Insert or overwrite; reopening a subject that already has an open case collides."""
        with self._tx.guarded(f"open case for {case.subject}"):
            self._tx.upsert(cases, codecs.case_row(case))

    def counts(self) -> dict[QueueName, dict[CaseStatus, int]]:
        stmt = select(cases.c.queue, cases.c.status, func.count()).group_by(
            cases.c.queue, cases.c.status
        )
        out: dict[QueueName, dict[CaseStatus, int]] = {}
        for queue, status, count in self._tx.conn.execute(stmt):
            out.setdefault(QueueName(queue), {})[CaseStatus(status)] = int(count)
        return out

    def claimable(self, queue: QueueName, now: datetime, limit: int) -> Sequence[Case]:
        """PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claims get different cases.
        SQLite: the unit holds the write lock, so nobody else claims until it ends."""
        stmt = (
            select(cases)
            .where(cases.c.queue == queue)
            .where(_claimable_by(None, now))
            .order_by(cases.c.rank_at, cases.c.id)
            .limit(limit)
        )
        if self._tx.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return [codecs.case_of(row) for row in self._tx.rows(stmt)]

    def take(self, case: Case, holder: PrincipalId, now: datetime) -> bool:
        """One conditional UPDATE: it writes only if the stored row is still claimable."""
        row = codecs.case_row(case)
        del row["id"]
        stmt = (
            update(cases)
            .where(cases.c.id == case.id)
            .where(_claimable_by(holder, now))
            .values(**row)
        )
        return self._tx.conn.execute(stmt).rowcount == 1

    def waiting_since(self, queue: QueueName, before: datetime, limit: int) -> Sequence[Case]:
        entered = func.coalesce(cases.c.queued_at, cases.c.created_at)
        stmt = (
            select(cases)
            .where(cases.c.queue == queue)
            .where(cases.c.status != CaseStatus.RESOLVED.value)
            .where(entered <= before)
            .order_by(entered, cases.c.id)
            .limit(limit)
        )
        return [codecs.case_of(row) for row in self._tx.rows(stmt)]


def _claimable_by(reviewer: PrincipalId | None, now: datetime) -> ColumnElement[bool]:
    """Open, or claimed with a lease run out (or claimed by `reviewer` already)."""
    held = [cases.c.lease_expires_at <= now]
    if reviewer is not None:
        held.append(cases.c.assignee == reviewer)
    return or_(
        cases.c.status == CaseStatus.OPEN.value,
        and_(cases.c.status == CaseStatus.CLAIMED.value, or_(*held)),
    )


class SqlQueues:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def list(self) -> list[Queue]:
        rows = self._tx.rows(select(queues).order_by(queues.c.name))
        return [codecs.queue_of(row) for row in rows]

    def get(self, name: QueueName) -> Queue | None:
        row = self._tx.row(select(queues).where(queues.c.name == name))
        return codecs.queue_of(row) if row is not None else None

    def save(self, queue: Queue) -> None:
        self._tx.upsert(queues, codecs.queue_row(queue))


class SqlLabels:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, label: Label) -> None:
        self._tx.insert_new(labels, [records.label_row(label)], what=f"label {label.id}")

    def for_subject(self, subject: EntityRef) -> list[Label]:
        stmt = (
            select(labels)
            .where(labels.c.subject_kind == subject.kind.value)
            .where(labels.c.subject_id == subject.id)
            .order_by(labels.c.created_at.desc(), labels.c.id.desc())
        )
        return [records.label_of(row) for row in self._tx.rows(stmt)]
