"""The storage port of measured quality: QA items, calibration sessions, and a scan of labels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from garrison.domain.ids import CaseId
from garrison.domain.labels import Label
from garrison.domain.qa import CalibrationAnswer, CalibrationSession, QaItem, QaKind, SessionId


class QualityStore(Protocol):
    def add_item(self, item: QaItem) -> None:
        """Store a QA item; raise DuplicateKey if its id or its (kind, key) is taken."""
        ...

    def has_keys(self, kind: QaKind, keys: Sequence[str]) -> frozenset[str]:
        """Which of these keys already have an item of this kind, in one query."""
        ...

    def items(self, *, kind: QaKind | None, since: datetime | None, limit: int) -> list[QaItem]:
        """Items created at or after `since` (all when None), oldest first."""
        ...

    def item_for_case(self, case_id: CaseId) -> QaItem | None: ...
    def add_session(self, session: CalibrationSession) -> None: ...
    def session(self, session_id: SessionId) -> CalibrationSession | None: ...
    def sessions(self, limit: int) -> list[CalibrationSession]:
        """Newest first."""
        ...

    def put_answer(self, answer: CalibrationAnswer) -> None:
        """Store a participant's answer, replacing their earlier answer for the same subject."""
        ...

    def answers(self, session_id: SessionId) -> list[CalibrationAnswer]: ...
    def labels(self, *, since: datetime | None, limit: int) -> list[Label]:
        """Labels of every subject created at or after `since`, oldest first, up to `limit`."""
        ...
