"""What every injected abuse scenario shares: a script of drafts and the entities it marks abusive.

A scenario writes its script on its own natural timeline (minutes for a card-testing burst, days
for chargebacks). `Scenario.place` moves the script to its start in the run and, when the run is
shorter than the script, compresses it so that it ends inside the run with its order preserved.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from garrison.simulator.drafts import Draft
from garrison.simulator.world import Account, World


class Scenario(ABC):
    """One instance of an abuse pattern, with its own id, random stream and marked entities."""

    abuse: ClassVar[str]
    typical_events: ClassVar[int]
    """About how many events one instance produces; used to size the abuse budget."""

    def __init__(
        self, scenario_id: str, world: World, rng: random.Random, bystanders: Sequence[Account]
    ) -> None:
        self.scenario_id = scenario_id
        self.world = world
        self.rng = rng
        self.bystanders = bystanders
        """Benign accounts the scenario may involve (as reporters, for example)."""
        self.members: dict[str, str] = {}
        """`kind:id` of each abusive entity, with the reason it is abusive."""

    @classmethod
    def description(cls) -> str:
        """The first line of the scenario's docstring."""
        return (cls.__doc__ or cls.abuse).strip().splitlines()[0]

    def mark(self, kind: str, ident: str, reason: str) -> None:
        self.members.setdefault(f"{kind}:{ident}", reason)

    @abstractmethod
    def script(self, room: float) -> list[Draft]:
        """The scenario's drafts, timed in seconds from its own start.

        `room` is how long the scenario may last in this run; a script whose natural timeline is
        longer may shorten its slowest phase (days before a chargeback) rather than be squeezed.
        """

    def place(self, start_s: float, end_s: float) -> list[Draft]:
        """The script in time order, moved to `start_s` and squeezed to end before `end_s`.

        The script may end anywhere in the last 30% of the room, so that compressed scenarios do
        not all end on the same instant.
        """
        room = max(0.0, end_s - start_s) * self.rng.uniform(0.7, 1.0)
        script = sorted(self.script(room), key=lambda d: d.t)
        span = script[-1].t if script else 0.0
        scale = min(1.0, room / span) if span > 0 else 1.0
        return [replace(d, t=start_s + d.t * scale, origin=self.scenario_id) for d in script]
