"""The entity-page benchmark builds its SQLite file and measures both sides (no timing asserted:
these machines are shared)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _bench() -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("bench_entity", ROOT / "bench" / "entity_page.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_entity_page_benchmark_pages_real_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    path = bench.events_file(5_000)
    garrison, floor, picked = bench.measure(path, 5_000)
    assert len(garrison) == len(floor) == 200 and picked == {"accounts": 150, "ips": 50}
    assert min(garrison) > 0 and min(floor) > 0
