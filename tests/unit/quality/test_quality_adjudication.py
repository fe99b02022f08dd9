"""Which label counts, which disagreements need an adjudicator, and how unsure a model is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.adjudication import category_of, conflicts, covers, effective
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.uncertainty import ScoredItem, Strategy, least_certain, uncertainty

T0 = datetime(2026, 1, 1, tzinfo=UTC)
A = EntityRef(EntityKind.ACCOUNT, "a")
V, NV = LabelValue.VIOLATING, LabelValue.NOT_VIOLATING


def lab(
    n: int, value: LabelValue, policy: str | None, prov: Provenance = Provenance.REVIEW
) -> Label:
    return Label(
        LabelId(f"l{n}"), A, policy, value, prov, f"person:r{n}", T0 + timedelta(minutes=n)
    )


def test_a_policy_less_not_violating_label_conflicts_with_a_violating_one() -> None:
    found = conflicts([lab(1, V, "spam"), lab(2, NV, None), lab(3, V, "fraud")])
    assert [(c.policy, [x.id for x in c.labels]) for c in found] == [
        ("fraud", ["l3", "l2"]),
        ("spam", ["l2", "l1"]),
    ]
    assert found[0].key == "account:a|fraud"


def test_an_adjudication_settles_older_labels_until_a_newer_vote_disagrees() -> None:
    settled = [lab(1, V, "spam"), lab(2, NV, None), lab(3, V, "spam", Provenance.ADJUDICATION)]
    assert conflicts(settled) == []
    reopened = [*settled, lab(4, NV, None), lab(5, V, "spam")]
    [conflict] = conflicts(reopened)
    assert [x.id for x in conflict.labels] == ["l5", "l4"]


def test_golden_labels_are_not_votes_and_parents_cover_children() -> None:
    assert conflicts([lab(1, V, "spam", Provenance.GOLDEN), lab(2, NV, None)]) == []
    assert conflicts([lab(1, V, "fraud"), lab(2, NV, "fraud.card")]) != []
    assert covers("fraud", "fraud.card") and covers(None, "x") and not covers("fraud.card", "fraud")


def test_the_adjudicated_label_wins_over_newer_ones() -> None:
    labels = [lab(1, V, "spam"), lab(2, NV, None, Provenance.ADJUDICATION), lab(3, V, "spam")]
    chosen = effective(labels, "spam")
    assert chosen is not None and chosen.id == "l2"
    newest = effective([lab(1, V, "spam"), lab(3, NV, None)], "spam")
    assert newest is not None and newest.id == "l3"
    assert effective([lab(1, V, "fraud")], "spam") is None
    assert category_of(V, "spam") == "spam" and category_of(NV, "spam") == "not_violating"


def test_uncertainty_by_margin_and_entropy() -> None:
    assert uncertainty(0.5, Strategy.MARGIN) == 1.0
    assert uncertainty(0.3, Strategy.MARGIN, threshold=0.3) == 1.0
    assert uncertainty(1.0, Strategy.MARGIN) == 0.0
    assert uncertainty(0.5, Strategy.ENTROPY) == pytest.approx(1.0)
    assert uncertainty(0.0, Strategy.ENTROPY) == 0.0
    with pytest.raises(ValueError, match="between 0 and 1"):
        uncertainty(1.2, Strategy.MARGIN)


def test_least_certain_keeps_one_score_per_subject_and_model() -> None:
    b = EntityRef(EntityKind.ACCOUNT, "b")
    items = [
        ScoredItem(A, "m", 0.9),
        ScoredItem(A, "m", 0.45),
        ScoredItem(b, "m", 0.2),
        ScoredItem(b, "other", 0.6),
    ]
    picked = least_certain(items, 2, threshold=0.5)
    assert [(i.subject.id, i.model, i.score) for i, _ in picked] == [
        ("a", "m", 0.45),
        ("b", "other", 0.6),
    ]
    assert least_certain(items, 0) == []


def test_a_golden_answer_counts_over_a_newer_review_but_not_over_an_adjudication() -> None:
    golden = lab(1, V, "spam", Provenance.GOLDEN)
    chosen = effective([golden, lab(2, NV, None)], "spam")
    assert chosen is not None and chosen.id == "l1"
    ruled = effective([golden, lab(3, NV, "spam", Provenance.ADJUDICATION)], "spam")
    assert ruled is not None and ruled.id == "l3"
