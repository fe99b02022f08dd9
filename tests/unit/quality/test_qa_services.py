"""Reviewer QA through the services: golden items, blind double reviews, calibration."""

from __future__ import annotations

import pytest
from quality_world import ALICE, BOB, LEAD, NOW, QualityWorld, build_quality_world, person

from garrison.domain.access import Role
from garrison.domain.cases import Case, CaseStatus, Outcome, Resolution
from garrison.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from garrison.domain.ids import CaseId, QueueName
from garrison.domain.labels import LabelValue, Provenance
from garrison.domain.qa import QaKind
from garrison.services.qa import first_reviewer, provenance_of_case

DEFAULT = QueueName("default")


def test_golden_items_are_cases_and_score_the_reviewer() -> None:
    w = build_quality_world()
    intake = w.quality.intake
    right = intake.seed_golden(LEAD, w.account("g1"), LabelValue.VIOLATING, "spam", DEFAULT)
    wrong = intake.seed_golden(LEAD, w.account("g2"), LabelValue.NOT_VIOLATING, None, DEFAULT)
    with w.store.uow() as uow:
        case = uow.cases.get(right.case_id)
        golden = uow.labels.for_subject(w.account("g1"))
    assert case is not None and case.queue == DEFAULT and case.status is CaseStatus.OPEN
    assert [x.provenance for x in golden] == [Provenance.GOLDEN]

    w.resolve(ALICE, right.case_id, Outcome.VIOLATING, "spam")
    report = w.quality.reports.golden(ALICE, since=None)
    assert report.pending == 1
    w.resolve(ALICE, wrong.case_id, Outcome.VIOLATING, "spam")
    report = w.quality.reports.golden(ALICE, since=None)
    assert (report.overall.successes, report.overall.n, report.pending) == (1, 2, 0)
    assert report.by_reviewer["usr_alice"].value == 0.5
    assert report.by_group["default"].n == 2


def test_golden_refuses_bad_input() -> None:
    w = build_quality_world()
    intake = w.quality.intake
    with pytest.raises(PermissionDenied):
        intake.seed_golden(ALICE, w.account("g"), LabelValue.NOT_VIOLATING, None, DEFAULT)
    with pytest.raises(InvalidInput):
        intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, None, DEFAULT)
    with pytest.raises(NotFound):
        intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, "spam", QueueName("x"))
    intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, "spam", DEFAULT)
    with pytest.raises(Conflict):
        intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, "spam", DEFAULT)


def _resolved_cases(w: QualityWorld, n: int) -> None:
    """Ordinary cases (not QA ones) that Alice resolves: not violating, spam, not, spam."""
    for i in range(n):
        case = Case(CaseId(f"case_s{i}"), DEFAULT, w.account(f"s{i}"), CaseStatus.OPEN, 0, NOW, NOW)
        with w.store.uow() as uow:
            uow.cases.add(case)
            uow.commit()
        outcome = Outcome.VIOLATING if i % 2 else Outcome.NOT_VIOLATING
        w.resolve(ALICE, case.id, outcome, "spam" if i % 2 else None)


def test_golden_cases_are_not_sampled_for_double_review() -> None:
    w = build_quality_world()
    item = w.quality.intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, "spam", DEFAULT)
    w.resolve(ALICE, item.case_id, Outcome.VIOLATING, "spam")
    assert w.quality.intake.sample_double_reviews(LEAD, rate=1.0, seed="s").enqueued == ()


def test_double_review_is_a_second_case_and_measures_agreement() -> None:
    w = build_quality_world()
    _resolved_cases(w, 4)
    sweep = w.quality.intake.sample_double_reviews(LEAD, rate=1.0, seed="s")
    assert len(sweep.enqueued) == 4
    assert {i.kind for i in sweep.enqueued} == {QaKind.DOUBLE}
    again = w.quality.intake.sample_double_reviews(LEAD, rate=1.0, seed="s")
    assert again.enqueued == ()

    # Bob agrees on three and disagrees on one.
    answers = {
        0: Outcome.NOT_VIOLATING,
        1: Outcome.VIOLATING,
        2: Outcome.VIOLATING,
        3: Outcome.VIOLATING,
    }
    for item in sweep.enqueued:
        index = int(item.subject.id[1:])
        outcome = answers[index]
        w.resolve(BOB, item.case_id, outcome, "spam" if outcome is Outcome.VIOLATING else None)
    report = w.quality.reports.double_reviews(ALICE, since=None)
    assert (report.pairs, report.pending, report.same_reviewer) == (4, 0, 0)
    assert report.cohen.observed == pytest.approx(0.75)
    # A: nv, sp, nv, sp; B: nv, sp, sp, sp -> pe = (2*1 + 2*3) / 16 = 0.5, kappa = 0.5
    assert report.cohen.value == pytest.approx(0.5)
    assert report.alpha.value is not None and report.fleiss.value is not None
    assert [g.name for g in report.by_queue] == ["default"]
    assert {g.name for g in report.by_reviewer} == {"usr_alice", "usr_bob"}
    assert report.by_policy[0].name == "spam" and report.by_policy[0].pairs == 4


def test_the_same_reviewer_twice_is_not_counted() -> None:
    w = build_quality_world()
    _resolved_cases(w, 1)
    sweep = w.quality.intake.sample_double_reviews(LEAD, rate=1.0, seed="s")
    second = sweep.enqueued[0].case_id
    with pytest.raises(PermissionDenied):
        w.resolve(ALICE, second, Outcome.NOT_VIOLATING)
    with w.store.uow() as uow:  # a pair recorded before review refused the first reviewer
        case = uow.cases.get(second)
        assert case is not None
        answer = Resolution(Outcome.NOT_VIOLATING, None, (), "", ALICE.id, NOW)
        uow.cases.save(case.claim(ALICE.id, NOW, None).resolve(answer))
        uow.commit()
    report = w.quality.reports.double_reviews(ALICE, since=None)
    assert (report.pairs, report.same_reviewer) == (0, 1)
    assert report.cohen.value is None


def test_calibration_session_is_blind_until_answered_and_reports_agreement() -> None:
    w = build_quality_world()
    carol = person("carol")
    people = [ALICE.actor, BOB.actor, carol.actor]
    items = [w.account("c1"), w.account("c2"), w.account("c3")]
    calibration = w.quality.calibration
    session = calibration.create(LEAD, "November", items, people)
    with pytest.raises(InvalidInput):
        calibration.create(LEAD, "solo", items, [ALICE.actor])
    with pytest.raises(PermissionDenied):
        calibration.answer(person("mallory"), session.id, items[0], LabelValue.NOT_VIOLATING, None)
    with pytest.raises(InvalidInput):
        calibration.answer(ALICE, session.id, w.account("zz"), LabelValue.NOT_VIOLATING, None)
    grid = {
        ALICE: ["spam", "nv", "spam"],
        BOB: ["spam", "nv", "nv"],
        carol: ["spam", "nv"],
    }
    for who, answers in grid.items():
        for subject, answer in zip(items, answers, strict=False):
            value = LabelValue.NOT_VIOLATING if answer == "nv" else LabelValue.VIOLATING
            calibration.answer(who, session.id, subject, value, None if answer == "nv" else "spam")
    with pytest.raises(PermissionDenied):
        calibration.report(carol, session.id)
    report = calibration.report(ALICE, session.id)
    assert (report.answered, report.expected) == (8, 9)
    assert report.fleiss.items == 2 and report.fleiss.value == pytest.approx(1.0)
    assert report.alpha.items == 3 and report.alpha.value is not None
    assert report.alpha.value < 1.0
    assert report.with_majority[BOB.actor].n == 3  # c3: alice alone is the others' majority
    assert report.items[2].majority is None
    lead_view = calibration.report(person("boss", Role.ADMIN), session.id)
    assert lead_view.session.id == session.id


def test_hooks_for_the_review_service() -> None:
    w = build_quality_world()
    _resolved_cases(w, 1)
    [item] = w.quality.intake.sample_double_reviews(LEAD, rate=1.0, seed="s").enqueued
    golden = w.quality.intake.seed_golden(LEAD, w.account("g"), LabelValue.VIOLATING, "x", DEFAULT)
    with w.store.uow() as uow:
        assert first_reviewer(uow, item.case_id) == ALICE.id
        assert first_reviewer(uow, golden.case_id) is None
        assert provenance_of_case(uow, item.case_id) is Provenance.QA_SAMPLE
        assert provenance_of_case(uow, golden.case_id) is Provenance.REVIEW
        assert provenance_of_case(uow, CaseId("case_s0")) is Provenance.REVIEW
