"""Model registry on the wire: versions, drift reports, shadow-scoring summaries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from garrison.domain.models import DriftLevel, ModelStatus, ModelVersion
from garrison.services.models import DriftReport, ShadowSummary


class ModelRegisterIn(BaseModel):
    name: str = Field(description='How rules read it: score("name").', max_length=64)
    artifact: str = Field(description="The model directory on the server (with model.json).")


class ModelVersionOut(BaseModel):
    name: str
    version: int
    kind: str
    status: ModelStatus
    artifact: str
    features: list[str]
    metrics: dict[str, float]
    trained_from: datetime | None
    trained_to: datetime | None
    created_at: datetime
    created_by: str
    promoted_at: datetime | None
    promoted_by: str | None
    retired_at: datetime | None

    @classmethod
    def of(cls, version: ModelVersion) -> ModelVersionOut:
        return cls(
            name=version.name,
            version=version.version,
            kind=version.kind,
            status=version.status,
            artifact=version.artifact,
            features=list(version.features),
            metrics={k: v for k, v in version.metrics.items() if v == v},  # NaN is not JSON
            trained_from=version.trained_from,
            trained_to=version.trained_to,
            created_at=version.created_at,
            created_by=version.created_by,
            promoted_at=version.promoted_at,
            promoted_by=version.promoted_by,
            retired_at=version.retired_at,
        )


class ModelListOut(BaseModel):
    models: list[ModelVersionOut]


class DriftOut(BaseModel):
    quantity: str = Field(description="`score`, or a feature's name.")
    psi: float
    level: DriftLevel
    recent: int = Field(description="How many recent observations had a value.")


class DriftReportOut(BaseModel):
    model: ModelVersionOut
    since: datetime
    events: int
    drift: list[DriftOut]

    @classmethod
    def of(cls, report: DriftReport) -> DriftReportOut:
        return cls(
            model=ModelVersionOut.of(report.version),
            since=report.since,
            events=report.events,
            drift=[
                DriftOut(quantity=d.quantity, psi=d.psi, level=d.level, recent=d.recent)
                for d in report.drifts
            ],
        )


class ShadowSummaryOut(BaseModel):
    model: ModelVersionOut
    scored: int
    mean: float
    flagged: int

    @classmethod
    def of(cls, summary: ShadowSummary) -> ShadowSummaryOut:
        return cls(
            model=ModelVersionOut.of(summary.version),
            scored=summary.scored,
            mean=summary.mean,
            flagged=summary.flagged,
        )
