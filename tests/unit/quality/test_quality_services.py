"""Precision, recall from the QA sample, overturns, adjudication, label import, active learning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quality_world import ALICE, BOB, LEAD, NOW, build_quality_world, hit

from garrison.domain.appeals import Appeal, AppealStatus, Origin
from garrison.domain.cases import Outcome
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import Conflict, InvalidInput, PermissionDenied
from garrison.domain.ids import ActionId, AppealId
from garrison.domain.labels import LabelValue, Provenance
from garrison.domain.qa import QaKind
from garrison.domain.uncertainty import ScoredItem, Strategy
from garrison.domain.verdicts import Verdict
from garrison.services.labels_import import LabelFormat
from garrison.services.qa import SamplePlan

V, NV = LabelValue.VIOLATING, LabelValue.NOT_VIOLATING


def test_precision_per_rule_model_and_policy_uses_the_adjudicated_label() -> None:
    w = build_quality_world()
    w.decided(1, "a1", Verdict.BLOCK, hit("spam_burst", inputs={"score(spam_v1)": 0.9}))
    w.decided(2, "a2", Verdict.BLOCK, hit("spam_burst"))
    w.decided(3, "a3", Verdict.BLOCK, hit("card", "fraud"))
    w.label("a1", V, "spam")
    w.label("a2", V, "spam", author="person:x")
    w.label("a2", NV, None, author="person:y", minutes=5)  # newer, but adjudication wins
    w.label("a2", V, "spam", author="person:lead", provenance=Provenance.ADJUDICATION, minutes=1)
    report = w.quality.measure.report(ALICE)
    rules = {r.name: r for r in report.rules}
    assert (rules["spam_burst"].precision.successes, rules["spam_burst"].precision.n) == (2, 2)
    assert rules["card"].precision.n == 0 and rules["card"].subjects == 1
    assert [m.name for m in report.models] == ["spam_v1"]
    assert {p.name for p in report.policies} == {"spam", "fraud"}


def test_recall_is_estimated_from_the_sample_of_allowed_traffic() -> None:
    w = build_quality_world()
    # Ten blocked spam events, all labelled violating.
    for n in range(10):
        w.decided(n, f"b{n}", Verdict.BLOCK, hit("spam_burst"), tier="free")
        w.label(f"b{n}", V, "spam")
    # Forty allowed events; the sample (rate 1.0 here) finds 2 violating of 40.
    for n in range(100, 140):
        w.decided(n, f"ok{n}", Verdict.ALLOW, tier="free")
    sweep = w.quality.intake.sample_traffic(
        LEAD, SamplePlan(1.0, "t"), since=NOW - timedelta(days=30), until=NOW
    )
    assert len(sweep.enqueued) == 40 and sweep.scanned == 50
    assert {i.segment for i in sweep.enqueued} == {"content.submitted|free"}
    for item in sweep.enqueued:
        bad = item.subject.id in {"ok100", "ok101"}
        w.resolve(
            BOB,
            item.case_id,
            Outcome.VIOLATING if bad else Outcome.NOT_VIOLATING,
            "spam" if bad else None,
        )
    report = w.quality.measure.report(ALICE)
    assert report.overall.caught == 10
    assert report.overall.missed.total == pytest.approx(2.0)
    assert report.overall.value == pytest.approx(10 / 12)
    assert report.overall.interval is not None
    assert report.overall.interval.low < 10 / 12 < report.overall.interval.high
    spam = next(p for p in report.policies if p.name == "spam")
    assert spam.recall is not None and spam.recall.value == pytest.approx(10 / 12)
    rule = next(r for r in report.rules if r.name == "spam_burst")
    assert rule.caught == 10 and rule.recall is not None


def test_a_clean_partial_sample_still_bounds_the_misses() -> None:
    w = build_quality_world()
    for n in range(5):
        w.decided(n, f"b{n}", Verdict.BLOCK, hit("r"))
        w.label(f"b{n}", V, "spam")
    for n in range(100, 300):
        w.decided(n, f"ok{n}", Verdict.ALLOW, type="api.usage", tier="enterprise")
    sweep = w.quality.intake.sample_traffic(
        LEAD, SamplePlan(0.1, "seed"), since=NOW - timedelta(days=30), until=NOW
    )
    assert 5 < len(sweep.enqueued) < 40
    for item in sweep.enqueued[:5]:
        w.resolve(BOB, item.case_id, Outcome.NOT_VIOLATING)
    report = w.quality.measure.report(ALICE)
    assert report.overall.missed.total == 0.0
    assert report.overall.interval is not None and report.overall.interval.low < 0.5
    again = w.quality.intake.sample_traffic(
        LEAD, SamplePlan(0.1, "seed"), since=NOW - timedelta(days=30), until=NOW
    )
    assert again.enqueued == ()
    with pytest.raises(InvalidInput):
        w.quality.intake.sample_traffic(LEAD, SamplePlan(0.0), since=NOW, until=NOW)


def _appeal(n: int, status: AppealStatus, rule: str, actor: str) -> Appeal:
    origin = Origin(actor, "spam", "p1", None, None, (rule,), ("spam_v1",))
    return Appeal(
        AppealId(f"apl_{n}"),
        ActionId(f"act_{n}"),
        EntityRef(EntityKind.ACCOUNT, f"a{n}"),
        "host",
        "no",
        NOW,
        NOW,
        origin,
        status,
        "person:judge",
        NOW,
    )


def test_overturn_rates_per_rule_policy_model_and_reviewer() -> None:
    appeals = [
        _appeal(1, AppealStatus.OVERTURNED, "r1", "system:garrison"),
        _appeal(2, AppealStatus.UPHELD, "r1", "system:garrison"),
        _appeal(3, AppealStatus.OVERTURNED, "r2", "person:alice"),
    ]
    w = build_quality_world(appeals)
    report = w.quality.overturns.report(ALICE)
    assert (report.overall.successes, report.overall.n) == (2, 3)
    assert report.by_rule["r1"].value == 0.5
    assert report.by_reviewer["person:alice"].value == 1.0
    assert report.by_policy["spam"].n == 3 and report.by_model["spam_v1"].n == 3


def test_conflicting_labels_go_to_adjudication_and_the_ruling_wins() -> None:
    w = build_quality_world()
    w.label("a1", V, "spam", author=ALICE.actor)
    w.label("a1", NV, None, author=BOB.actor, minutes=1)
    w.label("a2", V, "spam")
    adjudication = w.quality.adjudication
    found = adjudication.conflicts(LEAD)
    assert [(str(c.subject), c.policy, len(c.labels)) for c in found] == [("account:a1", "spam", 2)]
    with pytest.raises(PermissionDenied):
        adjudication.adjudicate(ALICE, w.account("a1"), "spam", V)
    with pytest.raises(Conflict):
        adjudication.adjudicate(LEAD, w.account("a2"), "spam", V)
    ruling = adjudication.adjudicate(LEAD, w.account("a1"), "spam", V, "clear spam")
    assert ruling.provenance is Provenance.ADJUDICATION
    assert adjudication.conflicts(LEAD) == []
    accuracy = w.quality.reports.adjudicated(LEAD, since=None)
    assert accuracy.by_reviewer[ALICE.actor].value == 1.0
    assert accuracy.by_reviewer[BOB.actor].value == 0.0


def test_label_import_csv_and_jsonl_all_or_nothing() -> None:
    w = build_quality_world()
    importer = w.quality.importer
    csv_text = (
        "subject,value,policy,author,created_at\n"
        "account:a1,violating,spam,vendor:acme,2026-11-01T00:00:00+00:00\n"
        "account:a2,not_violating,,,\n"
    )
    result = importer.import_text(LEAD, csv_text, LabelFormat.CSV, source="acme.csv")
    assert (result.read, result.imported, result.skipped) == (2, 2, 0)
    with w.store.uow() as uow:
        (label,) = uow.labels.for_subject(w.account("a1"))
    assert label.provenance is Provenance.IMPORT and label.author == "vendor:acme"
    again = importer.import_text(
        LEAD, csv_text.splitlines(True)[0] + csv_text.splitlines(True)[1], LabelFormat.CSV
    )
    assert (again.imported, again.skipped) == (0, 1)
    jsonl = '{"subject": "account:a3", "value": "violating", "policy": "fraud"}\n\n'
    assert importer.import_text(LEAD, jsonl, LabelFormat.JSONL).imported == 1
    bad = '{"subject": "account:a4", "value": "violating", "policy": "x"}\n{"subject": "nope"}\n'
    with pytest.raises(InvalidInput) as caught:
        importer.import_text(LEAD, bad, LabelFormat.JSONL)
    assert caught.value.field == "line 2: subject"
    with w.store.uow() as uow:
        assert uow.labels.for_subject(w.account("a4")) == []
    with pytest.raises(InvalidInput):
        importer.import_text(LEAD, "subject,value\naccount:a5,maybe\n", LabelFormat.CSV)
    with pytest.raises(InvalidInput):
        importer.import_text(LEAD, "subject,value\naccount:a5,violating\n", LabelFormat.CSV)
    with pytest.raises(PermissionDenied):
        importer.import_text(ALICE, jsonl, LabelFormat.JSONL)


def test_enqueue_uncertain_sends_scores_near_the_threshold_to_the_labelling_queue() -> None:
    w = build_quality_world()
    scores = [
        ScoredItem(w.account("sure"), "m", 0.99),
        ScoredItem(w.account("flip"), "m", 0.52),
        ScoredItem(w.account("near"), "m", 0.40),
        ScoredItem(w.account("no"), "m", 0.01),
    ]
    done = w.quality.active.enqueue_uncertain(LEAD, scores, 2)
    assert [i.subject.id for i in done.items] == ["flip", "near"]
    assert {i.kind for i in done.items} == {QaKind.UNCERTAIN}
    assert {i.queue for i in done.items} == {"labelling"}
    again = w.quality.active.enqueue_uncertain(LEAD, scores, 2, strategy=Strategy.ENTROPY)
    assert again.items == () and again.skipped == 2
    with pytest.raises(InvalidInput):
        w.quality.active.enqueue_uncertain(LEAD, scores, 0)
    with pytest.raises(InvalidInput):
        w.quality.active.enqueue_uncertain(LEAD, [ScoredItem(w.account("x"), "m", 2.0)], 1)
