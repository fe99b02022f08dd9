"""Reports, Reporters, RoutingRules, CaseNotes: the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from contract_samples import ACCOUNT, Factory, at

from garrison.domain.case_notes import comment, file_evidence, link_evidence
from garrison.domain.entities import Tier
from garrison.domain.ids import CaseId, NoteId, QueueName, ReportId
from garrison.domain.policies import Severity
from garrison.domain.routing import DEFAULT_ROUTES, RoutingRule, WorkSource
from garrison.domain.user_reports import Report, Reporter, ReporterKind, ReportStatus
from garrison.services.unit_of_work import DuplicateKey


def report(
    report_id: str, *, reporter: str = "u1", seconds: float = 0, case: str | None = "case_1"
) -> Report:
    return Report(
        ReportId(report_id),
        reporter,
        ReporterKind.PERSON,
        ACCOUNT,
        "harassment",
        "they keep at it",
        at(seconds),
        ReportStatus.PENDING,
        content_ref="https://host.test/m/1",
        language="en",
        case_id=CaseId(case) if case else None,
        priority=120,
    )


def test_reports_roundtrip_by_case_and_reporter(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.reports.add(report("rep_2", seconds=5))
        uow.reports.add(report("rep_1"))
        uow.reports.add(report("rep_3", reporter="u2", seconds=9, case=None))
        with pytest.raises(DuplicateKey):
            uow.reports.add(report("rep_1"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.reports.get(ReportId("rep_1")) == report("rep_1")
        assert uow.reports.get(ReportId("rep_404")) is None
        assert [r.id for r in uow.reports.for_case(CaseId("case_1"))] == ["rep_1", "rep_2"]
        assert [r.id for r in uow.reports.for_reporter("u1", 10)] == ["rep_2", "rep_1"]
        uow.reports.save(report("rep_1").settle(True))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.reports.get(ReportId("rep_1"))
        assert stored is not None and stored.status is ReportStatus.UPHELD


def test_reporters_keep_their_record_and_mute(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.reporters.save(Reporter("u1", ReporterKind.PERSON).settle(True))
        uow.reporters.save(Reporter("bot", ReporterKind.AUTOMATED).mute("floods us"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.reporters.get("u1") == Reporter("u1", ReporterKind.PERSON, upheld=1)
        assert [r.id for r in uow.reporters.list(muted=True, limit=10)] == ["bot"]
        assert [r.id for r in uow.reporters.list(muted=False, limit=10)] == ["u1"]
        assert [r.id for r in uow.reporters.list(muted=None, limit=1)] == ["bot"]
        assert uow.reporters.get("nobody") is None


def test_routing_rules_roundtrip_in_order(uow_factory: Factory) -> None:
    custom = RoutingRule(
        "german-fraud",
        QueueName("fraud"),
        1,
        policies=("fraud.",),
        min_severity=Severity.HIGH,
        tiers=(Tier.FREE, Tier.PAY_AS_YOU_GO),
        report_types=("scam",),
        languages=("de",),
        sources=(WorkSource.REPORT,),
        enabled=False,
        description="x",
    )
    with uow_factory() as uow:
        for rule in (*DEFAULT_ROUTES, custom):
            uow.routing.save(rule)
        uow.commit()
    with uow_factory() as uow:
        found = uow.routing.list()
        assert found[0] == custom
        assert found[1:] == sorted(DEFAULT_ROUTES, key=lambda r: r.position)
        uow.routing.save(replace(custom, enabled=True))
        assert uow.routing.delete("fraud")
        assert not uow.routing.delete("fraud")
        uow.commit()
    with uow_factory() as uow:
        assert uow.routing.get("german-fraud") == replace(custom, enabled=True)
        assert uow.routing.get("fraud") is None


def test_case_notes_roundtrip(uow_factory: Factory) -> None:
    case_1 = CaseId("case_1")
    shot = file_evidence(
        NoteId("note_2"),
        case_1,
        name="shot.png",
        media_type="image/png",
        content=b"\x89PNG",
        added_by="person:r",
        at=at(2),
        max_bytes=100,
    )
    link = link_evidence(
        NoteId("note_3"), case_1, name="thread", url="https://host.test/t", added_by="r", at=at(1)
    )
    with uow_factory() as uow:
        uow.case_notes.add_comment(comment(NoteId("note_1"), case_1, "person:r", "hm", at(3)))
        uow.case_notes.add_evidence(shot)
        uow.case_notes.add_evidence(link)
        with pytest.raises(DuplicateKey):
            uow.case_notes.add_evidence(link)
        uow.commit()
    with uow_factory() as uow:
        assert [c.text for c in uow.case_notes.comments(case_1)] == ["hm"]
        assert uow.case_notes.comments(CaseId("case_2")) == []
        listed = uow.case_notes.evidence(case_1)
        assert [e.id for e in listed] == ["note_3", "note_2"]
        assert all(e.content is None for e in listed)
        assert uow.case_notes.get_evidence(NoteId("note_2")) == shot
        assert uow.case_notes.get_evidence(NoteId("nope")) is None
