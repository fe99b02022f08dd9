"""Model versions' lifecycle and population stability (PSI)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.models import (
    DriftLevel,
    Histogram,
    ModelStatus,
    ModelVersion,
    categorical_histogram,
    check_model_name,
    drift_of,
    numeric_histogram,
    promote,
    psi,
    retire,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def version(status: ModelStatus = ModelStatus.SHADOW) -> ModelVersion:
    return ModelVersion("risk", 1, "tabular", status, "/m", ("a",), {}, None, None, T0, "cli:x")


def test_identical_populations_have_zero_psi() -> None:
    assert psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]) == 0.0


def test_psi_matches_the_textbook_formula() -> None:
    expected, actual = [0.5, 0.5], [0.3, 0.7]
    by_hand = (0.3 - 0.5) * math.log(0.3 / 0.5) + (0.7 - 0.5) * math.log(0.7 / 0.5)
    assert psi(expected, actual) == pytest.approx(by_hand)
    assert psi(expected, actual) > 0


def test_an_empty_bin_keeps_psi_finite() -> None:
    assert math.isfinite(psi([1.0, 0.0], [0.0, 1.0]))


def test_bins_must_agree() -> None:
    with pytest.raises(InvalidInput):
        psi([1.0], [0.5, 0.5])


def test_quantile_bins_split_a_population_evenly() -> None:
    histogram = numeric_histogram([float(i) for i in range(1000)], bins=10)
    assert len(histogram.edges) == 9
    assert all(share == pytest.approx(0.1) for share in histogram.shares)


def test_a_shifted_population_drifts_and_the_same_one_does_not() -> None:
    baseline = numeric_histogram([float(i) for i in range(1000)])
    same = drift_of("x", baseline, [float(i) for i in range(0, 1000, 3)])
    moved = drift_of("x", baseline, [float(i) for i in range(500, 1500)])
    assert same.level is DriftLevel.STABLE
    assert moved.level is DriftLevel.SHIFTED
    assert moved.recent == 1000


def test_categories_outside_the_baseline_fall_in_the_last_bin() -> None:
    baseline = categorical_histogram(["us"] * 8 + ["gb"] * 2)
    assert baseline.categories == ("gb", "us")
    assert baseline.share_of(["fr", "us"]) == (0.0, 0.5, 0.5)


def test_histograms_round_trip_through_json() -> None:
    histogram = numeric_histogram([1.0, 2.0, 3.0, 4.0], bins=2)
    assert Histogram.from_json(histogram.to_json()) == histogram


def test_only_a_shadow_version_can_be_promoted() -> None:
    live = promote(version(), by="user:ana", at=T0)
    assert live.status is ModelStatus.LIVE
    assert live.promoted_by == "user:ana"
    with pytest.raises(InvalidTransition):
        promote(live, by="user:ana", at=T0)
    with pytest.raises(InvalidTransition):
        promote(retire(live, at=T0), by="user:ana", at=T0)


def test_model_names_are_checked() -> None:
    assert check_model_name("risk-v2.1") == "risk-v2.1"
    for bad in ("", "a b", "x" * 65, "a/b"):
        with pytest.raises(InvalidInput):
            check_model_name(bad)
