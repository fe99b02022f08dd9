"""`garrison simulate`: synthetic AI-platform traffic with abuse injected, to a file or a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from garrison.domain.errors import GarrisonError
from garrison.simulator import (
    DEFAULT_ABUSE_SHARE,
    DEFAULT_FILE_START,
    GroundTruth,
    Simulation,
    parse_duration,
    parse_instant,
)
from garrison.simulator.sinks import (
    DeliveryReport,
    FileSink,
    HttpSink,
    Pacer,
    deliver,
    truth_path_for,
)

DEFAULT_TARGET_TRUTH = Path("simulation.truth.json")


def simulate(
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed and options, same traffic.")
    ] = 7,
    rate: Annotated[
        float, typer.Option(help="Events per second (simulated with --out, real with --target).")
    ] = 50.0,
    duration: Annotated[str, typer.Option(help="How long to simulate: 30s, 5m, 1h, 2d.")] = "60s",
    target: Annotated[
        str | None, typer.Option(help="Garrison base URL to post to, paced in real time.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="File to write (.jsonl or .jsonl.gz), as fast as possible.", dir_okay=False
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(help="API key for --target.", envvar="GARRISON_API_KEY", show_envvar=True),
    ] = None,
    truth: Annotated[
        Path | None,
        typer.Option(
            help="Ground-truth file (default: next to --out, or ./simulation.truth.json).",
            dir_okay=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            help="Simulated start, ISO-8601 (default: 2026-01-01T00:00:00Z, or now with --target)."
        ),
    ] = None,
    abuse_share: Annotated[
        float, typer.Option(help="Share of events made by abuse scenarios (0 to 0.5).")
    ] = DEFAULT_ABUSE_SHARE,
    backfill: Annotated[
        str | None,
        typer.Option(
            help="With --target: begin this long ago (e.g. 30m) and send that history at once, "
            "then go on in real time."
        ),
    ] = None,
) -> None:
    """Generate realistic platform traffic with injected abuse, and write its ground truth."""
    if (target is None) == (out is None):
        raise typer.BadParameter(
            "give exactly one of --target URL or --out FILE", param_hint="--target/--out"
        )
    if backfill is not None:
        if target is None or start is not None:
            raise typer.BadParameter("--backfill goes with --target and without --start")
        start = _ago(backfill)
    sim = _simulation(seed, rate, duration, start, abuse_share, live=target is not None)
    console = Console()
    if out is not None:
        truth_path = truth or truth_path_for(out)
        report = _run(sim, console, _file_sink(out), None, truth_path)
        destination = str(out)
    elif target is not None and api_key:
        truth_path = truth or DEFAULT_TARGET_TRUTH
        sink = HttpSink(target, api_key)
        console.print(
            f"sending about {sim.expected_events} events to {sink.url} over {duration}"
            " in real time (Ctrl-C stops and keeps the ground truth)",
            highlight=False,
        )
        report = _run(sim, console, sink, Pacer(max(sim.start, datetime.now(UTC))), truth_path)
        destination = sink.url
    else:
        raise typer.BadParameter("--target needs an API key", param_hint="--api-key")
    sim.truth.write(truth_path)
    _summarise(console, report, destination, sim.truth, truth_path)


def _simulation(
    seed: int, rate: float, duration: str, start: str | None, abuse_share: float, *, live: bool
) -> Simulation:
    """The simulation the options describe; a bad option is a usage error naming it."""
    try:
        duration_s = parse_duration(duration)
        begin = (
            parse_instant(start) if start else (datetime.now(UTC) if live else DEFAULT_FILE_START)
        )
        return Simulation(seed, rate, duration_s, begin, abuse_share)
    except GarrisonError as error:
        option = (error.field or "value").replace("_", "-")
        raise typer.BadParameter(error.message, param_hint=f"--{option}") from None


def _ago(backfill: str) -> str:
    try:
        seconds = parse_duration(backfill)
    except GarrisonError as error:
        raise typer.BadParameter(error.message, param_hint="--backfill") from None
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat()


def _file_sink(out: Path) -> FileSink:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return FileSink(out)
    except OSError as error:
        raise typer.BadParameter(
            f"cannot write {out}: {error.strerror}", param_hint="--out"
        ) from None


def _run(
    sim: Simulation,
    console: Console,
    sink: FileSink | HttpSink,
    pacer: Pacer | None,
    truth_path: Path,
) -> DeliveryReport:
    """Stream the simulation into the sink; on a refusal or Ctrl-C keep the truth seen so far."""
    err = Console(stderr=True)
    with sink, Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("simulating", total=sim.expected_events)
        try:
            deliver(sim.events(), sink, pacer=pacer, on_batch=lambda n: bar.advance(task, n))
        except GarrisonError as error:
            err.print(f"[red]error:[/red] {error.message}", highlight=False)
            _keep_truth(sim.truth, truth_path, err)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            _keep_truth(sim.truth, truth_path, err)
            raise typer.Exit(130) from None
    return sink.report


def _keep_truth(truth: GroundTruth, path: Path, err: Console) -> None:
    truth.write(path)
    err.print(f"ground truth of the events generated so far: {path}", highlight=False)


def _summarise(
    console: Console, report: DeliveryReport, destination: str, truth: GroundTruth, path: Path
) -> None:
    console.print(f"[bold]{report.sent}[/bold] events written to {destination}", highlight=False)
    if report.conflicts:
        console.print(f"{report.conflicts} events already known to the server (409), skipped")
    if report.rejected:
        console.print(
            f"[yellow]{report.rejected} events rejected by the server[/yellow], first:",
            report.first_rejection,
            highlight=False,
            markup=True,
        )
    table = Table(title="Injected abuse")
    table.add_column("scenario")
    table.add_column("instances", justify="right")
    table.add_column("abusive entities", justify="right")
    for abuse, counts in truth.summary().items():
        table.add_row(abuse, str(counts["scenarios"]), str(counts["entities"]))
    console.print(table)
    console.print(f"ground truth: {path}", highlight=False)
