"""Run Garrison's benchmarks, print a table and write JSON (`make bench` calls this).

    .venv/bin/python bench/run.py                 # full run
    .venv/bin/python bench/run.py --quick         # small sizes, a few seconds each
    .venv/bin/python bench/run.py --only engine   # one benchmark

Each row holds Garrison's figure, a baseline measured in the same run, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    backtest,
    engine,
    entity_page,
    graph,
    http_ingest,
    ingest,
    rings_truth,
    starter_quality,
    tabular_model,
    text_model,
    trends,
)
from bench.measure import Measurement  # noqa: E402
from bench.report import (  # noqa: E402
    DEFAULT_OUTPUT,
    Row,
    Target,
    document,
    print_table,
    write_json,
)

RINGS_TARGET = Target(min_per_s=1_000_000 / 15)
"""1M accounts with 3M identifier links in 15 s (DESIGN.md section 6), in accounts per second."""


def graph_rows(*, quick: bool) -> list[Row]:
    """bench/graph.py reports seconds per ring computation; as rows, the unit is accounts/s."""
    rows = []
    for found in graph.run(quick=quick):
        accounts = int(found["accounts"])
        rows.append(
            Row(
                graph.NAME,
                str(found["name"]),
                Measurement("garrison rings", accounts, float(found["value"])),
                Measurement(str(found["baseline_name"]), accounts, float(found["baseline"])),
                target=RINGS_TARGET if accounts >= 1_000_000 else None,
                details=found,
            )
        )
    return rows


BENCHMARKS: dict[str, Callable[..., list[Row]]] = {
    engine.NAME: engine.run,
    ingest.NAME: ingest.run,
    http_ingest.NAME: http_ingest.run,
    backtest.NAME: backtest.run,
    starter_quality.NAME: starter_quality.run,
    graph.NAME: graph_rows,
    entity_page.NAME: entity_page.run,
    tabular_model.NAME: tabular_model.run,
    text_model.NAME: text_model.run,
    trends.NAME: trends.run,
    rings_truth.NAME: rings_truth.run,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI and a look")
    parser.add_argument(
        "--only", choices=sorted(BENCHMARKS), action="append", help="run only this (repeatable)"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON file (default {DEFAULT_OUTPUT})"
    )
    parser.add_argument(
        "--seconds", type=float, default=None, help="http-ingest: seconds per load phase"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = datetime.now(UTC), os.getloadavg()
    rows: list[Row] = []
    for name in dict.fromkeys(args.only or BENCHMARKS):
        print(f"running {name}{' (quick)' if args.quick else ''} ...", file=sys.stderr, flush=True)
        options = {"seconds": args.seconds} if name == http_ingest.NAME else {}
        rows.extend(BENCHMARKS[name](quick=args.quick, **options))
    print_table(rows)
    write_json(
        document(rows, quick=args.quick, started=started, load_before=load_before), args.output
    )
    print(f"results written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
