"""Horvitz-Thompson estimates of misses from a stratified QA sample."""

from __future__ import annotations

import pytest

from garrison.domain.sampling import (
    Stratum,
    draw,
    estimate_missed,
    recall,
    segment_of,
    selected,
)


def test_selection_is_deterministic_and_matches_the_rate() -> None:
    keys = [f"evt_{i}" for i in range(20_000)]
    chosen = [k for k in keys if selected("seed", k, 0.1)]
    assert chosen == [k for k in keys if selected("seed", k, 0.1)]
    assert 1800 < len(chosen) < 2200
    assert not any(selected("seed", k, 0.0) for k in keys[:100])
    assert all(selected("seed", k, 1.0) for k in keys[:100])
    assert draw("a", "x") != draw("b", "x")
    with pytest.raises(ValueError, match="rate"):
        selected("seed", "k", 1.5)


def test_ht_weights_each_found_violation_by_the_inverse_rate() -> None:
    strata = [
        Stratum("content.submitted|free", 10_000, 0.01, 100, 100, 3),
        Stratum("api.usage|enterprise", 1_000, 0.1, 100, 50, 1),
    ]
    missed = estimate_missed(strata)
    # 3 / 0.01 + 1 / (0.1 * 50 / 100) = 300 + 20
    assert missed.total == pytest.approx(320.0)
    assert missed.interval.low < 320 < missed.interval.high
    assert missed.violating == 4 and missed.labelled == 150


def test_a_clean_sample_still_has_an_upper_bound_above_zero() -> None:
    missed = estimate_missed([Stratum("s", 5_000, 0.01, 50, 50, 0)])
    assert missed.total == 0.0
    assert missed.interval.low == 0.0
    assert missed.interval.high > 100  # Wilson 0/50 upper ~7% of 5000


def test_unlabelled_strata_are_reported_not_guessed() -> None:
    missed = estimate_missed([Stratum("s", 700, 0.05, 35, 0, 0)])
    assert missed.total == 0.0 and missed.uncovered == 700


def test_recall_interval_follows_the_misses() -> None:
    missed = estimate_missed([Stratum("s", 10_000, 0.01, 100, 100, 2)])
    result = recall(600, missed)
    assert result.value == pytest.approx(600 / 800)
    assert result.interval is not None and result.value is not None
    assert result.interval.low < result.value < result.interval.high <= 1.0
    assert recall(0, estimate_missed([])).value is None


def test_stratum_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="violating <= labelled"):
        Stratum("s", 10, 0.5, 5, 6, 0)
    assert segment_of("content.submitted", None) == "content.submitted|unknown"
