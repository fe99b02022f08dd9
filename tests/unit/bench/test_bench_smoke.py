"""Each benchmark runs end to end at its `--quick` size, so a broken benchmark fails CI.

No timing is asserted (these machines are shared and slow); what is asserted is that every case
ran, measured both Garrison and its baseline, and, for the engine, that both fired the same rules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
RUN = ROOT / "bench" / "run.py"


def _run_bench(name: str, output: Path, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--only", name, "--output", str(output), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert name in done.stdout, "the table was not printed"
    document: dict[str, Any] = json.loads(output.read_text())
    return document


def _assert_measured(row: dict[str, Any]) -> None:
    assert row["skipped"] is None, row["skipped"]
    for side in ("garrison", "baseline"):
        figures = row[side]
        assert figures["events"] > 0, (row["case"], side)
        assert figures["events_per_s"] > 0, (row["case"], side)
        assert figures["p50_ms"] <= figures["p99_ms"], (row["case"], side)
    assert row["ratio_garrison_over_baseline"] > 0


def test_engine_bench_measures_every_rule_set_and_both_sides_fire_the_same_rules(
    tmp_path: Path,
) -> None:
    document = _run_bench("engine", tmp_path / "engine.json")

    rows = document["results"]
    assert [row["case"] for row in rows] == ["10 rules", "100 rules", "1000 rules"]
    for row in rows:
        _assert_measured(row)
        assert row["details"]["same_hits"] is True, row["details"]
        assert 1 <= row["details"]["velocity_specs"] <= 5
    target_row = rows[1]
    assert target_row["details"]["velocity_specs"] == 5, "the target case reads 5 windows"
    assert target_row["target"] is not None and target_row["target_met"] in (True, False)
    assert document["machine"]["cpu_count"] >= 1
    assert document["machine"]["python"].startswith("3.")
    assert document["quick"] is True and document["timestamp"]


def test_ingest_service_bench_measures_sqlite_and_memory_against_bare_sqlite(
    tmp_path: Path,
) -> None:
    document = _run_bench("ingest-service", tmp_path / "ingest.json")

    rows = {row["case"]: row for row in document["results"]}
    assert set(rows) == {"starter pack, SQLite store", "starter pack, memory store"}
    for row in rows.values():
        _assert_measured(row)
        assert row["baseline"]["label"] == "bare sqlite3 insert"


@pytest.mark.timeout(240)
def test_http_ingest_bench_drives_a_real_server_and_gets_decisions(tmp_path: Path) -> None:
    document = _run_bench("http-ingest", tmp_path / "http.json", "--seconds", "1")

    row, batch = document["results"]
    _assert_measured(row)
    details = row["details"]
    assert set(details["events_statuses"]) == {"200"}, details["events_statuses"]
    assert set(details["healthz_statuses"]) == {"200"}, details["healthz_statuses"]
    assert details["connection_failures"] == []
    assert row["baseline"]["label"] == "GET /healthz"
    _assert_measured(batch)
    assert batch["case"].startswith("POST /v1/events/batch (100 events)")
    assert set(batch["details"]["batch_statuses"]) == {"200"}, batch["details"]
    assert batch["details"]["connection_failures"] == []
    requests = batch["details"]["batch_requests"]
    assert batch["garrison"]["events"] == 100 * requests  # every event got a decision
