"""One detection pass over a window of observations: every segment's series through the detector,
each finding made into a candidate alert, and candidates that a more specific segment explains
collapsed into that one (a burst of free-tier spam from one country alerts once, on
`policy=spam,country=BR,tier=free`, not on every coarser segment too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from garrison.domain.anomaly import Finding, Sensitivity, detect
from garrison.domain.trends import (
    Observation,
    Segment,
    bucket_counts,
    bucket_of,
    matches,
    search_query,
    segment_key,
)

EXPLAINED = 0.7
"""A coarser segment's excess that a finer one covers (share) for the coarser to be dropped."""


@dataclass(frozen=True, slots=True)
class Candidate:
    segment: Segment
    finding: Finding
    started_at: datetime
    last_seen_at: datetime
    samples: tuple[str, ...]

    @property
    def key(self) -> str:
        return segment_key(self.segment)

    @property
    def query(self) -> str:
        return search_query(self.segment)

    @property
    def excess(self) -> float:
        return self.finding.observed - self.finding.expected


@dataclass(frozen=True, slots=True)
class Pass:
    candidates: tuple[Candidate, ...]
    segments: int
    """How many segments were checked."""


def scan(
    observations: Sequence[Observation],
    *,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    sensitivity: Sensitivity,
    evaluate: int,
    samples: int = 5,
) -> Pass:
    """Findings in the last `evaluate` buckets of [start, end); earlier buckets are history."""
    counts = bucket_counts(observations, start, end, bucket)
    first = max(0, len(next(iter(counts.values()), [])) - evaluate)
    found = []
    for segment, series in counts.items():
        for finding in detect(series, sensitivity, first=first):
            at = start + finding.bucket * bucket
            chosen = _samples(observations, segment, start, bucket, finding.bucket, samples)
            began = start + finding.since * bucket
            found.append(Candidate(segment, finding, began, at + bucket, chosen))
    return Pass(tuple(collapse(found)), len(counts))


def _samples(
    observations: Sequence[Observation],
    segment: Segment,
    start: datetime,
    bucket: timedelta,
    index: int,
    limit: int,
) -> tuple[str, ...]:
    out: list[str] = []
    for obs in observations:
        if bucket_of(obs.at, start, bucket) == index and matches(obs, segment):
            out.append(obs.event_id)
            if len(out) >= limit:
                break
    return tuple(out)


def collapse(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Drop each candidate that a more specific one in the same bucket mostly explains."""
    kept = []
    for coarse in candidates:
        pairs = set(coarse.segment)
        explained = any(
            fine is not coarse
            and pairs < set(fine.segment)
            and fine.finding.bucket == coarse.finding.bucket
            and fine.excess >= EXPLAINED * coarse.excess
            for fine in candidates
        )
        if not explained:
            kept.append(coarse)
    return sorted(kept, key=lambda c: (-c.finding.score, c.key))
