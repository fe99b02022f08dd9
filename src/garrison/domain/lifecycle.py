"""Stages at run time: which rules of a release act, which only watch, and for whom.

A `Lineup` is a release as it runs now, split once (not per event): draft and retired rules are
left out; live rules act; shadow rules are evaluated and recorded but never act; canary rules act
for their share of subjects and are recorded as shadow for the others. A live or canary rule
demoted at run time (it reached its daily action cap) runs as shadow. A snoozed rule is treated
as not hit for the snoozed subject.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from garrison.domain.canary import CanaryCall, CanaryOutcome, canary_call
from garrison.domain.rules import CompiledRule, EvalContext, Release, RuleHit, Stage
from garrison.domain.signals import Needs
from garrison.domain.type_index import TypeIndex, index_by_type

RUNNING = frozenset({Stage.LIVE, Stage.CANARY, Stage.SHADOW})
ACTING = frozenset({Stage.LIVE, Stage.CANARY})
Running = tuple[CompiledRule, Stage, Callable[[EvalContext], object]]


@dataclass(frozen=True, slots=True)
class Staging:
    """What one evaluation of a lineup found."""

    acting: tuple[CompiledRule, ...]
    hits: tuple[RuleHit, ...]
    """The hits of `acting`, in the same order: they make the verdict and the actions."""
    shadow: tuple[CompiledRule, ...]
    shadow_hits: tuple[RuleHit, ...]
    canary: tuple[CanaryCall, ...] = ()
    snoozed: tuple[str, ...] = ()

    @property
    def any_hit(self) -> bool:
        return bool(self.hits or self.shadow_hits)


@dataclass(frozen=True, slots=True)
class Lineup:
    """A release as it runs now.

    `stored_version` is the release's version in storage (None for a release that was never
    stored, such as a fixed test release: daily caps and snoozes need a stored one); `revision`
    is the live pointer's revision it was built at.
    """

    release: Release
    stored_version: int | None = None
    revision: int = 0
    demoted: frozenset[str] = frozenset()
    snooze_until: datetime | None = None
    """The latest end of any snooze on a rule of this release: after it, none can apply."""
    running: tuple[tuple[CompiledRule, Stage], ...] = field(init=False, compare=False)
    caps: Mapping[str, int] = field(init=False, compare=False)
    """Daily action caps of the rules that act (only for a stored release)."""
    needs: Needs = field(init=False, compare=False)
    """Every signal a running rule reads: fetched in one batch."""
    by_type: TypeIndex[tuple[Running, ...]] = field(init=False, compare=False, repr=False)
    """The running rules that can fire for each event type, with their stage and what to call."""
    _reads: TypeIndex[Needs] = field(init=False, compare=False, repr=False)
    _feeds: dict[str | None, Needs] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        running = tuple(
            (compiled, self._effective(compiled))
            for compiled in self.release.rules
            if compiled.rule.stage in RUNNING
        )
        needs = Needs()
        for compiled, _ in running:
            needs = needs | compiled.needs
        caps = {
            compiled.rule.name: compiled.rule.max_actions_per_day
            for compiled, stage in running
            if stage in ACTING and compiled.rule.max_actions_per_day is not None
        }
        object.__setattr__(self, "running", running)
        object.__setattr__(self, "caps", caps if self.stored_version is not None else {})
        object.__setattr__(self, "needs", needs)
        typed = ((compiled, stage, compiled.typed) for compiled, stage in running)
        by_type = index_by_type(typed, lambda r: r[0].event_types)
        object.__setattr__(self, "by_type", by_type)
        object.__setattr__(self, "_reads", by_type.summarised(_needs_of))
        object.__setattr__(self, "_feeds", _feeds(needs))

    def reads(self, event_type: str) -> Needs:
        """What the running rules that can fire for `event_type` read: the signals an event of
        that type needs fetched (a subset of `needs`)."""
        return self._reads.get(event_type)

    def feeds(self, event_type: str) -> Needs:
        """The aggregates of `needs` an event of `event_type` can feed (those of any type and
        of its own): what recording it has to update."""
        return self._feeds.get(event_type) or self._feeds[None]

    def _effective(self, compiled: CompiledRule) -> Stage:
        stage = compiled.rule.stage
        return Stage.SHADOW if stage in ACTING and compiled.rule.name in self.demoted else stage

    def stage_of(self, rule: str) -> Stage | None:
        """The stage `rule` runs at now (None for a rule that does not run)."""
        return next((stage for c, stage in self.running if c.rule.name == rule), None)

    def may_snooze(self, now: datetime) -> bool:
        """Whether any snooze of this release can still apply: only then are they fetched."""
        return self.snooze_until is not None and now < self.snooze_until

    def run(
        self, ctx: EvalContext, *, holdout_percent: int, snoozed: frozenset[str] = frozenset()
    ) -> Staging:
        """Evaluate every running rule that can fire for the event's type once, in release
        order, and sort the ones that fired."""
        acting: list[CompiledRule] = []
        shadow: list[CompiledRule] = []
        calls: list[CanaryCall] = []
        skipped: list[str] = []
        subject = ctx.event.subject
        for compiled, stage, fires in self.by_type.get(ctx.event.type):
            if not fires(ctx):
                continue
            rule = compiled.rule
            if rule.name in snoozed:
                skipped.append(rule.name)
            elif stage is Stage.LIVE:
                acting.append(compiled)
            elif stage is Stage.CANARY:
                call = canary_call(
                    rule.name, rule.canary_percent, subject, holdout_percent=holdout_percent
                )
                calls.append(call)
                (acting if call.outcome is CanaryOutcome.APPLIED else shadow).append(compiled)
            else:
                shadow.append(compiled)
        return Staging(
            tuple(acting),
            tuple(c.hit(ctx) for c in acting),
            tuple(shadow),
            tuple(c.hit(ctx) for c in shadow),
            tuple(calls),
            tuple(skipped),
        )


def _needs_of(running: tuple[Running, ...]) -> Needs:
    total = Needs()
    for compiled, _, _ in running:
        total = total | compiled.needs
    return total


def _feeds(needs: Needs) -> dict[str | None, Needs]:
    """Velocity needs by the event type that can feed them (None: an event of another type)."""
    any_type = frozenset(spec for spec in needs.velocity if spec.event_type is None)
    named = {spec.event_type for spec in needs.velocity if spec.event_type is not None}
    feeds: dict[str | None, Needs] = {None: Needs(velocity=any_type)}
    for name in named:
        own = frozenset(spec for spec in needs.velocity if spec.event_type == name)
        feeds[name] = Needs(velocity=any_type | own)
    return feeds
