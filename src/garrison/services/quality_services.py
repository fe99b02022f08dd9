"""The measured-quality services, built together by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.services.active_learning import ActiveLearning
from garrison.services.adjudication import AdjudicationService
from garrison.services.calibration import CalibrationService
from garrison.services.labels_import import LabelImporter
from garrison.services.overturns import DecidedAppeals, OverturnService
from garrison.services.ports import Clock, IdGenerator
from garrison.services.qa import QA_QUEUES, QaIntake, SamplePlan
from garrison.services.qa_reports import QaReports
from garrison.services.quality import QualityService
from garrison.services.review import ensure_queues
from garrison.services.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class QualityServices:
    measure: QualityService
    overturns: OverturnService
    intake: QaIntake
    reports: QaReports
    calibration: CalibrationService
    adjudication: AdjudicationService
    importer: LabelImporter
    active: ActiveLearning
    sample_plan: SamplePlan
    """The configured sampling of allowed traffic (rate, seed)."""
    double_review_rate: float


def build_quality(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    ids: IdGenerator,
    appeals: DecidedAppeals,
    *,
    sample_plan: SamplePlan,
    double_review_rate: float,
    readers: UnitOfWorkFactory | None = None,
) -> QualityServices:
    """`readers`: units of work that only read (long scans need not hold the write lock)."""
    ensure_queues(uow_factory, QA_QUEUES)
    reading = readers or uow_factory
    return QualityServices(
        QualityService(reading, clock),
        OverturnService(appeals),
        QaIntake(uow_factory, clock, ids, readers=reading),
        QaReports(reading),
        CalibrationService(uow_factory, clock, ids),
        AdjudicationService(uow_factory, clock, ids),
        LabelImporter(uow_factory, clock, ids),
        ActiveLearning(uow_factory, clock, ids),
        sample_plan,
        double_review_rate,
    )
