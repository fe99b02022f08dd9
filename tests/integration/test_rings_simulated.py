"""Rings on simulated traffic: every injected ring (trial farms, card sharers, key resellers) is
found, whole, and nothing else is."""

from __future__ import annotations

from datetime import datetime

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.services.investigate import record_links
from garrison.services.rings import RingService
from garrison.simulator import DEFAULT_FILE_START, Simulation
from garrison.simulator.ring_truth import injected_rings, score_rings


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


def test_every_injected_ring_is_found_whole_and_rings_hold_ring_members() -> None:
    simulation = Simulation(seed=11, rate=5, duration_s=3600, start=DEFAULT_FILE_START)
    store = MemoryStore()
    _feed(store, simulation)
    service = RingService(
        store.uow, ScipyGraphEngine(), ManualClock(DEFAULT_FILE_START), SequentialIds()
    )
    found = service.detect()
    with store.uow() as uow:
        rings = uow.rings.list(min_size=2, limit=1000)
    score = score_rings(simulation.truth, [[str(m) for m in r.members] for r in rings])
    by_pattern = {p.abuse: p for p in score.patterns}
    assert set(by_pattern) == {"trial_farming", "card_sharing", "key_resale"}
    for pattern in score.patterns:
        assert pattern.injected >= 2, pattern
        assert pattern.found == pattern.injected, pattern
        assert pattern.account_recall is not None and pattern.account_recall >= 0.9, pattern
    assert score.precision == 1.0, "every member of a detected ring belongs to an injected ring"
    farms = {r.id for r in rings if len(r.members) >= 4}
    assert found.flagged >= len(farms) > 0, "the large rings are risky enough to open a review"
    shared = {str(s.ref).partition(":")[0] for r in rings for s in r.infrastructure}
    assert {"device", "payment_method"} <= shared


def test_a_ring_that_mixes_two_injected_rings_finds_neither() -> None:
    simulation = Simulation(seed=11, rate=5, duration_s=3600, start=DEFAULT_FILE_START)
    for _ in simulation.events():  # the ground truth is written as the traffic is
        pass
    injected = injected_rings(simulation.truth)
    (_, first), (_, second) = list(injected.values())[:2]
    merged = sorted(first | second)
    score = score_rings(simulation.truth, [merged])
    assert sum(p.found for p in score.patterns) <= 1
    assert score.precision == 1.0 and score.members == len(merged)
    strays = score_rings(simulation.truth, [[*sorted(first), "account:acct_nobody"]])
    assert strays.precision == len(first) / (len(first) + 1)
