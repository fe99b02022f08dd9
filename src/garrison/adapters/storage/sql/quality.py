"""QA items, calibration sessions and answers, and the label scan, in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql import records
from garrison.adapters.storage.sql.codecs import ref_columns, ref_of
from garrison.adapters.storage.sql.tables import (
    calibration_answers,
    calibration_sessions,
    labels,
    qa_items,
)
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, QueueName
from garrison.domain.labels import Label, LabelValue
from garrison.domain.qa import (
    CalibrationAnswer,
    CalibrationSession,
    QaItem,
    QaItemId,
    QaKind,
    SessionId,
)
from garrison.services.unit_of_work import DuplicateKey

_I = qa_items.c
_KEYS_PER_QUERY = 500


class SqlQualityStore:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add_item(self, item: QaItem) -> None:
        if self.has_keys(item.kind, [item.key]):
            raise DuplicateKey(f"QA {item.kind} item for {item.key}")
        self._tx.insert_new(qa_items, [_item_row(item)], what=f"QA item {item.id}")

    def has_keys(self, kind: QaKind, keys: Sequence[str]) -> frozenset[str]:
        found: set[str] = set()
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            chunk = wanted[start : start + _KEYS_PER_QUERY]
            stmt = select(_I.key).where(_I.kind == kind.value).where(_I.key.in_(chunk))
            found.update(row["key"] for row in self._tx.rows(stmt))
        return frozenset(found)

    def items(self, *, kind: QaKind | None, since: datetime | None, limit: int) -> list[QaItem]:
        stmt = select(qa_items).order_by(_I.created_at, _I.id).limit(limit)
        if kind is not None:
            stmt = stmt.where(_I.kind == kind.value)
        if since is not None:
            stmt = stmt.where(_I.created_at >= since)
        return [_item_of(row) for row in self._tx.rows(stmt)]

    def item_for_case(self, case_id: CaseId) -> QaItem | None:
        row = self._tx.row(select(qa_items).where(_I.case_id == case_id).limit(1))
        return _item_of(row) if row is not None else None

    def add_session(self, session: CalibrationSession) -> None:
        row = {
            "id": session.id,
            "name": session.name,
            "subjects": [str(s) for s in session.subjects],
            "participants": list(session.participants),
            "created_at": session.created_at,
            "created_by": session.created_by,
        }
        self._tx.insert_new(calibration_sessions, [row], what=f"session {session.id}")

    def session(self, session_id: SessionId) -> CalibrationSession | None:
        stmt = select(calibration_sessions).where(calibration_sessions.c.id == session_id)
        row = self._tx.row(stmt)
        return _session_of(row) if row is not None else None

    def sessions(self, limit: int) -> list[CalibrationSession]:
        c = calibration_sessions.c
        stmt = select(calibration_sessions).order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        return [_session_of(row) for row in self._tx.rows(stmt)]

    def put_answer(self, answer: CalibrationAnswer) -> None:
        self._tx.upsert(
            calibration_answers,
            {
                "session_id": answer.session,
                **ref_columns(answer.subject),
                "reviewer": answer.reviewer,
                "value": answer.value.value,
                "policy": answer.policy,
                "at": answer.at,
            },
        )

    def answers(self, session_id: SessionId) -> list[CalibrationAnswer]:
        c = calibration_answers.c
        stmt = (
            select(calibration_answers)
            .where(c.session_id == session_id)
            .order_by(c.subject_kind, c.subject_id, c.reviewer)
        )
        return [
            CalibrationAnswer(
                SessionId(row["session_id"]),
                ref_of(row),
                row["reviewer"],
                LabelValue(row["value"]),
                row["policy"],
                row["at"],
            )
            for row in self._tx.rows(stmt)
        ]

    def labels(self, *, since: datetime | None, limit: int) -> list[Label]:
        stmt = select(labels).order_by(labels.c.created_at, labels.c.id).limit(limit)
        if since is not None:
            stmt = stmt.where(labels.c.created_at >= since)
        return [records.label_of(row) for row in self._tx.rows(stmt)]


def _item_row(item: QaItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "key": item.key,
        "case_id": item.case_id,
        "queue": item.queue,
        **ref_columns(item.subject),
        "created_at": item.created_at,
        "expected": item.expected.value if item.expected else None,
        "expected_policy": item.expected_policy,
        "segment": item.segment,
        "rate": item.rate,
        "source": item.source,
        "score": item.score,
    }


def _item_of(row: RowMapping) -> QaItem:
    expected = row["expected"]
    return QaItem(
        QaItemId(row["id"]),
        QaKind(row["kind"]),
        row["key"],
        CaseId(row["case_id"]),
        QueueName(row["queue"]),
        ref_of(row),
        row["created_at"],
        LabelValue(expected) if expected else None,
        row["expected_policy"],
        row["segment"],
        row["rate"],
        row["source"],
        row["score"],
    )


def _session_of(row: RowMapping) -> CalibrationSession:
    return CalibrationSession(
        SessionId(row["id"]),
        row["name"],
        tuple(EntityRef.parse(s) for s in row["subjects"]),
        tuple(row["participants"]),
        row["created_at"],
        row["created_by"],
    )
