"""Strike ladders: what a violation costs, rung by rung, when a reviewer names no action.

A ladder is written as comma-separated rungs, each `kind` or `kind:duration`, for example
`warn, rate_limit:24h, suspend_account:7d, ban_account`. The n-th strike under a policy takes the
n-th rung; past the last rung the last one repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from garrison.domain.actions import Action, ActionKind, ActionStatus, ActionTemplate
from garrison.domain.entity_labels import parse_ttl
from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue

DEFAULT_LADDER = "warn, rate_limit:24h, suspend_account:7d, ban_account"
STRIKE_PARAM = "strike"
"""The param that numbers a strike (1 for the first) on the action a ladder planned."""


@dataclass(frozen=True, slots=True)
class StrikeLadder:
    rungs: tuple[ActionTemplate, ...]

    @classmethod
    def parse(cls, text: str, *, field: str = "strike_ladder") -> StrikeLadder:
        rungs = [_rung(part.strip(), field) for part in text.split(",") if part.strip()]
        if not rungs:
            raise InvalidInput("a strike ladder needs at least one rung", field=field)
        return cls(tuple(rungs))

    def rung(self, strike: int) -> ActionTemplate:
        """The action for the `strike`-th strike (1-based), numbered in its params."""
        template = self.rungs[min(max(strike, 1), len(self.rungs)) - 1]
        params: dict[str, JsonValue] = {**template.params, STRIKE_PARAM: strike}
        return ActionTemplate(template.kind, params, template.target)

    def describe(self) -> str:
        return ", ".join(
            f"{r.kind}:{r.params['duration']}" if "duration" in r.params else str(r.kind)
            for r in self.rungs
        )


def _rung(text: str, field: str) -> ActionTemplate:
    kind_text, _, duration = text.partition(":")
    try:
        kind = ActionKind(kind_text.strip())
    except ValueError:
        raise InvalidInput(
            f"unknown action kind {kind_text!r} in a strike ladder", field=field
        ) from None
    if kind is ActionKind.ENQUEUE_REVIEW or kind.is_reversal:
        raise InvalidInput(f"{kind} cannot be a strike", field=field)
    if not duration:
        return ActionTemplate(kind)
    parse_ttl(duration, field=field)
    return ActionTemplate(kind, {"duration": duration.strip()})


@dataclass(frozen=True, slots=True)
class StrikeLadders:
    """One ladder per policy, and a default for policies without their own."""

    default: StrikeLadder
    by_policy: Mapping[str, StrikeLadder]

    @classmethod
    def parse(cls, default: str, by_policy: Mapping[str, str]) -> StrikeLadders:
        return cls(
            StrikeLadder.parse(default),
            {p: StrikeLadder.parse(t, field=f"strike_ladders.{p}") for p, t in by_policy.items()},
        )

    def for_policy(self, policy: str) -> StrikeLadder:
        return self.by_policy.get(policy, self.default)


def counts_as_strike(params: Mapping[str, JsonValue]) -> bool:
    return STRIKE_PARAM in params


_NOT_COUNTED = frozenset(
    {ActionStatus.REVERTED, ActionStatus.REJECTED, ActionStatus.WITHHELD, ActionStatus.FAILED}
)


def strikes_so_far(actions: Iterable[Action], policy: str) -> int:
    """Strikes a subject holds under a policy: overturned, rejected or withheld ones do not count
    (expired ones do: the restriction ended, the strike stays)."""
    return sum(
        1
        for a in actions
        if a.policy == policy and counts_as_strike(a.params) and a.status not in _NOT_COUNTED
    )
