"""How well ring detection finds the simulator's injected rings (trial farms, card sharers, key
resellers), scored against the simulation's ground truth (`garrison.simulator.ring_truth`).

The stream (seed 7, two hours at 50 events a second; quick: 20 minutes) is fed through link
recording as ingestion does it, then one detection runs. Reported per pattern: injected rings
found and the share of their accounts in a detected ring; over all detected rings, the share of
their members that belong to an injected ring. The timed figure is the detection itself.

    .venv/bin/python bench/run.py --only rings-truth [--quick]
"""

from __future__ import annotations

import time
from typing import Any

from bench.measure import Measurement
from bench.report import Row
from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.storage.memory import MemoryStore
from garrison.entrypoints.web.schemas.events import parse_event
from garrison.services.investigate import record_links_many
from garrison.services.rings import RingService
from garrison.simulator import DEFAULT_FILE_START, Simulation
from garrison.simulator.ring_truth import score_rings

NAME = "rings-truth"
SEED = 7
RATE = 50.0
FULL_SECONDS = 2 * 3600.0
QUICK_SECONDS = 20 * 60.0
BATCH = 100


def run(*, quick: bool) -> list[Row]:
    seconds = QUICK_SECONDS if quick else FULL_SECONDS
    simulation = Simulation(SEED, RATE, seconds, DEFAULT_FILE_START)
    events = [parse_event(wire) for wire in simulation.events()]
    store = MemoryStore()
    for start in range(0, len(events), BATCH):
        with store.uow() as uow:
            record_links_many(uow, events[start : start + BATCH])
            uow.commit()
    clock = ManualClock(DEFAULT_FILE_START)
    service = RingService(store.uow, ScipyGraphEngine(), clock, SequentialIds())
    started = time.perf_counter()
    detection = service.detect()
    elapsed = time.perf_counter() - started
    with store.uow() as uow:
        rings = uow.rings.list(min_size=2, limit=100_000)
    score = score_rings(simulation.truth, [[str(m) for m in ring.members] for ring in rings])
    details: dict[str, Any] = {
        "events": len(events),
        "accounts": detection.accounts,
        "links": detection.links,
        "rings_detected": score.detected,
        "flagged": detection.flagged,
        "member_precision": _share(score.precision),
        "members": score.members,
        "by_pattern": {
            p.abuse: {
                "injected_rings": p.injected,
                "found": p.found,
                "ring_recall": _share(p.ring_recall),
                "accounts": p.accounts,
                "account_recall": _share(p.account_recall),
            }
            for p in score.patterns
        },
    }
    case = f"injected rings, seed {SEED}, {seconds / 3600:g} h at {RATE:g}/s (detection accounts/s)"
    subject = Measurement("ring detection", detection.accounts, elapsed)
    return [Row(NAME, case, subject, details=details)]


def _share(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
