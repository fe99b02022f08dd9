"""Entity labels: one row per (subject, name); the labels of many subjects in one query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, or_, select

from garrison.adapters.storage.sql.tables import entity_labels
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.entity_labels import EntityLabel, LabelOrigin

_C = entity_labels.c


class SqlEntityLabels:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def put(self, label: EntityLabel) -> None:
        self._tx.upsert(entity_labels, _row(label))

    def remove(self, subject: EntityRef, name: str) -> bool:
        deleted = self._tx.conn.execute(
            entity_labels.delete()
            .where(_C.subject_kind == subject.kind.value)
            .where(_C.subject_id == subject.id)
            .where(_C.name == name)
        )
        return deleted.rowcount == 1

    def for_subjects(
        self, subjects: Sequence[EntityRef], *, active_at: datetime | None
    ) -> list[EntityLabel]:
        wanted = sorted(set(subjects))
        if not wanted:
            return []
        stmt = select(entity_labels).where(
            or_(
                *(
                    and_(_C.subject_kind == ref.kind.value, _C.subject_id == ref.id)
                    for ref in wanted
                )
            )
        )
        if active_at is not None:
            stmt = stmt.where(or_(_C.expires_at.is_(None), _C.expires_at > active_at))
        stmt = stmt.order_by(_C.subject_kind, _C.subject_id, _C.name)
        return [_label(row) for row in self._tx.rows(stmt)]


def _row(label: EntityLabel) -> dict[str, Any]:
    return {
        "subject_kind": label.subject.kind.value,
        "subject_id": label.subject.id,
        "name": label.name,
        "provenance": label.provenance.value,
        "author": label.author,
        "created_at": label.created_at,
        "expires_at": label.expires_at,
        "reference": label.reference,
    }


def _label(row: RowMapping) -> EntityLabel:
    return EntityLabel(
        EntityRef(EntityKind(row["subject_kind"]), row["subject_id"]),
        row["name"],
        LabelOrigin(row["provenance"]),
        row["author"],
        row["created_at"],
        row["expires_at"],
        row["reference"],
    )
