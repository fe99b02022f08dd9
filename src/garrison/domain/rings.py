"""Rings: groups of accounts tied together by shared identifiers, and how risky each group is.

A ring's risk is a weighted sum of four factors, each between 0 and 1, kept on the ring so that
the score explains itself:

- labelled_bad: the share of members a reviewer labelled violating (half bad counts as all);
- shared_strong: the share of members tied in by a strong link (card, device, key, email);
- creation_burst: how many members were first seen within one burst window of each other;
- size: bigger rings are riskier, saturating at `RiskWeights.full_size` members.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.graph import Strength

DEFAULT_BURST_WINDOW = timedelta(hours=24)


class RingMethod(StrEnum):
    STRONG = "strong"
    """Connected through strong links only."""
    COMMUNITY = "community"
    """Strongly linked groups joined by weighted (weak) links into one community."""


@dataclass(frozen=True, slots=True)
class SharedIdentifier:
    """An identifier two or more members of a ring use."""

    ref: EntityRef
    strength: Strength
    owners: int
    """How many of the ring's owners (orgs, or accounts of no org) use it."""


@dataclass(frozen=True, slots=True)
class RiskFactor:
    name: str
    value: float
    """Between 0 and 1."""
    weight: float
    note: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True, slots=True)
class RingRisk:
    score: float
    factors: tuple[RiskFactor, ...]


@dataclass(frozen=True, slots=True)
class RiskWeights:
    labelled_bad: float = 0.35
    shared_strong: float = 0.2
    creation_burst: float = 0.2
    size: float = 0.25
    full_size: int = 8
    """Rings of this many members or more get the whole size factor."""


@dataclass(frozen=True, slots=True)
class RingFacts:
    """What the risk score reads about a ring."""

    size: int
    labelled_bad: int
    strong_members: int
    """Members tied to another member by a strong link."""
    burst: int
    """The most members first seen within one burst window."""


@dataclass(frozen=True, slots=True)
class Ring:
    id: str
    members: tuple[EntityRef, ...]
    """The accounts, sorted."""
    infrastructure: tuple[SharedIdentifier, ...]
    """What the members share, strong links first."""
    method: RingMethod
    first_seen: datetime
    """When its first member was first seen."""
    last_seen: datetime
    """When its newest member was first seen (the ring's last join)."""
    burst: int
    """The most members first seen within one burst window."""
    labelled_bad: tuple[EntityRef, ...]
    risk: RingRisk
    detected_at: datetime
    flagged_at: datetime | None = None
    """When a review case was planned for the ring (once per ring id)."""

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def riskiest_member(self) -> EntityRef:
        """Who a case about the ring is opened on: a labelled-bad member, else the first seen."""
        return self.labelled_bad[0] if self.labelled_bad else self.members[0]


def ring_id(anchor: EntityRef) -> str:
    """A ring is named after its anchor (the member seen first), so growing keeps its name."""
    return "ring_" + hashlib.sha256(str(anchor).encode()).hexdigest()[:12]


def largest_burst(first_seen: Sequence[datetime], window: timedelta) -> int:
    """The most times that fall within one `window` (inclusive) of each other."""
    times = sorted(first_seen)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best


def score_ring(facts: RingFacts, weights: RiskWeights | None = None) -> RingRisk:
    """The ring's risk between 0 and 1, with each factor's value and why."""
    w = weights or RiskWeights()
    size = max(facts.size, 1)
    bad_share = facts.labelled_bad / size
    others = max(size - 1, 1)
    factors = (
        RiskFactor(
            "labelled_bad",
            min(1.0, 2 * bad_share),
            w.labelled_bad,
            f"{facts.labelled_bad} of {facts.size} members labelled violating",
        ),
        RiskFactor(
            "shared_strong",
            facts.strong_members / size,
            w.shared_strong,
            f"{facts.strong_members} of {facts.size} members share a card, device, key or email",
        ),
        RiskFactor(
            "creation_burst",
            max(facts.burst - 1, 0) / others,
            w.creation_burst,
            f"{facts.burst} of {facts.size} members first seen within one burst window",
        ),
        RiskFactor(
            "size",
            min(1.0, (size - 1) / max(w.full_size - 1, 1)),
            w.size,
            f"{facts.size} members",
        ),
    )
    score = min(1.0, sum(f.contribution for f in factors))
    return RingRisk(round(score, 4), factors)
