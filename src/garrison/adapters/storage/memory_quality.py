"""In-memory QA items and calibration sessions: the reference for the SQL store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Self

from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId
from garrison.domain.labels import Label
from garrison.domain.qa import (
    CalibrationAnswer,
    CalibrationSession,
    QaItem,
    QaItemId,
    QaKind,
    SessionId,
)
from garrison.services.unit_of_work import DuplicateKey

AnswerKey = tuple[SessionId, EntityRef, str]


@dataclass
class QualityState:
    items: dict[QaItemId, QaItem] = field(default_factory=dict)
    keys: dict[tuple[QaKind, str], QaItemId] = field(default_factory=dict)
    sessions: dict[SessionId, CalibrationSession] = field(default_factory=dict)
    answers: dict[AnswerKey, CalibrationAnswer] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


class MemoryQualityStore:
    def __init__(self, state: Callable[[], QualityState], labels: Callable[[], list[Label]]):
        self._state = state
        self._labels = labels

    def add_item(self, item: QaItem) -> None:
        s = self._state()
        if item.id in s.items or (item.kind, item.key) in s.keys:
            raise DuplicateKey(f"QA {item.kind} item for {item.key}")
        s.items[item.id] = item
        s.keys[(item.kind, item.key)] = item.id

    def has_keys(self, kind: QaKind, keys: Sequence[str]) -> frozenset[str]:
        taken = self._state().keys
        return frozenset(k for k in keys if (kind, k) in taken)

    def items(self, *, kind: QaKind | None, since: datetime | None, limit: int) -> list[QaItem]:
        found = [
            i
            for i in self._state().items.values()
            if (kind is None or i.kind is kind) and (since is None or i.created_at >= since)
        ]
        return sorted(found, key=lambda i: (i.created_at, i.id))[:limit]

    def item_for_case(self, case_id: CaseId) -> QaItem | None:
        return next((i for i in self._state().items.values() if i.case_id == case_id), None)

    def add_session(self, session: CalibrationSession) -> None:
        s = self._state()
        if session.id in s.sessions:
            raise DuplicateKey(f"session {session.id}")
        s.sessions[session.id] = session

    def session(self, session_id: SessionId) -> CalibrationSession | None:
        return self._state().sessions.get(session_id)

    def sessions(self, limit: int) -> list[CalibrationSession]:
        found = sorted(self._state().sessions.values(), key=lambda x: (x.created_at, x.id))
        return found[::-1][:limit]

    def put_answer(self, answer: CalibrationAnswer) -> None:
        self._state().answers[(answer.session, answer.subject, answer.reviewer)] = answer

    def answers(self, session_id: SessionId) -> list[CalibrationAnswer]:
        found = [a for a in self._state().answers.values() if a.session == session_id]
        return sorted(found, key=lambda a: (a.subject.kind.value, a.subject.id, a.reviewer))

    def labels(self, *, since: datetime | None, limit: int) -> list[Label]:
        found = [x for x in self._labels() if since is None or x.created_at >= since]
        return sorted(found, key=lambda x: (x.created_at, x.id))[:limit]
