"""Synthetic traffic of an AI platform, with abuse injected and its ground truth recorded.

sim = Simulation(seed=7, rate=50, duration_s=3600, start=DEFAULT_FILE_START)
for event in sim.events(): ...
sim.truth.write(Path("traffic.truth.json"))
"""

from garrison.simulator.abuse import SCENARIOS
from garrison.simulator.drafts import EventType
from garrison.simulator.simulation import DEFAULT_ABUSE_SHARE, Simulation
from garrison.simulator.timing import DEFAULT_FILE_START, parse_duration, parse_instant
from garrison.simulator.truth import GroundTruth, TruthEntry

__all__ = [
    "DEFAULT_ABUSE_SHARE",
    "DEFAULT_FILE_START",
    "SCENARIOS",
    "EventType",
    "GroundTruth",
    "Simulation",
    "TruthEntry",
    "parse_duration",
    "parse_instant",
]
