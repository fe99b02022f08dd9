"""Detected rings scored against a simulation's ground truth.

An injected ring is a scenario of a ring pattern (trial farming, card sharing, key resale) with
at least two accounts. A detected ring *finds* an injected one when most of its members belong to
that ring and it holds at least half of the ring's accounts. Per pattern: ring recall (injected
rings found), and over accounts, precision (members of detected rings that belong to an injected
ring of any pattern) and recall (accounts of injected rings that are in a detected ring).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from garrison.simulator.truth import GroundTruth

RING_PATTERNS = ("trial_farming", "card_sharing", "key_resale")


@dataclass(frozen=True, slots=True)
class PatternScore:
    abuse: str
    injected: int
    """Injected rings (scenarios with two accounts or more)."""
    found: int
    accounts: int
    """Accounts in the injected rings."""
    accounts_found: int
    """Of those, the ones in some detected ring."""

    @property
    def ring_recall(self) -> float | None:
        return self.found / self.injected if self.injected else None

    @property
    def account_recall(self) -> float | None:
        return self.accounts_found / self.accounts if self.accounts else None


@dataclass(frozen=True, slots=True)
class RingScore:
    patterns: tuple[PatternScore, ...]
    detected: int
    members: int
    """Accounts in detected rings."""
    true_members: int
    """Of those, the ones that belong to an injected ring."""

    @property
    def precision(self) -> float | None:
        return self.true_members / self.members if self.members else None


def injected_rings(truth: GroundTruth) -> dict[str, tuple[str, set[str]]]:
    """Scenario id -> (pattern, its accounts as `account:id`), rings of two accounts or more."""
    out: dict[str, tuple[str, set[str]]] = {}
    for record in truth.scenarios:
        accounts = {m for m in record.members if m.startswith("account:")}
        if record.abuse in RING_PATTERNS and len(accounts) >= 2:
            out[record.scenario_id] = (record.abuse, accounts)
    return out


def score_rings(truth: GroundTruth, detected: Iterable[Sequence[str]]) -> RingScore:
    """Score detected rings (each a sequence of `account:id`) against `truth`."""
    injected = injected_rings(truth)
    home = {account: sid for sid, (_, accounts) in injected.items() for account in accounts}
    rings = [set(ring) for ring in detected]
    found: set[str] = set()
    for ring in rings:
        homes = Counter(home.get(member) for member in ring)
        sid, count = homes.most_common(1)[0]
        if sid is not None and count * 2 > len(ring) and count * 2 >= len(injected[sid][1]):
            found.add(sid)
    in_rings = set().union(*rings) if rings else set()
    patterns = []
    for abuse in RING_PATTERNS:
        mine = {sid: accounts for sid, (kind, accounts) in injected.items() if kind == abuse}
        accounts = set().union(*mine.values()) if mine else set()
        patterns.append(
            PatternScore(
                abuse,
                len(mine),
                len(found & set(mine)),
                len(accounts),
                len(accounts & in_rings),
            )
        )
    members = sum(len(ring) for ring in rings)
    true_members = sum(1 for ring in rings for member in ring if member in home)
    return RingScore(tuple(patterns), len(rings), members, true_members)
