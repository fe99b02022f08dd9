"""Wilson intervals, and precision and recall at the subject level."""

from __future__ import annotations

import pytest

from garrison.domain.metrics import Proportion, Quality, quality, wilson_interval


def test_wilson_interval_matches_the_textbook_values() -> None:
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4)
    assert interval.high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_interval_stays_inside_zero_and_one_at_the_edges() -> None:
    none, every = wilson_interval(0, 3), wilson_interval(3, 3)
    assert none.low == 0.0
    assert 0.5 < none.high < 0.6
    assert every.high == 1.0
    assert 0.4 < every.low < 0.5


def test_wider_z_gives_a_wider_interval() -> None:
    narrow, wide = wilson_interval(30, 100, z=1.0), wilson_interval(30, 100, z=3.0)
    assert wide.low < narrow.low < 0.3 < narrow.high < wide.high


@pytest.mark.parametrize(("successes", "n"), [(0, 0), (-1, 5), (6, 5)])
def test_wilson_interval_refuses_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match=r"trial|between"):
        wilson_interval(successes, n)


def test_proportion_of_nothing_has_no_value() -> None:
    assert Proportion.of(0, 0) == Proportion(0, 0, None, None)


def test_quality_counts_caught_and_missed_subjects() -> None:
    scored = quality(
        flagged={"account:a", "account:b", "account:c", "account:x"},
        positives={"account:a", "account:b", "account:d"},
        negatives={"account:c", "account:e"},
    )
    assert scored == Quality(caught_positive=2, caught_negative=1, missed=1)
    assert scored.precision.value == pytest.approx(2 / 3)
    assert scored.recall.value == pytest.approx(2 / 3)
    assert scored.precision.n == 3
