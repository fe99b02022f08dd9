"""The ring benchmark runs end to end on a small graph and finds its planted rings.

No timing is asserted (these machines are shared); what is asserted is that both sides ran, the
rows have the shape bench/run.py expects, and the planted rings were found.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _bench_graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_graph", ROOT / "bench" / "graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_ring_benchmark_measures_both_sides_and_finds_the_planted_rings() -> None:
    bench = _bench_graph()
    rows = bench.measure(20_000)
    assert len(rows) == 4
    stored, incremental = rows[0], rows[1]
    assert incremental["links_events_per_s"] > 0 and incremental["events"] == 20_000
    assert stored["same_rings"] and stored["rings"] == rows[2]["rings"]
    assert stored["bulk_read_s"] > 0 and stored["scan_read_s"] > 0
    for row in rows:
        assert {"name", "value", "unit", "baseline", "ratio"} <= set(row)
        assert row["unit"] == "s" and row["value"] > 0 and row["baseline"] > 0
        assert abs(row["ratio"] - row["value"] / row["baseline"]) < 0.05 * row["ratio"] + 0.01
        assert row["identifier_links"] >= 2.9 * row["accounts"]
        assert row["planted_rings"] == 40
        assert row["planted_members_found"] >= 0.95
        assert row["planted_rings_found_exactly"] >= 0.7
    assert rows[2]["value"] >= rows[3]["value"], "the whole path includes the engine"
