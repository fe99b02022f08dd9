"""Cases, the queues they wait in, and the labels reviews leave behind."""

from __future__ import annotations

from sqlalchemy import func, select

from garrison.adapters.storage.sql import codecs, records
from garrison.adapters.storage.sql.tables import cases, labels, queues
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.cases import Case, CaseStatus, Queue
from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, QueueName
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
