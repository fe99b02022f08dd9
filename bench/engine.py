"""Rule engine, in process, one core: `Release.evaluate` against the naive `eval()` baseline.

Rule sets of 10, 100 and 1,000 generated rules over simulator traffic with velocity values
precomputed in each `EvalContext`. Garrison does the full `evaluate` (fired rules and their
explained hits); the baseline only finds which rules fire, so the ratio does not flatter Garrison.
Before timing, both are checked to fire the same rules on the same events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.measure import Side, compare
from bench.naive import NaiveRules, namespace
from bench.report import Row, Target
from bench.rulegen import VELOCITY, rule_set
from bench.workload import contexts, to_event, wire_events
from garrison.domain.events import Event
from garrison.domain.language import compile_release
from garrison.domain.rules import EvalContext, Release

NAME = "engine"
TARGET_RULES = 100
TARGET = Target(min_per_s=50_000, max_p99_ms=1.0)


@dataclass(frozen=True, slots=True)
class Size:
    events: int
    rule_counts: tuple[int, ...]
    budget_s: float
    """Longest each implementation's throughput (and latency) passes may run, over all rounds."""
    check_events: int
    rounds: int


FULL = Size(events=50_000, rule_counts=(10, 100, 1000), budget_s=4.0, check_events=5_000, rounds=4)
QUICK = Size(events=2_000, rule_counts=(10, 100, 1000), budget_s=0.15, check_events=500, rounds=2)


def run(*, quick: bool) -> list[Row]:
    size = QUICK if quick else FULL
    events = [to_event(wire) for wire in wire_events(size.events)]
    return [_case(rules, events, size) for rules in size.rule_counts]


def _case(rule_count: int, events: list[Event], size: Size) -> Row:
    release = compile_release(f"bench-{rule_count}", rule_set(rule_count))
    ctxs = contexts(events, release.velocity)
    naive = NaiveRules([compiled.rule for compiled in release.rules])
    scopes = [namespace(ctx) for ctx in ctxs]
    limit = size.check_events
    check = _same_hits(release, naive, ctxs[:limit], scopes[:limit])
    warm = min(len(ctxs), 1_000)
    _warm_up(release, naive, ctxs[:warm], scopes[:warm])
    garrison, baseline, fired_only = compare(
        [
            Side("garrison", release.evaluate, ctxs),
            Side("naive eval()", naive.fired, scopes),
            Side("garrison fired", release.fired, ctxs),
        ],
        budget_s=size.budget_s,
        rounds=size.rounds,
    )
    return Row(
        bench=NAME,
        case=f"{rule_count} rules",
        subject=garrison,
        baseline=baseline,
        target=TARGET if rule_count == TARGET_RULES else None,
        details={
            "rules": rule_count,
            "velocity_specs": len(release.velocity),
            "velocity_specs_declared": len(VELOCITY),
            "events_available": len(ctxs),
            **check,
            "garrison_fired_only": fired_only.to_json(),
            "garrison_measures": "Release.evaluate: fired rules plus explained hits",
            "baseline_measures": "eval() of each rule's compiled code; names of fired rules",
        },
    )


def _warm_up(
    release: Release, naive: NaiveRules, ctxs: list[EvalContext], scopes: list[dict[str, Any]]
) -> None:
    for ctx, scope in zip(ctxs, scopes, strict=True):
        release.evaluate(ctx)
        naive.fired(scope)


def _same_hits(
    release: Release, naive: NaiveRules, ctxs: list[EvalContext], scopes: list[dict[str, Any]]
) -> dict[str, Any]:
    """Both implementations on the same events: their hits, and on how many events they differ."""
    hits = mismatched = 0
    for ctx, scope in zip(ctxs, scopes, strict=True):
        ours = [compiled.rule.name for compiled in release.fired(ctx)]
        hits += len(ours)
        if ours != naive.fired(scope):
            mismatched += 1
    return {
        "checked_events": len(ctxs),
        "hits_per_event": round(hits / len(ctxs), 4) if ctxs else 0.0,
        "events_with_different_hits": mismatched,
        "same_hits": mismatched == 0,
    }
