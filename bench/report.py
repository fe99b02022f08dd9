"""Results: one row per case, its baseline from the same run, a rich table and a JSON file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.measure import Measurement

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "latest.json"
PIPED_WIDTH = 170
"""Table width when stdout is not a terminal (rich would otherwise wrap at 80 columns)."""


@dataclass(frozen=True, slots=True)
class Target:
    """The design target a row is held to (DESIGN.md section 6)."""

    min_per_s: float | None = None
    max_p99_ms: float | None = None

    def met(self, measured: Measurement) -> bool:
        if self.min_per_s is not None and measured.per_second < self.min_per_s:
            return False
        p99 = measured.p99_ms
        return self.max_p99_ms is None or (p99 is not None and p99 <= self.max_p99_ms)

    def describe(self) -> str:
        parts = []
        if self.min_per_s is not None:
            parts.append(f">= {self.min_per_s:,.0f}/s")
        if self.max_p99_ms is not None:
            parts.append(f"p99 <= {self.max_p99_ms:g} ms")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One case: Garrison's figure, the baseline measured in the same run, and their ratio."""

    bench: str
    case: str
    subject: Measurement | None
    baseline: Measurement | None = None
    target: Target | None = None
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    """Why the case did not run (a missing adapter, for example); None when it ran."""

    @property
    def ratio(self) -> float | None:
        """Garrison's events per second over the baseline's (above 1: Garrison is faster)."""
        if self.subject is None or self.baseline is None or self.baseline.per_second == 0:
            return None
        return self.subject.per_second / self.baseline.per_second

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio
        met = None
        if self.target is not None and self.subject is not None:
            met = self.target.met(self.subject)
        return {
            "bench": self.bench,
            "case": self.case,
            "skipped": self.skipped,
            "garrison": self.subject.to_json() if self.subject else None,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "ratio_garrison_over_baseline": None if ratio is None else round(ratio, 3),
            "target": None if self.target is None else self.target.describe(),
            "target_met": met,
            "details": self.details,
        }


def machine() -> dict[str, Any]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
    }


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


NOTE = (
    "Targets are for one process on a 2-core machine. Each ratio is Garrison's events/s over "
    "the baseline's, both measured in this run with their rounds interleaved; other work on the "
    "machine (see load_average) lowers the absolute figures more than the ratios."
)


def document(
    rows: list[Row], *, quick: bool, started: datetime, load_before: tuple[float, ...]
) -> dict[str, Any]:
    return {
        "timestamp": started.astimezone(UTC).isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "quick": quick,
        "note": NOTE,
        "machine": machine(),
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "git_commit": git_commit(),
        "results": [row.to_json() for row in rows],
    }


def write_json(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def _rate(m: Measurement | None) -> str:
    return "" if m is None else f"{m.per_second:,.0f}"


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def print_table(rows: list[Row], console: Console | None = None) -> None:
    table = Table(title="Garrison benchmarks (baseline measured in the same run)")
    for name, justify in (
        ("bench", "left"),
        ("case", "left"),
        ("events/s", "right"),
        ("p50 ms", "right"),
        ("p99 ms", "right"),
        ("baseline", "left"),
        ("base ev/s", "right"),
        ("base p99", "right"),
        ("ratio", "right"),
        ("target", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*_cells(row))
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=PIPED_WIDTH)
    console.print(table)


def _cells(row: Row) -> list[str]:
    if row.skipped is not None or row.subject is None:
        return [row.bench, row.case, "skipped", "", "", row.skipped or "", "", "", "", ""]
    s, b, ratio = row.subject, row.baseline, row.ratio
    target = ""
    if row.target is not None:
        verdict = "[green]met[/]" if row.target.met(s) else "[red]missed[/]"
        target = f"{row.target.describe()}: {verdict}"
    return [
        row.bench,
        row.case,
        _rate(s),
        _ms(s.p50_ms),
        _ms(s.p99_ms),
        "" if b is None else b.label,
        _rate(b),
        "" if b is None else _ms(b.p99_ms),
        "" if ratio is None else f"{ratio:.3g}x",
        target,
    ]
