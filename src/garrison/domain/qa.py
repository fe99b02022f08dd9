"""Reviewer QA records: golden items, blind double reviews, traffic samples, calibration sessions.

A QA item is bookkeeping next to a case: the case goes through the ordinary queue, and the item
says why it is there and what to compare its resolution with. Calibration answers are given
outside queues (every participant labels every item of the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType

from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, QueueName
from garrison.domain.labels import LabelValue

QaItemId = NewType("QaItemId", str)
SessionId = NewType("SessionId", str)


class QaKind(StrEnum):
    GOLDEN = "golden"
    """A known-answer item seeded into a queue; the answer is compared with `expected`."""
    DOUBLE = "double"
    """A second, blind review of a resolved case (`key` is the first case's id)."""
    SAMPLE = "sample"
    """A random sample of allowed traffic (`key` is the event id; `segment` and `rate` set)."""
    UNCERTAIN = "uncertain"
    """A model was least sure about it (active learning; `key` is model|subject)."""


@dataclass(frozen=True, slots=True)
class QaItem:
    id: QaItemId
    kind: QaKind
    key: str
    """Unique per kind: the same event, case or golden subject is not enqueued twice."""
    case_id: CaseId
    queue: QueueName
    subject: EntityRef
    created_at: datetime
    expected: LabelValue | None = None
    expected_policy: str | None = None
    segment: str | None = None
    rate: float | None = None
    source: str | None = None
    """What put it there: the first case (double), the model (uncertain), the seeder (golden)."""
    score: float | None = None


@dataclass(frozen=True, slots=True)
class CalibrationSession:
    id: SessionId
    name: str
    subjects: tuple[EntityRef, ...]
    participants: tuple[str, ...]
    """Actors (`person:name`) asked to label every subject."""
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class CalibrationAnswer:
    session: SessionId
    subject: EntityRef
    reviewer: str
    value: LabelValue
    policy: str | None
    at: datetime
