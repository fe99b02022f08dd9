"""One small simulation shared by the simulator unit tests (it takes well under a second)."""

from __future__ import annotations

from typing import Any

import pytest

from garrison.simulator import DEFAULT_FILE_START, Simulation


@pytest.fixture(scope="module")
def run() -> tuple[Simulation, list[dict[str, Any]]]:
    sim = Simulation(seed=11, rate=40.0, duration_s=600.0, start=DEFAULT_FILE_START)
    return sim, list(sim.events())
