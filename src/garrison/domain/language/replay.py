"""A pure, in-memory replay of events through a release: the reference real-time semantics.

Velocity is computed from the events replayed so far, in the order given, with the bucket
semantics of `garrison.domain.signals`: an aggregate for event E covers the events sharing E's key
value (compared as text) whose bucket lies in `window_buckets(E.occurred_at, window)`, E itself
included when it feeds the aggregate (`VelocitySpec.matches`). An event replayed earlier but
stamped in a later bucket is outside the window, as it would be for stored counters.
COUNT counts those events, DISTINCT counts the distinct values (as text) of `of`, SUM adds up
the numeric values of `of` (others count as 0).

Rules in an `acting` stage decide (`decide` with the given `ScorePolicy`); shadow and canary rules
that do not act are evaluated and reported as `shadow_hits`; draft and retired rules are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from garrison.domain.decisions import Decision, ScorePolicy, decide
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import DecisionId, EventId
from garrison.domain.rules import EvalContext, Release, RuleHit, Stage
from garrison.domain.signals import (
    Aggregate,
    ListMatcher,
    VelocitySpec,
    bucket_of,
    window_buckets,
)

ACTING = frozenset({Stage.LIVE})
WATCHING = frozenset({Stage.SHADOW, Stage.CANARY})


class ValueList(ListMatcher):
    """A list given as plain values: exact membership (strings compared as written)."""

    def __init__(self, values: Iterable[JsonValue]) -> None:
        self._values = frozenset(value for value in values if not isinstance(value, (list, dict)))

    def contains(self, value: JsonValue) -> bool:
        try:
            return value in self._values
        except TypeError:
            return False


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """One replayed event: its decision, the velocity values it saw, and non-acting hits."""

    event: Event
    decision: Decision
    velocity: Mapping[VelocitySpec, float]
    shadow_hits: tuple[RuleHit, ...] = ()


@dataclass(slots=True)
class Counters:
    """The events seen so far, per aggregate and key value: (bucket, measured value)."""

    specs: frozenset[VelocitySpec]
    seen: dict[VelocitySpec, dict[str, list[tuple[int, JsonValue]]]] = field(default_factory=dict)

    def add(self, event: Event) -> None:
        bucket = bucket_of(event.occurred_at)
        for spec in self.specs:
            if spec.matches(event):
                by_key = self.seen.setdefault(spec, {})
                measured = spec.of.read(event) if spec.of is not None else None
                by_key.setdefault(str(spec.key.read(event)), []).append((bucket, measured))

    def values(self, event: Event) -> dict[VelocitySpec, float]:
        out: dict[VelocitySpec, float] = {}
        for spec in self.specs:
            key = spec.key.read(event)
            if key is None:
                continue
            first, last = window_buckets(event.occurred_at, spec.window_seconds)
            rows = self.seen.get(spec, {}).get(str(key), [])
            out[spec] = aggregate(spec.aggregate, [v for b, v in rows if first <= b <= last])
        return out


def aggregate(kind: Aggregate, measured: Sequence[JsonValue]) -> float:
    if kind is Aggregate.COUNT:
        return len(measured)
    if kind is Aggregate.DISTINCT:
        return len({str(value) for value in measured})
    return sum(
        value
        for value in measured
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    )


def replay(
    release: Release,
    events: Sequence[Event],
    *,
    lists: Mapping[str, ListMatcher | Iterable[JsonValue]] | None = None,
    labels: Mapping[EntityRef, Iterable[str]] | None = None,
    scores: Mapping[EventId, Mapping[str, float]] | None = None,
    enrichment: Mapping[EventId, Mapping[str, JsonValue]] | None = None,
    policy: ScorePolicy | None = None,
    acting: frozenset[Stage] = ACTING,
) -> list[ReplayStep]:
    """Decide every event in order, each seeing the velocity of those before it (and itself).

    `lists` are list contents by name (plain values become a `ValueList`); `labels` the active
    labels of each entity; `scores` and `enrichment` the values of each event, by its id.
    """
    policy = policy or ScorePolicy()
    matchers = {
        name: given if isinstance(given, ListMatcher) else ValueList(given)
        for name, given in (lists or {}).items()
    }
    entity_labels = {ref: frozenset(names) for ref, names in (labels or {}).items()}
    deciding = tuple(r for r in release.rules if r.rule.stage in acting)
    watching = tuple(r for r in release.rules if r.rule.stage in WATCHING - acting)
    counters = Counters(release.needs.velocity)
    steps = []
    for index, event in enumerate(events):
        counters.add(event)
        velocity = counters.values(event)
        ctx = EvalContext(
            event,
            velocity,
            matchers,
            _labels_of(event, entity_labels),
            (scores or {}).get(event.id, {}),
            (enrichment or {}).get(event.id, {}),
        )
        hits = tuple(rule.hit(ctx) for rule in deciding if rule.fires(ctx))
        shadow = tuple(rule.hit(ctx) for rule in watching if rule.fires(ctx))
        decision = _decide(index, ctx, hits, release, policy)
        steps.append(ReplayStep(event, decision, velocity, shadow))
    return steps


def _decide(
    index: int, ctx: EvalContext, hits: tuple[RuleHit, ...], release: Release, policy: ScorePolicy
) -> Decision:
    event = ctx.event
    return decide(
        DecisionId(f"replay_{index + 1}"),
        event,
        hits,
        policy=policy,
        release_version=release.version,
        decided_at=event.occurred_at,
    )


def _labels_of(
    event: Event, labels: Mapping[EntityRef, frozenset[str]]
) -> dict[EntityKind, frozenset[str]]:
    if not labels:
        return {}
    found = {kind: labels.get(EntityRef(kind, ident)) for kind, ident in event.entities.items()}
    return {kind: names for kind, names in found.items() if names}
