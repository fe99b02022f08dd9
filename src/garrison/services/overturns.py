"""Appeal overturn rates per rule, model, policy and original reviewer, with Wilson intervals.

Decided appeals come from the appeals service (`AppealService.decided`), which keeps each
appeal's origin: the rules and models behind the action, its policy and who took it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from garrison.domain.access import Permission, Principal
from garrison.domain.appeals import Appeal, AppealStatus
from garrison.domain.metrics import Proportion

DECIDED_LIMIT = 5000


class DecidedAppeals(Protocol):
    def decided(self, *, limit: int) -> list[Appeal]:
        """Upheld and overturned appeals, with their origin."""
        ...


@dataclass(frozen=True, slots=True)
class OverturnReport:
    """`Proportion` = overturned of decided appeals, per group."""

    overall: Proportion
    by_rule: Mapping[str, Proportion]
    by_model: Mapping[str, Proportion]
    by_policy: Mapping[str, Proportion]
    by_reviewer: Mapping[str, Proportion]
    """The person or system whose action was appealed."""


class OverturnService:
    def __init__(self, appeals: DecidedAppeals) -> None:
        self._appeals = appeals

    def report(self, principal: Principal, *, since: datetime | None = None) -> OverturnReport:
        principal.require(Permission.READ_DECISIONS)
        decided = [
            a
            for a in self._appeals.decided(limit=DECIDED_LIMIT)
            if since is None or (a.decided_at is not None and a.decided_at >= since)
        ]
        return overturns(decided)


def overturns(appeals: Iterable[Appeal]) -> OverturnReport:
    listed = list(appeals)
    overturned = sum(a.status is AppealStatus.OVERTURNED for a in listed)
    return OverturnReport(
        Proportion.of(overturned, len(listed)),
        _rate((a, rule) for a in listed for rule in a.origin.rule_ids),
        _rate((a, model) for a in listed for model in a.origin.models),
        _rate((a, a.origin.policy or "none") for a in listed),
        _rate((a, a.origin.actor) for a in listed),
    )


def _rate(pairs: Iterable[tuple[Appeal, str]]) -> dict[str, Proportion]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for appeal, key in pairs:
        tally[key][0] += appeal.status is AppealStatus.OVERTURNED
        tally[key][1] += 1
    return {k: Proportion.of(over, n) for k, (over, n) in sorted(tally.items())}
