"""bench/trends.py at a tiny size: the burst is found in its first bucket and clean traffic
raises no alert (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from garrison.domain.anomaly import Sensitivity
from garrison.simulator.bursts import Burst, observations, with_burst
from garrison.simulator.simulation import Simulation

ROOT = Path(__file__).resolve().parents[3]


def _bench_trends() -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_trends", ROOT / "bench" / "trends.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trends = _bench_trends()


def test_replayed_scans_find_the_burst_and_nothing_else() -> None:
    hours, start_h = 78, 72.2
    sim = Simulation(seed=4, rate=0.05, duration_s=hours * 3600, start=trends.START, abuse_share=0)
    wires, truth = with_burst(sim, Burst(start_s=start_h * 3600, per_hour=20))
    alerts, checked = trends.replay(observations(wires), hours, Sensitivity())
    assert checked > 0
    delay = trends.delay_of(alerts, truth.segments, start_h)
    assert delay is not None and delay <= 60
    before = [key for bucket, key in alerts if bucket < int(start_h)]
    assert before == []
