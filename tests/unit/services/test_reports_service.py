"""User reports: grouping into cases, routing, reputation from resolutions, muting, retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from service_world import T0

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.cases import DEFAULT_QUEUES, Outcome
from garrison.domain.entities import EntityKind, EntityRef, Tier
from garrison.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from garrison.domain.ids import PrincipalId, QueueName, ReportId
from garrison.domain.routing import DEFAULT_ROUTES
from garrison.domain.user_reports import ReporterKind, ReportStatus
from garrison.services.review import ReviewService, ensure_queues
from garrison.services.routing import ensure_routes
from garrison.services.user_reports import ReportIn, UserReportService

HOST = Principal(PrincipalId("key_host"), PrincipalKind.MACHINE, "host", Role.INGEST)
SENIOR = Principal(PrincipalId("usr_s"), PrincipalKind.PERSON, "s@x.test", Role.SENIOR_REVIEWER)
REVIEWER = Principal(PrincipalId("usr_r"), PrincipalKind.PERSON, "r@x.test", Role.REVIEWER)
POST = EntityRef(EntityKind.CONTENT, "post_1")


@dataclass
class Desk:
    store: MemoryStore
    clock: ManualClock
    reports: UserReportService
    review: ReviewService


@pytest.fixture
def desk() -> Desk:
    store, clock, ids = MemoryStore(), ManualClock(T0), SequentialIds()
    ensure_queues(store.uow, DEFAULT_QUEUES)
    ensure_routes(store.uow, DEFAULT_ROUTES)
    return Desk(
        store, clock, UserReportService(store.uow, clock, ids), ReviewService(store.uow, clock, ids)
    )


def report(
    reporter: str = "u1", subject: EntityRef = POST, kind: str = "harassment", **more: Any
) -> ReportIn:
    return ReportIn(reporter, ReporterKind.PERSON, subject, kind, **more)


def test_reports_about_one_subject_share_one_routed_case(desk: Desk) -> None:
    first = desk.reports.file(HOST, report("u1"))
    second = desk.reports.file(HOST, report("u2", kind="violent_threat"))

    assert first.case is not None and second.case is not None
    assert first.case.id == second.case.id
    assert first.case.queue == "content"
    assert second.case.priority > first.case.priority  # the graver report raised it
    listed = desk.reports.for_case(REVIEWER, first.case.id)
    assert [r.reporter for r in listed] == ["u1", "u2"]
    assert all(r.status is ReportStatus.PENDING for r in listed)
    assert [r.id for r in desk.review.case_file(REVIEWER, first.case.id).reports] == [
        r.id for r in listed
    ]


def test_enterprise_subjects_go_to_the_sensitive_queue(desk: Desk) -> None:
    filed = desk.reports.file(HOST, report(subject_tier=Tier.ENTERPRISE))
    assert filed.case is not None and filed.case.queue == "sensitive"
    with pytest.raises(PermissionDenied) as refused:
        desk.review.next_case(REVIEWER, QueueName("sensitive"))
    assert refused.value.field == "queue"
    assert desk.review.next_case(SENIOR, QueueName("sensitive")) == desk.review.claim(
        SENIOR, filed.case.id
    )


def _resolve(desk: Desk, outcome: Outcome) -> None:
    case = desk.review.next_case(REVIEWER, QueueName("content"))
    assert case is not None
    policy = "abuse.harassment" if outcome is Outcome.VIOLATING else None
    desk.review.resolve(REVIEWER, case.id, outcome=outcome, policy=policy, actions=[], note="")


def test_upheld_reports_raise_the_reporters_reputation_and_later_priority(desk: Desk) -> None:
    before = desk.reports.file(HOST, report("good")).report.priority
    _resolve(desk, Outcome.VIOLATING)
    desk.reports.file(HOST, report("bad", subject=EntityRef(EntityKind.CONTENT, "p2")))
    _resolve(desk, Outcome.NOT_VIOLATING)

    good, bad = desk.reports.reporter(REVIEWER, "good"), desk.reports.reporter(REVIEWER, "bad")
    assert (good.reporter.upheld, good.reporter.rejected) == (1, 0)
    assert (bad.reporter.upheld, bad.reporter.rejected) == (0, 1)
    assert good.reports[0].status is ReportStatus.UPHELD
    assert bad.reports[0].status is ReportStatus.REJECTED
    later = EntityRef(EntityKind.CONTENT, "p3")
    assert desk.reports.file(HOST, report("good", subject=later)).report.priority > before
    later = EntityRef(EntityKind.CONTENT, "p4")
    assert desk.reports.file(HOST, report("bad", subject=later)).report.priority < before


def test_a_muted_reporter_is_recorded_but_opens_no_case(desk: Desk) -> None:
    desk.reports.file(HOST, report("troll", subject=EntityRef(EntityKind.CONTENT, "p0")))
    with pytest.raises(PermissionDenied):
        desk.reports.mute(REVIEWER, "troll", "brigading")
    desk.reports.mute(SENIOR, "troll", "brigading")

    filed = desk.reports.file(HOST, report("troll"))

    assert filed.case is None and filed.report.status is ReportStatus.MUTED
    with desk.store.uow() as uow:
        assert uow.cases.open_for(POST) is None
    assert desk.reports.reporters(REVIEWER, muted=True, limit=10)[0].muted_reason == "brigading"
    desk.reports.unmute(SENIOR, "troll")
    assert desk.reports.file(HOST, report("troll")).case is not None


def test_automated_reporters_are_told_apart(desk: Desk) -> None:
    flagger = ReportIn("classifier-v2", ReporterKind.AUTOMATED, POST, "spam")
    filed = desk.reports.file(HOST, flagger)
    assert filed.report.reporter_kind is ReporterKind.AUTOMATED
    assert desk.reports.reporter(REVIEWER, "classifier-v2").reporter.kind is ReporterKind.AUTOMATED


def test_a_retry_with_the_same_id_writes_nothing(desk: Desk) -> None:
    first = desk.reports.file(HOST, report(id=ReportId("host-42")))
    again = desk.reports.file(HOST, report(id=ReportId("host-42")))
    assert (again.created, again.report) == (False, first.report)
    with pytest.raises(Conflict) as refused:
        desk.reports.file(HOST, report(id=ReportId("host-42"), text="changed"))
    assert refused.value.field == "id"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (report(kind="Not A Type"), "report_type"),
        (report(reporter=" "), "reporter"),
        (report(text="x" * 10_001), "text"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_written(
    desk: Desk, bad: ReportIn, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        desk.reports.file(HOST, bad)
    assert refused.value.field == field
    assert desk.store.state.review.reports == {}


def test_only_the_host_files_reports_and_unknown_things_are_not_found(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        desk.reports.file(REVIEWER, report())
    with pytest.raises(NotFound):
        desk.reports.mute(SENIOR, "nobody", "x")
