"""Wire shapes of measured quality: proportions with intervals, recall estimates, agreement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from garrison.domain.agreement import Agreement
from garrison.domain.labels import LabelValue
from garrison.domain.metrics import Interval, Proportion
from garrison.domain.qa import QaItem, QaKind
from garrison.domain.sampling import RecallEstimate
from garrison.domain.uncertainty import Strategy
from garrison.services.overturns import OverturnReport
from garrison.services.qa_reports import AccuracyReport, AgreementGroup, DoubleReviewReport
from garrison.services.quality import DetectorQuality, QualityReport


class IntervalOut(BaseModel):
    low: float
    high: float


class ProportionOut(BaseModel):
    successes: int
    n: int
    value: float | None
    interval: IntervalOut | None = Field(description="95% Wilson score interval.")


class StratumOut(BaseModel):
    segment: str
    population: int
    rate: float
    sampled: int
    labelled: int
    violating: int


class MissedOut(BaseModel):
    total: float = Field(description="Horvitz-Thompson estimate of violating allowed events.")
    interval: IntervalOut
    labelled: int
    violating: int
    uncovered: int = Field(description="Allowed events in segments with no labelled sample.")
    strata: list[StratumOut]


class RecallOut(BaseModel):
    caught: int
    missed: MissedOut
    value: float | None
    interval: IntervalOut | None


class DetectorOut(BaseModel):
    name: str
    subjects: int
    precision: ProportionOut
    caught: int
    recall: RecallOut | None


class QualityOut(BaseModel):
    since: datetime
    until: datetime
    events: int
    capped: bool
    rules: list[DetectorOut]
    models: list[DetectorOut]
    policies: list[DetectorOut]
    overall: RecallOut


class OverturnsOut(BaseModel):
    overall: ProportionOut
    by_rule: dict[str, ProportionOut]
    by_model: dict[str, ProportionOut]
    by_policy: dict[str, ProportionOut]
    by_reviewer: dict[str, ProportionOut]


class AgreementOut(BaseModel):
    value: float | None
    observed: float | None
    expected: float | None
    items: int
    ratings: int


class AgreementGroupOut(BaseModel):
    name: str
    pairs: int
    agreement: ProportionOut
    kappa: AgreementOut


class DoubleReviewOut(BaseModel):
    pairs: int
    pending: int
    same_reviewer: int
    cohen: AgreementOut
    fleiss: AgreementOut
    alpha: AgreementOut
    by_queue: list[AgreementGroupOut]
    by_policy: list[AgreementGroupOut]
    by_reviewer: list[AgreementGroupOut]


class AccuracyOut(BaseModel):
    overall: ProportionOut
    pending: int
    by_reviewer: dict[str, ProportionOut]
    by_group: dict[str, ProportionOut]


class GoldenIn(BaseModel):
    subject: str = Field(description="`kind:id` of the known-answer item.")
    value: LabelValue
    policy: str | None = None
    queue: str = "default"


class QaItemOut(BaseModel):
    id: str
    kind: QaKind
    key: str
    case_id: str
    queue: str
    subject: str
    created_at: datetime
    segment: str | None
    rate: float | None
    source: str | None
    score: float | None


class SampleIn(BaseModel):
    days: int = Field(1, ge=1, le=90, description="Sample events allowed in the last N days.")
    rate: float | None = Field(None, gt=0, le=1, description="Default: the configured rate.")
    seed: str | None = None
    segment_rates: dict[str, float] = Field(
        default_factory=dict, description="Rate per segment (`event_type|tier`)."
    )


class DoubleIn(BaseModel):
    rate: float | None = Field(None, gt=0, le=1, description="Default: the configured rate.")
    seed: str | None = None
    limit: int = Field(1000, ge=1, le=10000)


class SweepOut(BaseModel):
    scanned: int
    enqueued: list[QaItemOut]


class ScoreRowIn(BaseModel):
    subject: str
    model: str
    score: float


class UncertainIn(BaseModel):
    rows: list[ScoreRowIn] = Field(max_length=100_000)
    k: int = Field(50, ge=1, le=1000)
    strategy: Strategy = Strategy.MARGIN
    threshold: float = Field(0.5, gt=0, lt=1)
    queue: str = "labelling"


class UncertainOut(BaseModel):
    enqueued: list[QaItemOut]
    skipped: int


def interval_wire(interval: Interval | None) -> dict[str, float] | None:
    return None if interval is None else {"low": interval.low, "high": interval.high}


def proportion_wire(p: Proportion) -> dict[str, Any]:
    return {
        "successes": p.successes,
        "n": p.n,
        "value": p.value,
        "interval": interval_wire(p.interval),
    }


def recall_wire(r: RecallEstimate) -> dict[str, Any]:
    m = r.missed
    return {
        "caught": r.caught,
        "missed": {
            "total": m.total,
            "interval": interval_wire(m.interval),
            "labelled": m.labelled,
            "violating": m.violating,
            "uncovered": m.uncovered,
            "strata": [
                {
                    "segment": s.segment,
                    "population": s.population,
                    "rate": s.rate,
                    "sampled": s.sampled,
                    "labelled": s.labelled,
                    "violating": s.violating,
                }
                for s in m.strata
            ],
        },
        "value": r.value,
        "interval": interval_wire(r.interval),
    }


def detector_wire(d: DetectorQuality) -> dict[str, Any]:
    return {
        "name": d.name,
        "subjects": d.subjects,
        "precision": proportion_wire(d.precision),
        "caught": d.caught,
        "recall": recall_wire(d.recall) if d.recall else None,
    }


def quality_wire(r: QualityReport) -> dict[str, Any]:
    return {
        "since": r.since,
        "until": r.until,
        "events": r.events,
        "capped": r.capped,
        "rules": [detector_wire(d) for d in r.rules],
        "models": [detector_wire(d) for d in r.models],
        "policies": [detector_wire(d) for d in r.policies],
        "overall": recall_wire(r.overall),
    }


def _shares(found: dict[str, Proportion] | Any) -> dict[str, Any]:
    return {k: proportion_wire(v) for k, v in found.items()}


def overturns_wire(r: OverturnReport) -> dict[str, Any]:
    return {
        "overall": proportion_wire(r.overall),
        "by_rule": _shares(r.by_rule),
        "by_model": _shares(r.by_model),
        "by_policy": _shares(r.by_policy),
        "by_reviewer": _shares(r.by_reviewer),
    }


def agreement_wire(a: Agreement) -> dict[str, Any]:
    return {
        "value": a.value,
        "observed": a.observed,
        "expected": a.expected,
        "items": a.items,
        "ratings": a.ratings,
    }


def _group(g: AgreementGroup) -> dict[str, Any]:
    return {
        "name": g.name,
        "pairs": g.pairs,
        "agreement": proportion_wire(g.agreement),
        "kappa": agreement_wire(g.kappa),
    }


def double_wire(r: DoubleReviewReport) -> dict[str, Any]:
    return {
        "pairs": r.pairs,
        "pending": r.pending,
        "same_reviewer": r.same_reviewer,
        "cohen": agreement_wire(r.cohen),
        "fleiss": agreement_wire(r.fleiss),
        "alpha": agreement_wire(r.alpha),
        "by_queue": [_group(g) for g in r.by_queue],
        "by_policy": [_group(g) for g in r.by_policy],
        "by_reviewer": [_group(g) for g in r.by_reviewer],
    }


def accuracy_wire(r: AccuracyReport) -> dict[str, Any]:
    return {
        "overall": proportion_wire(r.overall),
        "pending": r.pending,
        "by_reviewer": _shares(r.by_reviewer),
        "by_group": _shares(r.by_group),
    }


def item_wire(i: QaItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "kind": i.kind,
        "key": i.key,
        "case_id": i.case_id,
        "queue": i.queue,
        "subject": str(i.subject),
        "created_at": i.created_at,
        "segment": i.segment,
        "rate": i.rate,
        "source": i.source,
        "score": i.score,
    }
