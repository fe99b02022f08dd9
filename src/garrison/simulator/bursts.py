"""An abuse burst with a known start, merged into a simulation's traffic (for trend detection).

A scam wave: from `start_s` for `duration_s`, new free accounts from one country sign up at
`per_hour` an hour, each posts a few near-identical "giveaway" texts that the host classifier
misses (low moderation scores, so no content rule fires), and some victims report them with the
reason `scam`. `BurstTruth` says when it began and which trend segments it should raise.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.entities import EntityKind, Tier
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId
from garrison.domain.trends import Observation, observe
from garrison.simulator import drafts
from garrison.simulator.drafts import Draft
from garrison.simulator.simulation import Simulation
from garrison.simulator.timing import wire_time
from garrison.simulator.world import World

SCAM_TEMPLATES = (
    "Congratulations! You won {n} free API credits, claim your giveaway at {site} today",
    "Free {n} USD crypto giveaway for developers, verify your wallet at {site} now",
    "Limited giveaway: {n} free GPU hours, connect your wallet at {site} to claim",
)
SCAM_SITES = ("claim-credits.example", "gpu-gift.example", "wallet-verify.example")
REPORT_TEXT = "This is a scam, it asks people to connect their wallet to claim a prize."
SCAM_REASON = "scam"


@dataclass(frozen=True, slots=True)
class Burst:
    start_s: float
    """Seconds after the simulation's start."""
    duration_s: float = 3 * 3600.0
    per_hour: float = 30.0
    """New scam accounts an hour."""
    country: str = "VN"
    seed: int = 7


@dataclass(frozen=True, slots=True)
class BurstTruth:
    start: str
    """When the burst began (wire time)."""
    segments: tuple[str, ...]
    """The trend segments (see `garrison.domain.trends.segment_key`) it should alert on."""
    accounts: tuple[str, ...]


def burst_drafts(burst: Burst, world: World) -> tuple[list[Draft], list[str]]:
    """The burst's drafts in time order, and the accounts behind it."""
    rng = world.rng
    out: list[Draft] = []
    accounts: list[str] = []
    t = burst.start_s
    end = burst.start_s + burst.duration_s
    while (t := t + rng.expovariate(burst.per_hour / 3600)) < end:
        org = world.org(Tier.FREE, country=burst.country, disposable=rng.random() < 0.5)
        accounts.append(org.owner.id)
        gaps = [rng.uniform(2, 20), rng.uniform(5, 30), rng.uniform(3, 20)]
        steps = drafts.onboarding(t, org, org.ips[0], gaps)
        at = steps[-1].t
        for _ in range(rng.randint(2, 5)):
            at += rng.uniform(10, 120)
            body = rng.choice(SCAM_TEMPLATES).format(
                n=rng.choice((100, 250, 500, 1000)), site=rng.choice(SCAM_SITES)
            )
            text = drafts.Text(body, "en", rng.uniform(0.02, 0.3), "none")
            content_id = world.new_id("cnt")
            steps.append(drafts.content(at, org, org.keys[0], content_id, text))
            if rng.random() < 0.4:
                reporter = world.new_id("acct")
                report_at = at + rng.uniform(60, 900)
                steps.append(
                    drafts.report(
                        report_at, org.owner.id, content_id, reporter, SCAM_REASON, REPORT_TEXT
                    )
                )
        out.extend(steps)
    return sorted(out, key=lambda d: d.t), accounts


def with_burst(
    simulation: Simulation, burst: Burst
) -> tuple[Iterator[dict[str, JsonValue]], BurstTruth]:
    """The simulation's events with the burst merged in by time, and what the burst is."""
    world = World(random.Random(burst.seed), f"{simulation.run_tag}-burst")
    scripted, accounts = burst_drafts(burst, world)
    tag = simulation.run_tag
    extra = (
        {
            "id": f"evt_{tag}_b{n:07d}",
            "type": str(d.type),
            "occurred_at": wire_time(simulation.start, d.t),
            "entities": dict(d.entities),
            "attributes": dict(d.attributes),
        }
        for n, d in enumerate(scripted, start=1)
    )
    merged = heapq.merge(simulation.events(), extra, key=lambda e: str(e["occurred_at"]))
    truth = BurstTruth(
        start=wire_time(simulation.start, burst.start_s),
        segments=(
            f"type=account.signup,country={burst.country}",
            f"type=report.filed,reason={SCAM_REASON}",
        ),
        accounts=tuple(accounts),
    )
    return merged, truth


def observations(events: Iterable[Mapping[str, JsonValue]]) -> list[Observation]:
    """Wire events as trend observations, without decisions (type, country, tier, reason)."""
    out = []
    for wire in events:
        entities = wire["entities"]
        attributes = wire["attributes"]
        assert isinstance(entities, dict) and isinstance(attributes, dict)
        event = Event(
            EventId(str(wire["id"])),
            str(wire["type"]),
            datetime.fromisoformat(str(wire["occurred_at"]).replace("Z", "+00:00")),
            {EntityKind(kind): str(ident) for kind, ident in entities.items()},
            attributes,
        )
        out.append(observe(event, None))
    return out
