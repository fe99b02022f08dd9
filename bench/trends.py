"""Trend detection on simulated traffic: how soon an injected burst is alerted, and how often
clean traffic raises an alert.

Clean traffic: the simulator's benign traffic (no injected abuse) for several days at
`RATE` events/s, scanned every hour (1 h buckets, 7-day lookback, default sensitivity) from the
fourth day on; every alert there is false. The rate is alerts per segment-day: alerts over
(segments checked x days scanned). A second clean run keeps the simulator's usual background
abuse (5% of events) and reports its alerts apart (they are real, if small, patterns).

Bursts: a scam wave (new free accounts from one country signing up, posting giveaway texts,
reported as `scam`) starts at a random minute of day four, at 10 to 30 new accounts an hour. The
delay is from the burst's first event to the end of the first bucket whose hourly scan alerts
on one of its segments (`type=account.signup,country=XX` or `type=report.filed,reason=scam`);
the worker adds up to `trends_interval_seconds` (15 minutes by default) to that.

Hourly scans are replayed exactly and fast: the detector's verdict on a bucket depends only on
the buckets before it, so each segment's series runs through it once and findings are grouped
by bucket, collapsed and deduplicated as the service does. The baseline detector, in the same
run, flags a bucket above 3x the trailing 24-bucket mean (and 5 events above it).

    .venv/bin/python bench/trends.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.measure import Measurement  # noqa: E402
from bench.report import Row  # noqa: E402
from garrison.domain.anomaly import Sensitivity, detect  # noqa: E402
from garrison.domain.trend_scan import Candidate, collapse  # noqa: E402
from garrison.domain.trends import Observation, bucket_counts, segment_key  # noqa: E402
from garrison.simulator.bursts import Burst, observations, with_burst  # noqa: E402
from garrison.simulator.simulation import Simulation  # noqa: E402

NAME = "trends"
START = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
RATE = 0.3
FIRST_SCAN_H = 72
DEDUPE_H = 6
COUNTRIES = ("VN", "BR", "IN", "DE", "US")

Alerts = list[tuple[int, str]]
"""(bucket index, segment key) of each alert raised, after collapse and deduplication."""


def replay(obs: list[Observation], hours: int, sens: Sensitivity) -> tuple[Alerts, int]:
    """Alerts of hourly scans from FIRST_SCAN_H to `hours`, and segment-buckets checked."""
    counts = bucket_counts(obs, START, START + hours * HOUR, HOUR)
    by_bucket: dict[int, list[Candidate]] = defaultdict(list)
    for segment, series in counts.items():
        for f in detect(series, sens, first=FIRST_SCAN_H):
            at = START + f.bucket * HOUR
            by_bucket[f.bucket].append(Candidate(segment, f, at, at + HOUR, ()))
    alerts: Alerts = []
    last_seen: dict[str, int] = {}
    for bucket in sorted(by_bucket):
        for c in collapse(by_bucket[bucket]):
            seen = last_seen.get(c.key)
            if seen is None or bucket - seen > DEDUPE_H:
                alerts.append((bucket, c.key))
            last_seen[c.key] = bucket
    active = sum(1 for s in counts.values() if any(s[:FIRST_SCAN_H]) or any(s[FIRST_SCAN_H:]))
    return alerts, active * (hours - FIRST_SCAN_H)


def naive(obs: list[Observation], hours: int) -> tuple[Alerts, int]:
    """The baseline: a bucket above 3x the trailing 24-bucket mean and 5 events above it."""
    counts = bucket_counts(obs, START, START + hours * HOUR, HOUR)
    alerts: Alerts = []
    for segment, series in counts.items():
        last = -99
        for i in range(FIRST_SCAN_H, hours):
            mean = statistics.fmean(series[i - 24 : i])
            if series[i] > 3 * max(mean, 1.0) and series[i] - mean >= 5:
                if i - last > DEDUPE_H:
                    alerts.append((i, segment_key(segment)))
                last = i
    return alerts, len(counts) * (hours - FIRST_SCAN_H)


def clean_run(days: float, share: float, seed: int) -> dict[str, Any]:
    hours = int(days * 24)
    sim = Simulation(seed=seed, rate=RATE, duration_s=hours * 3600, start=START, abuse_share=share)
    obs = observations(sim.events())
    started = time.perf_counter()
    alerts, checked = replay(obs, hours, Sensitivity())
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    base_alerts, base_checked = naive(obs, hours)
    base_elapsed = time.perf_counter() - started
    return {
        "baseline_seconds": base_elapsed,
        "events": len(obs),
        "seconds": elapsed,
        "alerts": len(alerts),
        "segment_days": round(checked / 24, 1),
        "false_alerts_per_segment_day": len(alerts) / (checked / 24),
        "alert_segments": sorted({key for _, key in alerts}),
        "baseline_alerts": len(base_alerts),
        "baseline_false_alerts_per_segment_day": len(base_alerts) / (base_checked / 24),
    }


def delay_of(alerts: Alerts, segments: tuple[str, ...], start_h: float) -> float | None:
    """Minutes from the burst's start to the end of its first alerting bucket (None: missed)."""
    hits = [bucket for bucket, key in alerts if key in segments and bucket + 1 > start_h]
    return (min(hits) + 1 - start_h) * 60 if hits else None


def burst_trials(trials: int) -> dict[str, Any]:
    rng = random.Random(11)
    delays: list[float | None] = []
    base_delays: list[float | None] = []
    events = 0
    for n in range(trials):
        start_h = FIRST_SCAN_H + rng.uniform(0, 20)
        burst = Burst(
            start_s=start_h * 3600,
            duration_s=3 * 3600,
            per_hour=rng.choice((10, 20, 30)),
            country=COUNTRIES[n % len(COUNTRIES)],
            seed=n,
        )
        hours = int(start_h) + 8
        sim = Simulation(
            seed=100 + n, rate=RATE, duration_s=hours * 3600, start=START, abuse_share=0
        )
        wires, truth = with_burst(sim, burst)
        obs = observations(wires)
        events += len(obs)
        alerts, _ = replay(obs, hours, Sensitivity())
        delays.append(delay_of(alerts, truth.segments, start_h))
        base, _ = naive(obs, hours)
        base_delays.append(delay_of(base, truth.segments, start_h))
    found = [d for d in delays if d is not None]
    base_found = [d for d in base_delays if d is not None]
    return {
        "trials": trials,
        "events": events,
        "detected": len(found),
        "delay_minutes_median": round(statistics.median(found), 1) if found else None,
        "delay_minutes_max": round(max(found), 1) if found else None,
        "delays_minutes": [None if d is None else round(d, 1) for d in delays],
        "baseline_detected": len(base_found),
        "baseline_delay_minutes_median": round(statistics.median(base_found), 1)
        if base_found
        else None,
    }


def run(*, quick: bool) -> list[Row]:
    days, trials = (4.0, 3) if quick else (7.0, 8)
    clean = clean_run(days, 0.0, seed=21)
    background = clean_run(days, 0.05, seed=22)
    started = time.perf_counter()
    bursts = burst_trials(trials)
    elapsed = time.perf_counter() - started
    details = {"clean": clean, "background_abuse": background, "bursts": bursts}
    return [
        Row(
            NAME,
            f"clean traffic, {days:g} days at {RATE:g}/s, hourly scans",
            Measurement("garrison trends", clean["events"], clean["seconds"]),
            Measurement("3x trailing mean", clean["events"], clean["baseline_seconds"]),
            details=clean,
        ),
        Row(
            NAME,
            f"scam bursts, {trials} trials",
            Measurement("garrison trends", bursts["events"], elapsed),
            details=details,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    rows = run(quick=parser.parse_args().quick)
    print(json.dumps(rows[-1].details, indent=2, default=str))


if __name__ == "__main__":
    main()
