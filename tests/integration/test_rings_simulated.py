"""Rings on simulated traffic: every injected trial farm is found, whole, and nothing else is."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.services.investigate import record_links
from garrison.services.rings import RingService
from garrison.simulator import DEFAULT_FILE_START, GroundTruth, Simulation


def _feed(store: MemoryStore, simulation: Simulation) -> None:
    with store.uow() as uow:
        for wire in simulation.events():
            event = Event(
                EventId(wire["id"]),
                wire["type"],
                datetime.fromisoformat(wire["occurred_at"].replace("Z", "+00:00")),
                {EntityKind(kind): ident for kind, ident in wire["entities"].items()},
                wire["attributes"],
            )
            record_links(uow, event)
        uow.commit()


def _farms(truth: GroundTruth) -> dict[str, set[str]]:
    farms: dict[str, set[str]] = defaultdict(set)
    for entry in truth.entries:
        if entry.abuse == "trial_farming" and entry.entity.startswith("account:"):
            farms[entry.scenario_id].add(entry.entity)
    return farms


def test_every_trial_farm_is_found_and_every_ring_is_a_farm() -> None:
    simulation = Simulation(seed=11, rate=5, duration_s=3600, start=DEFAULT_FILE_START)
    store = MemoryStore()
    _feed(store, simulation)
    service = RingService(
        store.uow, ScipyGraphEngine(), ManualClock(DEFAULT_FILE_START), SequentialIds()
    )
    found = service.detect()
    farms = _farms(simulation.truth)
    with store.uow() as uow:
        rings = uow.rings.list(min_size=2, limit=1000)
    assert len(farms) >= 2
    farm_of = {member: farm for farm, members in farms.items() for member in members}
    for ring in rings:
        homes = {farm_of.get(str(m)) for m in ring.members}
        assert len(homes) == 1 and None not in homes, "a ring holds members of one farm only"
    found_farms = {farm_of[str(r.members[0])] for r in rings}
    assert found_farms == set(farms), "every farm is found"
    in_rings = {str(m) for r in rings for m in r.members}
    every_member = set(farm_of)
    assert len(in_rings & every_member) / len(every_member) >= 0.9
    assert found.flagged == len(rings), "every farm is risky enough to open a review"
    shared = {str(s.ref).partition(":")[0] for r in rings for s in r.infrastructure}
    assert "device" in shared
