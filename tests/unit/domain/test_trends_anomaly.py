"""The detector: seasonal baseline, robust score, spikes, CUSUM shifts, sensitivity."""

from __future__ import annotations

import random

import pytest

from garrison.domain.anomaly import FindingKind, Sensitivity, baseline, detect, is_spike
from garrison.domain.errors import InvalidInput


def poisson_like(mean: float, n: int, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        count, t = 0, rng.expovariate(1.0)
        while t < mean:
            count += 1
            t += rng.expovariate(1.0)
        out.append(count)
    return out


def test_steady_noisy_traffic_raises_nothing() -> None:
    series = poisson_like(20, 24 * 7)
    assert detect(series, Sensitivity()) == []


def test_a_burst_in_a_quiet_segment_is_a_spike_at_its_first_bucket() -> None:
    series = [0, 1, 0, 0, 2, 0, 1, 0] * 10 + [25, 30, 28]
    found = detect(series, Sensitivity(season=0))
    assert [(f.kind, f.bucket, f.observed) for f in found] == [(FindingKind.SPIKE, 80, 25)]
    assert found[0].ratio > 10


def test_the_seasonal_baseline_reads_the_same_hour_of_earlier_days() -> None:
    day = [5] * 12 + [50] * 12  # busy afternoons
    series = day * 4
    sens = Sensitivity(season=24)
    base = baseline(series, 24 * 3 + 15, sens)
    assert base is not None and base.expected == 50
    assert detect(series, sens, first=48) == []


def test_a_sustained_moderate_shift_is_found_by_cusum_with_its_start() -> None:
    series = poisson_like(30, 60, seed=3) + [x + 18 for x in poisson_like(30, 20, seed=4)]
    found = detect(series, Sensitivity(season=0))
    shifts = [f for f in found if f.kind is FindingKind.SHIFT]
    assert shifts, found
    assert 58 <= shifts[0].since <= 66


def test_only_buckets_from_first_are_reported() -> None:
    series = [0] * 30 + [40] + [0] * 30
    assert detect(series, Sensitivity(season=0), first=40) == []
    assert len(detect(series, Sensitivity(season=0), first=20)) == 1


def test_sensitivity_scales_thresholds() -> None:
    base = baseline([10, 11, 9, 10, 12, 8, 10, 10], 8, Sensitivity(season=0))
    assert base is not None
    assert not is_spike(25, base, Sensitivity(season=0))
    assert is_spike(25, base, Sensitivity(season=0).scaled(0.5))
    with pytest.raises(InvalidInput):
        Sensitivity().scaled(0)
    with pytest.raises(InvalidInput) as error:
        Sensitivity(threshold=-1)
    assert error.value.field == "threshold"


def test_too_little_history_gives_no_baseline() -> None:
    assert baseline([3, 4], 2, Sensitivity(season=0)) is None
