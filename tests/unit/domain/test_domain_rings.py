"""Ring risk scoring, creation bursts and ring names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.rings import RingFacts, RiskWeights, largest_burst, ring_id, score_ring

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _factors(facts: RingFacts) -> dict[str, float]:
    return {f.name: f.value for f in score_ring(facts).factors}


def test_a_quiet_pair_scores_low_and_a_labelled_farm_scores_high() -> None:
    pair = score_ring(RingFacts(size=2, labelled_bad=0, strong_members=0, burst=1))
    farm = score_ring(RingFacts(size=10, labelled_bad=5, strong_members=10, burst=10))
    assert pair.score < 0.1
    assert farm.score == 1.0


def test_each_factor_explains_itself() -> None:
    risk = score_ring(RingFacts(size=5, labelled_bad=1, strong_members=4, burst=3))
    values = {f.name: f.value for f in risk.factors}
    assert values == {
        "labelled_bad": pytest.approx(0.4),
        "shared_strong": pytest.approx(0.8),
        "creation_burst": pytest.approx(0.5),
        "size": pytest.approx(4 / 7),
    }
    assert risk.score == pytest.approx(round(sum(f.contribution for f in risk.factors), 4))
    notes = {f.name: f.note for f in risk.factors}
    assert notes["labelled_bad"] == "1 of 5 members labelled violating"
    assert notes["creation_burst"] == "3 of 5 members first seen within one burst window"


def test_every_factor_raises_the_score() -> None:
    base = RingFacts(size=4, labelled_bad=0, strong_members=2, burst=2)
    score = score_ring(base).score
    for better in (
        RingFacts(4, 1, 2, 2),
        RingFacts(4, 0, 4, 2),
        RingFacts(4, 0, 2, 4),
        RingFacts(6, 0, 2, 2),
    ):
        assert score_ring(better).score > score, better


def test_half_labelled_counts_as_all_and_size_saturates() -> None:
    assert _factors(RingFacts(8, 4, 0, 1))["labelled_bad"] == 1.0
    assert _factors(RingFacts(8, 0, 0, 1))["size"] == 1.0
    assert _factors(RingFacts(80, 0, 0, 1))["size"] == 1.0


def test_weights_are_configurable() -> None:
    only_size = RiskWeights(labelled_bad=0, shared_strong=0, creation_burst=0, size=1, full_size=3)
    assert score_ring(RingFacts(3, 3, 3, 3), only_size).score == 1.0
    assert score_ring(RingFacts(2, 3, 3, 3), only_size).score == 0.5


def test_largest_burst_counts_the_fullest_window() -> None:
    hour = timedelta(hours=1)
    times = [T0, T0 + 10 * hour, T0 + 10.5 * hour, T0 + 11 * hour, T0 + 40 * hour]
    assert largest_burst(times, hour) == 3
    assert largest_burst(times, timedelta(days=2)) == 5
    assert largest_burst(times, timedelta(minutes=1)) == 1
    assert largest_burst([], hour) == 0


def test_ring_id_is_stable_and_depends_on_the_anchor_only() -> None:
    a = EntityRef(EntityKind.ACCOUNT, "acct_1")
    assert ring_id(a) == ring_id(EntityRef(EntityKind.ACCOUNT, "acct_1"))
    assert ring_id(a) != ring_id(EntityRef(EntityKind.ACCOUNT, "acct_2"))
    assert ring_id(a).startswith("ring_") and len(ring_id(a)) == 17
