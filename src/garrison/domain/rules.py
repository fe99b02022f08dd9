"""Rules and releases: the data a rule set is made of, and its evaluation against one event.

The expression language lives in `garrison.domain.language`; this module only holds what it
produces, so decisions, backtests and shadow runs share one evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event, JsonValue
from garrison.domain.signals import ListMatcher, Needs, VelocitySpec
from garrison.domain.type_index import TypeIndex, index_by_type
from garrison.domain.verdicts import Verdict


class Stage(StrEnum):
    """A rule's lifecycle: draft -> shadow -> canary -> live -> retired.

    Shadow rules are evaluated and recorded but never act; canary rules act on a deterministic
    share of subjects; retired rules are kept for history and never evaluated.
    """

    DRAFT = "draft"
    SHADOW = "shadow"
    CANARY = "canary"
    LIVE = "live"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule as an analyst writes it. `when` is an expression in the rule language."""

    name: str
    when: str
    policy: str
    description: str = ""
    owner: str = ""
    verdict: Verdict | None = None
    score: float = 0.0
    actions: tuple[ActionTemplate, ...] = ()
    tags: tuple[str, ...] = ()
    stage: Stage = Stage.LIVE
    canary_percent: int = 0
    max_actions_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class EvalContext:
    """What one evaluation may read: the event and the signal values fetched for it.

    `labels` holds the active label names of the event's entity of each kind; `enrichment` is
    keyed like `ip.country`; `scores` by model name.
    """

    event: Event
    velocity: Mapping[VelocitySpec, float] = field(default_factory=dict)
    lists: Mapping[str, ListMatcher] = field(default_factory=dict)
    labels: Mapping[EntityKind, frozenset[str]] = field(default_factory=dict)
    scores: Mapping[str, float] = field(default_factory=dict)
    enrichment: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A checked rule, ready to run. `fires` is pure; `inputs` says which values made it fire."""

    rule: Rule
    fires: Callable[[EvalContext], bool]
    inputs: Callable[[EvalContext], dict[str, JsonValue]]
    needs: Needs
    event_types: frozenset[str] | None = None
    """The event types the rule can fire for, from its top-level type conditions (None: any)."""
    fires_typed: Callable[[EvalContext], object] | None = None
    """`fires` without the type conditions, for an event whose type is in `event_types`, and
    truthy rather than a bool (None: use `fires`). Releases index rules by type and call it."""

    @property
    def typed(self) -> Callable[[EvalContext], object]:
        """What to call once the event's type is known to be one of `event_types`."""
        return self.fires if self.fires_typed is None else self.fires_typed

    @property
    def velocity(self) -> frozenset[VelocitySpec]:
        return self.needs.velocity

    def hit(self, ctx: EvalContext) -> RuleHit:
        """The explained hit, for a rule that fired on `ctx`."""
        rule = self.rule
        inputs = self.inputs(ctx)
        shown = ", ".join(f"{name}={value!r}" for name, value in sorted(inputs.items()))
        explanation = rule.description or rule.when.strip()
        if shown:
            explanation = f"{explanation} ({shown})"
        return RuleHit(rule.name, rule.policy, rule.verdict, rule.score, explanation, inputs)


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: str
    policy: str
    verdict: Verdict | None
    score: float
    explanation: str
    inputs: Mapping[str, JsonValue]


Candidate = tuple[CompiledRule, Callable[[EvalContext], object]]
"""A rule that can fire for an event's type, and what to call for it (see `Release.by_type`)."""


@dataclass(frozen=True, slots=True)
class Release:
    """A published, versioned set of compiled rules."""

    version: str
    rules: tuple[CompiledRule, ...]
    needs: Needs = field(init=False, compare=False)
    """Every signal any rule of the release reads: fetched in one batch."""
    by_type: TypeIndex[tuple[Candidate, ...]] = field(init=False, compare=False, repr=False)
    """The rules that can fire for each event type, with what to call (built once)."""

    def __post_init__(self) -> None:
        total = Needs()
        for compiled in self.rules:
            total = total | compiled.needs
        object.__setattr__(self, "needs", total)
        pairs = ((compiled, compiled.typed) for compiled in self.rules)
        object.__setattr__(self, "by_type", index_by_type(pairs, lambda p: p[0].event_types))

    @property
    def velocity(self) -> frozenset[VelocitySpec]:
        return self.needs.velocity

    def fired(self, ctx: EvalContext) -> tuple[CompiledRule, ...]:
        """The rules that fire on `ctx`, in release order (only those for its type are run)."""
        candidates = self.by_type.get(ctx.event.type)
        return tuple([compiled for compiled, fires in candidates if fires(ctx)])

    def evaluate(self, ctx: EvalContext) -> tuple[RuleHit, ...]:
        return tuple(compiled.hit(ctx) for compiled in self.fired(ctx))
