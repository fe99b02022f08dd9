"""The tabular-model benchmark runs at its quick size and measures both sides."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_tabular_bench_measures_latency_and_auprc_against_logistic_regression(
    tmp_path: Path,
) -> None:
    output = tmp_path / "tabular.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--only",
            "tabular-model",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    (row,) = json.loads(output.read_text())["results"]
    assert row["skipped"] is None
    assert row["garrison"]["events"] == row["baseline"]["events"] > 0
    details = row["details"]
    assert details["fast_path"] is True
    assert details["test_positives"] > 0
    assert details["auprc"] > details["auprc_baseline"]
