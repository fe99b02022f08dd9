"""Backtest: run candidate rules over past events, as real time would have, and score them.

The engine (a port; the Polars one lives in `garrison.adapters.backtest`) replays the events in
occurred_at order with the real-time semantics and returns hits per rule and per day, the
subjects caught and the combinations of rules that fired together. This use case turns them into
a report: hits per rule and day, overlap with the live rules, subjects newly caught, the verdicts
the candidate release would have reached (`decisions.combine`, as real time), and, given labels,
precision and recall per rule and overall at the subject level with Wilson intervals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from garrison.domain.decisions import ScorePolicy, combine
from garrison.domain.events import Event, JsonValue
from garrison.domain.language import compile_release, parse_rule_file
from garrison.domain.metrics import Proportion, Quality, quality
from garrison.domain.rules import Release, Rule, RuleHit
from garrison.domain.verdicts import Verdict
from garrison.services.unit_of_work import StoredEvent, UnitOfWorkFactory

EXAMPLES = 5
"""Event ids shown per rule."""


@dataclass(frozen=True, slots=True)
class RuleHits:
    """One rule's hits as the engine found them."""

    per_day: Mapping[str, int]
    subjects: frozenset[str]
    examples: tuple[str, ...] = ()
    row_wise: int = 0
    """Events this rule was evaluated on one by one (no exact column form, or odd values)."""

    @property
    def hits(self) -> int:
        return sum(self.per_day.values())


@dataclass(frozen=True, slots=True)
class EngineOutput:
    events: int
    duplicates: int
    days: Mapping[str, int]
    """Events per day (UTC, `YYYY-MM-DD`)."""
    subjects: frozenset[str]
    """Every subject (`kind:id`) of an event in the replay."""
    rules: Mapping[str, RuleHits]
    live: Mapping[str, RuleHits]
    patterns: Sequence[tuple[frozenset[str], frozenset[str], int]]
    """(candidate rules that fired, live rules that fired, events) for every event any fired on."""


class BacktestEngine(Protocol):
    def run(
        self, events: Iterable[Event], candidate: Release, live: Release | None
    ) -> EngineOutput:
        """Replay `events` (any order: they are replayed by occurred_at, then as given)."""
        ...


@dataclass(frozen=True, slots=True)
class GroundLabel:
    entity: str
    """`kind:id`, like `account:a1`."""
    violating: bool
    policy: str | None = None
    """The policy the label is about (`fraud` covers `fraud.card_testing`); None: every one."""


@dataclass(frozen=True, slots=True)
class GroundLabels:
    labels: tuple[GroundLabel, ...]
    closed_world: bool = False
    """Every subject seen that is not labelled violating is not violating (a simulation's truth)."""

    def split(self, seen: frozenset[str], policy: str | None) -> tuple[set[str], set[str]]:
        """(violating, not violating) subjects among `seen` for a rule of `policy` (None: all)."""
        positives: set[str] = set()
        negatives: set[str] = set()
        for label in self.labels:
            if label.entity in seen and _covers(label.policy, policy):
                (positives if label.violating else negatives).add(label.entity)
        if self.closed_world:
            negatives = set(seen) - positives
        return positives, negatives - positives


def _covers(label_policy: str | None, rule_policy: str | None) -> bool:
    if label_policy is None or rule_policy is None:
        return True
    return rule_policy == label_policy or rule_policy.startswith(label_policy + ".")


@dataclass(frozen=True, slots=True)
class RuleReport:
    name: str
    policy: str
    verdict: Verdict | None
    score: float
    hits: int
    per_day: Mapping[str, int]
    subjects: int
    new_subjects: int
    """Subjects this rule caught that no live rule caught."""
    overlap_events: int
    """Events this rule hit that a live rule hit too."""
    examples: tuple[str, ...]
    row_wise: int
    quality: Quality | None = None


@dataclass(frozen=True, slots=True)
class BacktestReport:
    release: str
    live_release: str | None
    events: int
    duplicates: int
    days: Mapping[str, int]
    subjects_seen: int
    rules: tuple[RuleReport, ...]
    caught: int
    """Subjects any candidate rule caught."""
    new_subjects: int
    """Of those, subjects no live rule caught."""
    live_caught: int
    verdicts: Mapping[Verdict, int]
    live_verdicts: Mapping[Verdict, int] | None
    quality: Quality | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    """What the event source skipped (a corrupt line, with its number)."""


class BacktestService:
    def __init__(self, engine: BacktestEngine, policy: ScorePolicy) -> None:
        self._engine = engine
        self._policy = policy

    def run(
        self,
        rules: str | Release,
        events: Iterable[Event],
        *,
        labels: GroundLabels | None = None,
        live: Release | None = None,
        source: str = "<rules>",
    ) -> BacktestReport:
        """Backtest `rules` (rule-file text or a compiled release) over `events`."""
        candidate = rules if isinstance(rules, Release) else _release(rules, source)
        output = self._engine.run(events, candidate, live)
        return self._report(candidate, live, output, labels)

    def _report(
        self,
        candidate: Release,
        live: Release | None,
        output: EngineOutput,
        labels: GroundLabels | None,
    ) -> BacktestReport:
        live_subjects = frozenset().union(*(h.subjects for h in output.live.values()))
        overlap = _overlap(output.patterns)
        reports = tuple(
            _rule_report(
                compiled.rule,
                output.rules[compiled.rule.name],
                live_subjects,
                overlap.get(compiled.rule.name, 0),
                output.subjects,
                labels,
            )
            for compiled in candidate.rules
        )
        caught = frozenset().union(*(h.subjects for h in output.rules.values()))
        overall = None
        if labels is not None:
            positives, negatives = labels.split(output.subjects, None)
            overall = quality(caught, positives, negatives)
        return BacktestReport(
            release=candidate.version,
            live_release=live.version if live is not None else None,
            events=output.events,
            duplicates=output.duplicates,
            days=dict(output.days),
            subjects_seen=len(output.subjects),
            rules=reports,
            caught=len(caught),
            new_subjects=len(caught - live_subjects),
            live_caught=len(live_subjects),
            verdicts=self._verdicts(candidate, output, candidate_side=True),
            live_verdicts=self._verdicts(live, output, candidate_side=False) if live else None,
            quality=overall,
        )

    def _verdicts(
        self, release: Release, output: EngineOutput, *, candidate_side: bool
    ) -> dict[Verdict, int]:
        """The verdict each event would get from `release`'s hits, as `decide` combines them."""
        by_name = {c.rule.name: c.rule for c in release.rules}
        counts: Counter[Verdict] = Counter()
        hit_events = 0
        for fired, live_fired, n in output.patterns:
            names = fired if candidate_side else live_fired
            if not names:
                continue
            rules = [by_name[name] for name in sorted(names)]
            hits = [RuleHit(r.name, r.policy, r.verdict, r.score, "", {}) for r in rules]
            counts[combine(hits, self._policy)[1]] += n
            hit_events += n
        counts[combine([], self._policy)[1]] += output.events - hit_events
        return {v: counts.get(v, 0) for v in Verdict}


def _overlap(patterns: Sequence[tuple[frozenset[str], frozenset[str], int]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for fired, live_fired, n in patterns:
        if live_fired:
            for name in fired:
                counts[name] += n
    return counts


def _rule_report(
    rule: Rule,
    hits: RuleHits,
    live_subjects: frozenset[str],
    overlap: int,
    seen: frozenset[str],
    labels: GroundLabels | None,
) -> RuleReport:
    scored = None
    if labels is not None:
        positives, negatives = labels.split(seen, rule.policy)
        scored = quality(hits.subjects, positives, negatives)
    return RuleReport(
        name=rule.name,
        policy=rule.policy,
        verdict=rule.verdict,
        score=rule.score,
        hits=hits.hits,
        per_day=dict(hits.per_day),
        subjects=len(hits.subjects),
        new_subjects=len(hits.subjects - live_subjects),
        overlap_events=overlap,
        examples=hits.examples,
        row_wise=hits.row_wise,
        quality=scored,
    )


def _release(text: str, source: str) -> Release:
    rules = parse_rule_file(text, source)
    return compile_release(f"backtest:{source}", rules)


def stored_events(
    uow_factory: UnitOfWorkFactory,
    start: datetime,
    end: datetime | None = None,
    *,
    batch: int = 2000,
) -> Iterator[Event]:
    """The event log from `start` (to `end`) in replay order, read a page per unit of work."""
    after: StoredEvent | None = None
    while True:
        with uow_factory() as uow:
            page = uow.events.by_time(start, end, after, batch)
        yield from (stored.event for stored in page)
        if len(page) < batch:
            return
        after = page[-1]


def candidate_release(text: str, source: str) -> Release:
    """The release a rule file's text backtests as (checked like any rule file)."""
    return _release(text, source)


def report_json(report: BacktestReport) -> dict[str, JsonValue]:
    """The report as JSON-ready data (what `garrison rules backtest --format json` prints)."""
    return {
        "release": report.release,
        "live_release": report.live_release,
        "events": report.events,
        "duplicates": report.duplicates,
        "problems": list(report.problems),
        "days": dict(report.days),
        "subjects_seen": report.subjects_seen,
        "caught": report.caught,
        "new_subjects": report.new_subjects,
        "live_caught": report.live_caught,
        "verdicts": {str(v): n for v, n in report.verdicts.items()},
        "live_verdicts": (
            {str(v): n for v, n in report.live_verdicts.items()} if report.live_verdicts else None
        ),
        "quality": _quality_json(report.quality),
        "rules": [_rule_json(rule) for rule in report.rules],
    }


def _rule_json(rule: RuleReport) -> dict[str, JsonValue]:
    return {
        "name": rule.name,
        "policy": rule.policy,
        "verdict": str(rule.verdict) if rule.verdict else None,
        "score": rule.score,
        "hits": rule.hits,
        "per_day": dict(rule.per_day),
        "subjects": rule.subjects,
        "new_subjects": rule.new_subjects,
        "overlap_events": rule.overlap_events,
        "examples": list(rule.examples),
        "row_wise": rule.row_wise,
        "quality": _quality_json(rule.quality),
    }


def _quality_json(scored: Quality | None) -> dict[str, JsonValue] | None:
    if scored is None:
        return None
    return {
        "caught_positive": scored.caught_positive,
        "caught_negative": scored.caught_negative,
        "missed": scored.missed,
        "precision": _proportion_json(scored.precision),
        "recall": _proportion_json(scored.recall),
    }


def _proportion_json(share: Proportion) -> dict[str, JsonValue]:
    interval = share.interval
    return {
        "value": share.value,
        "low": interval.low if interval else None,
        "high": interval.high if interval else None,
        "successes": share.successes,
        "n": share.n,
    }
