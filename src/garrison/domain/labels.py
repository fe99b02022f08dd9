"""Labels: ground truth about an entity, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, LabelId


class Provenance(StrEnum):
    REVIEW = "review"
    APPEAL = "appeal"
    QA_SAMPLE = "qa_sample"
    GOLDEN = "golden"
    IMPORT = "import"
    ADJUDICATION = "adjudication"
    """An adjudicator's decision between conflicting labels: it wins over them."""


class LabelValue(StrEnum):
    VIOLATING = "violating"
    NOT_VIOLATING = "not_violating"


@dataclass(frozen=True, slots=True)
class Label:
    id: LabelId
    subject: EntityRef
    policy: str | None
    value: LabelValue
    provenance: Provenance
    author: str
    created_at: datetime
    case_id: CaseId | None = None
    expires_at: datetime | None = None
