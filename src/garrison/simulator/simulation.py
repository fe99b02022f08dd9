"""A deterministic simulation of an AI platform's traffic, with abuse injected and recorded.

Everything is drawn from `random.Random(seed)` on a simulated clock, so the same arguments give the
same events, byte for byte. Benign traffic streams lazily; each abuse scenario is scripted up front
(they are small) and merged into the stream in time order.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Iterator
from datetime import datetime

from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue
from garrison.simulator.abuse import SCENARIOS, SHARE
from garrison.simulator.drafts import Draft
from garrison.simulator.normal import NormalTraffic
from garrison.simulator.scenarios import Scenario
from garrison.simulator.timing import as_utc, wire_time
from garrison.simulator.truth import GroundTruth, TruthEntry
from garrison.simulator.world import World

DEFAULT_ABUSE_SHARE = 0.05
"""Share of events produced by abuse scenarios; a few percent of entities end up abusive."""
LATEST_START = 0.6
"""Scenarios start in the first 60% of the run, so most of each plays out inside it."""


class Simulation:
    """Traffic for `duration_s` simulated seconds at about `rate` events per second from `start`.

    `abuse_share` is the share of events that abuse scenarios produce; every pattern is injected
    at least once when it is above zero. `truth` is complete once `events()` is exhausted.
    """

    def __init__(
        self,
        seed: int,
        rate: float,
        duration_s: float,
        start: datetime,
        abuse_share: float = DEFAULT_ABUSE_SHARE,
    ) -> None:
        if rate <= 0:
            raise InvalidInput("rate must be above 0 events per second", field="rate")
        if duration_s <= 0:
            raise InvalidInput("duration must be above 0 seconds", field="duration")
        if not 0 <= abuse_share <= 0.5:
            raise InvalidInput("abuse share must be between 0 and 0.5", field="abuse_share")
        self.seed, self.rate, self.duration_s = seed, rate, duration_s
        self.start = as_utc(start)
        self.abuse_share = abuse_share
        self.plan = self._plan()
        self.truth = GroundTruth(self._parameters())

    @property
    def run_tag(self) -> str:
        """Eight hex digits from the seed and start, shared by this run's event ids."""
        text = f"{self.seed}|{self.start.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    @property
    def expected_events(self) -> int:
        """About how many events `events()` yields (the exact count is random)."""
        return round(self._normal_rate() * self.duration_s + self._planned_abuse_events())

    def events(self) -> Iterator[dict[str, JsonValue]]:
        """Wire-format events in time order. Each call replays the run from the seed."""
        master = random.Random(self.seed)
        world = World(random.Random(master.getrandbits(64)), self.run_tag)
        normal = NormalTraffic(
            world, random.Random(master.getrandbits(64)), self._normal_rate(), self.duration_s
        )
        scenarios = self._scenarios(world, master, normal)
        end = self.duration_s * 0.995
        streams: list[Iterator[Draft]] = [normal.drafts()]
        for scenario in scenarios.values():
            start_s = master.uniform(0.0, LATEST_START) * self.duration_s
            streams.append(iter(scenario.place(start_s, end)))
        self.truth = truth = GroundTruth(self._parameters())
        tag, count = self.run_tag, 0
        for count, draft in enumerate(heapq.merge(*streams, key=lambda d: d.t), start=1):
            if draft.origin is not None:
                _record(truth, scenarios[draft.origin], draft)
            yield {
                "id": f"evt_{tag}_{count:08d}",
                "type": str(draft.type),
                "occurred_at": wire_time(self.start, draft.t),
                "entities": dict(draft.entities),
                "attributes": dict(draft.attributes),
            }
        truth.simulation["events"] = count

    def _plan(self) -> dict[str, int]:
        """How many instances of each abuse pattern to inject."""
        if self.abuse_share == 0:
            return {}
        budget = self.abuse_share * self.rate * self.duration_s
        return {
            abuse: max(1, round(budget * SHARE[abuse] / cls.typical_events))
            for abuse, cls in SCENARIOS.items()
        }

    def _planned_abuse_events(self) -> int:
        return sum(SCENARIOS[abuse].typical_events * n for abuse, n in self.plan.items())

    def _normal_rate(self) -> float:
        total = self.rate * self.duration_s
        fill = (total - self._planned_abuse_events()) / self.duration_s
        return max(self.rate * (1 - self.abuse_share), fill)

    def _scenarios(
        self, world: World, master: random.Random, normal: NormalTraffic
    ) -> dict[str, Scenario]:
        bystanders = normal.accounts
        out: dict[str, Scenario] = {}
        for abuse, count in self.plan.items():
            for n in range(1, count + 1):
                scenario_id = f"{abuse}-{n:03d}"
                rng = random.Random(master.getrandbits(64))
                out[scenario_id] = SCENARIOS[abuse](scenario_id, world, rng, bystanders)
        return out

    def _parameters(self) -> dict[str, JsonValue]:
        return {
            "seed": self.seed,
            "rate": self.rate,
            "duration_s": self.duration_s,
            "start": wire_time(self.start, 0.0),
            "abuse_share": self.abuse_share,
            "planned_scenarios": dict(self.plan),
        }


def _record(truth: GroundTruth, scenario: Scenario, draft: Draft) -> None:
    """Add the scenario's marked entities that this draft names (so truth only holds seen ones)."""
    for kind, ident in draft.entities.items():
        ref = f"{kind}:{ident}"
        reason = scenario.members.get(ref)
        if reason is not None and ref not in truth:
            entry = TruthEntry(ref, scenario.abuse, reason, scenario.scenario_id)
            truth.add(entry, scenario.description())
