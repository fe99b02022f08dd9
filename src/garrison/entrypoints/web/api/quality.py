"""Measured quality: precision and recall of rules, models and policies, appeal overturns,
reviewer QA (golden items, blind double review, calibration), adjudication, active learning.

Reading needs READ_DECISIONS (calibration: READ_CASES); seeding QA work needs MANAGE_QUALITY;
adjudicating needs ADJUDICATE_LABELS; answering a calibration item needs REVIEW_CASES. The
services check the permission; each route names it for the API reference.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.domain.ids import QueueName
from garrison.domain.uncertainty import ScoredItem
from garrison.entrypoints.web.api.deps import ContainerDep
from garrison.entrypoints.web.auth import DecisionReader, require
from garrison.entrypoints.web.schemas.errors import error_responses
from garrison.entrypoints.web.schemas.quality import (
    AccuracyOut,
    DetectorOut,
    DoubleIn,
    DoubleReviewOut,
    GoldenIn,
    OverturnsOut,
    QaItemOut,
    QualityOut,
    SampleIn,
    SweepOut,
    UncertainIn,
    UncertainOut,
    accuracy_wire,
    detector_wire,
    double_wire,
    item_wire,
    overturns_wire,
    quality_wire,
)
from garrison.services.qa import SamplePlan

router = APIRouter(prefix="/v1/quality", tags=["quality"])
QualityManager = Annotated[Principal, require(Permission.MANAGE_QUALITY)]
Days = Annotated[int | None, Query(ge=1, le=365, description="Period (default: 30 days).")]
READ = error_responses(401, 403, 422)


@router.get("", response_model=QualityOut, responses=READ)
def quality(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    """Precision of every rule, model and policy, and recall estimated from the QA sample."""
    return quality_wire(container.quality.measure.report(principal, days=days))


@router.get("/rules", response_model=list[DetectorOut], responses=READ)
def rules(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    return [detector_wire(d) for d in container.quality.measure.report(principal, days=days).rules]


@router.get("/models", response_model=list[DetectorOut], responses=READ)
def models(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    report = container.quality.measure.report(principal, days=days)
    return [detector_wire(d) for d in report.models]


@router.get("/policies", response_model=list[DetectorOut], responses=READ)
def policies(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    report = container.quality.measure.report(principal, days=days)
    return [detector_wire(d) for d in report.policies]


@router.get("/overturns", response_model=OverturnsOut, responses=READ)
def overturns(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    """Share of decided appeals overturned, per rule, model, policy and original reviewer."""
    since = container.clock.now() - timedelta(days=days) if days else None
    return overturns_wire(container.quality.overturns.report(principal, since=since))


@router.get("/agreement", response_model=DoubleReviewOut, responses=READ)
def agreement(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    """Blind double reviews: Cohen's and Fleiss' kappa, Krippendorff's alpha, per queue,
    policy and reviewer."""
    since = container.clock.now() - timedelta(days=days) if days else None
    return double_wire(container.quality.reports.double_reviews(principal, since=since))


@router.get("/golden", response_model=AccuracyOut, responses=READ)
def golden_accuracy(principal: DecisionReader, container: ContainerDep, days: Days = None) -> Any:
    """Reviewers' answers on golden items compared with the known answers."""
    since = container.clock.now() - timedelta(days=days) if days else None
    return accuracy_wire(container.quality.reports.golden(principal, since=since))


@router.get("/accuracy", response_model=AccuracyOut, responses=READ)
def adjudicated_accuracy(
    principal: DecisionReader, container: ContainerDep, days: Days = None
) -> Any:
    """Reviewers' labels compared with the adjudicated label of the same subject and policy."""
    since = container.clock.now() - timedelta(days=days) if days else None
    return accuracy_wire(container.quality.reports.adjudicated(principal, since=since))


@router.post(
    "/golden",
    status_code=201,
    response_model=QaItemOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def seed_golden(body: GoldenIn, principal: QualityManager, container: ContainerDep) -> Any:
    """Seed a known-answer item into a queue as an ordinary case."""
    subject = EntityRef.parse(body.subject, field="subject")
    item = container.quality.intake.seed_golden(
        principal, subject, body.value, body.policy, QueueName(body.queue)
    )
    return item_wire(item)


@router.post("/samples", response_model=SweepOut, responses=error_responses(401, 403, 422))
def sample_traffic(body: SampleIn, principal: QualityManager, container: ContainerDep) -> Any:
    """Send a stratified random sample of allowed events to the `qa` queue (idempotent)."""
    configured = container.quality.sample_plan
    plan = SamplePlan(
        body.rate or configured.rate,
        body.seed or configured.seed,
        tuple(sorted(body.segment_rates.items())),
    )
    until = container.clock.now()
    result = container.quality.intake.sample_traffic(
        principal, plan, since=until - timedelta(days=body.days), until=until
    )
    return {"scanned": result.scanned, "enqueued": [item_wire(i) for i in result.enqueued]}


@router.post("/double-reviews", response_model=SweepOut, responses=error_responses(401, 403, 422))
def sample_double(body: DoubleIn, principal: QualityManager, container: ContainerDep) -> Any:
    """Send a share of resolved cases to a second, blind review (idempotent)."""
    q = container.quality
    result = q.intake.sample_double_reviews(
        principal,
        rate=body.rate or q.double_review_rate,
        seed=body.seed or q.sample_plan.seed,
        limit=body.limit,
    )
    return {"scanned": result.scanned, "enqueued": [item_wire(i) for i in result.enqueued]}


@router.post(
    "/uncertain", response_model=UncertainOut, responses=error_responses(401, 403, 404, 422)
)
def enqueue_uncertain(body: UncertainIn, principal: QualityManager, container: ContainerDep) -> Any:
    """Active learning: the k (subject, model) scores nearest the threshold (or of highest
    entropy) go to the labelling queue."""
    rows = [
        ScoredItem(EntityRef.parse(r.subject, field=f"rows[{n}].subject"), r.model, r.score)
        for n, r in enumerate(body.rows)
    ]
    done = container.quality.active.enqueue_uncertain(
        principal,
        rows,
        body.k,
        strategy=body.strategy,
        threshold=body.threshold,
        queue=QueueName(body.queue),
    )
    return {"enqueued": [item_wire(i) for i in done.items], "skipped": done.skipped}
