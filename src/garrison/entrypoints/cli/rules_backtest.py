"""`garrison rules backtest PATH`: replay past events through candidate rules, as real time would.

Events come from a JSON-lines file (`--events`, `.jsonl` or `.jsonl.gz`, the wire format) or from
the event log in the database (`--since 30d`). Hits are those the real-time engine would produce
for the same events ingested in occurred_at order. The report: hits per rule and per day, overlap
with the live rules (`--live current`: the rules acting now, without shadow, canary or demoted
ones; or another rule file), subjects newly caught, the verdicts the rules would reach, and with
`--labels` precision and recall (95% Wilson intervals).

Lists are read from the database when the rules use any; enrichment is the built-in offline one;
`has_label()` and `score()` read nothing in a backtest (no labels or scores as of each event).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from garrison.adapters.backtest import PolarsBacktestEngine
from garrison.adapters.backtest.files import EventFile, OnError
from garrison.adapters.backtest.labels import read_labels
from garrison.adapters.enrichment import OfflineEnricher
from garrison.adapters.rules_file import load_release
from garrison.bootstrap import Container
from garrison.config import Settings
from garrison.domain.decisions import ScorePolicy
from garrison.domain.events import Event
from garrison.domain.lists import compile_matcher
from garrison.domain.metrics import Proportion, Quality
from garrison.domain.rules import Release, Stage
from garrison.domain.signals import ListMatcher
from garrison.entrypoints.cli.environment import load_settings, open_container
from garrison.entrypoints.web.schemas.events import parse_event
from garrison.services.backtest import (
    BacktestReport,
    BacktestService,
    candidate_release,
    report_json,
    stored_events,
)
from garrison.simulator import parse_duration

CURRENT = "current"
PIPE_WIDTH = 140
"""Table width when the output is not a terminal (a file or a pipe)."""


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


def backtest(
    path: Annotated[
        Path,
        typer.Argument(help="Rule file (TOML) to backtest.", exists=True, dir_okay=False),
    ],
    events: Annotated[
        Path | None,
        typer.Option(
            "--events", help="Events file (.jsonl or .jsonl.gz, wire format).", dir_okay=False
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Replay the stored event log from this long ago (30d, 12h)."),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="Labels (JSONL/CSV of entity,label[,policy]) or a simulation's ground truth.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.TABLE,
    on_error: Annotated[
        OnError, typer.Option(help="A corrupt event line: skip it (and report it) or stop.")
    ] = OnError.SKIP,
    live: Annotated[
        str | None,
        typer.Option(help="Live rules to compare with: 'current' (the database) or a rule file."),
    ] = None,
) -> None:
    """Backtest rules over past events: hits per rule and day, overlap with the live rules,
    and precision/recall with --labels. Hits are exactly those real time would produce."""
    if (events is None) == (since is None):
        raise typer.BadParameter("give exactly one of --events FILE or --since 30d")
    candidate = candidate_release(path.read_text("utf-8"), str(path))
    settings = load_settings()
    ground = read_labels(labels) if labels is not None else None
    live_file = _live_file(live)
    listed = candidate.needs.lists | (live_file.needs.lists if live_file else set())
    needs_store = since is not None or live == CURRENT or bool(listed)
    with _maybe_container(settings, needs_store) as container:
        live_release = live_file or _live_current(live, container)
        wanted = listed | (live_release.needs.lists if live_release else set())
        lists = _lists(container, wanted) if wanted else {}
        engine = PolarsBacktestEngine(lists, [OfflineEnricher.shipped()])
        service = BacktestService(engine, _policy(settings))
        console = Console(stderr=True)
        with _progress(console) as bar:
            source = _source(events, since, on_error, container, bar)
            report = service.run(candidate, source.events, labels=ground, live=live_release)
        report = dataclasses.replace(report, problems=source.problems())
    if output is Format.JSON:
        typer.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=PIPE_WIDTH)
        _print(console, report)


@contextmanager
def _maybe_container(settings: Settings, needed: bool) -> Iterator[Container | None]:
    """The container when the database is needed (event log, live release, lists)."""
    if not needed:
        yield None
        return
    with open_container(settings) as container:
        yield container


def _live_file(spec: str | None) -> Release | None:
    if spec is None or spec == CURRENT:
        return None
    file = Path(spec)
    if not file.is_file():
        raise typer.BadParameter(f"{spec!r} is neither 'current' nor a rule file")
    return load_release(file)


def _live_current(spec: str | None, container: Container | None) -> Release | None:
    """The rules acting now in the database (shadow, canary and demoted rules left out)."""
    if spec != CURRENT or container is None:
        return None
    with container.uow() as uow:
        lineup = container.releases.lineup(uow)
    acting = tuple(compiled for compiled, stage in lineup.running if stage is Stage.LIVE)
    return Release(lineup.release.version, acting)


def _lists(container: Container | None, names: Iterable[str]) -> dict[str, ListMatcher]:
    """The lists the rules read, as stored in the database (none without one)."""
    if container is None:
        return {}
    found: dict[str, ListMatcher] = {}
    with container.uow() as uow:
        for name in sorted(names):
            stored = uow.lists.get(name)
            if stored is not None:
                found[name] = compile_matcher(stored.kind, stored.entries)
    return found


def _policy(settings: Settings) -> ScorePolicy:
    return ScorePolicy(
        settings.policy_version,
        settings.score_review_at,
        settings.score_challenge_at,
        settings.score_block_at,
        settings.default_queue,
    )


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@dataclasses.dataclass
class _Source:
    events: Iterable[Event]
    file: EventFile | None = None

    def problems(self) -> tuple[str, ...]:
        if self.file is None:
            return ()
        shown = tuple(str(problem) for problem in self.file.problems)
        more = self.file.skipped - len(shown)
        return shown + ((f"... and {more} more lines skipped",) if more else ())


def _source(
    events: Path | None,
    since: str | None,
    on_error: OnError,
    container: Container | None,
    bar: Progress,
) -> _Source:
    if events is not None:
        task = bar.add_task("reading events (bytes)", total=events.stat().st_size)
        file = EventFile(
            events, parse_event, on_error=on_error, progress=lambda n: bar.advance(task, n)
        )
        return _Source(file, file)
    assert since is not None and container is not None
    start = datetime.now(UTC) - timedelta(seconds=parse_duration(since))
    task = bar.add_task("reading the event log (events)", total=None)
    return _Source(_counted(stored_events(container.store.uow, start), bar, task))


def _counted(events: Iterable[Event], bar: Progress, task: TaskID) -> Iterator[Event]:
    for n, event in enumerate(events, start=1):
        if n % 1000 == 0:
            bar.advance(task, 1000)
        yield event


def _print(console: Console, report: BacktestReport) -> None:
    days = max(1, len(report.days))
    span = f"{min(report.days)} to {max(report.days)}" if report.days else "no events"
    console.print(
        f"[bold]{report.events:,}[/bold] events ({span}), {report.subjects_seen:,} subjects; "
        f"release {report.release}"
        + (f" against live {report.live_release}" if report.live_release else ""),
        highlight=False,
    )
    if report.duplicates:
        console.print(f"{report.duplicates:,} repeated event ids counted once")
    for problem in report.problems:
        console.print(f"[yellow]skipped[/yellow] {problem}", highlight=False)
    live = report.live_release is not None
    labelled = report.quality is not None
    caption = "subject-level precision and recall, 95% Wilson intervals" if labelled else None
    table = Table(title="Rules", caption=caption)
    table.add_column("rule", overflow="fold", min_width=16)
    numbers = ["hits", *(["per day"] if days > 1 else []), "subjects"]
    numbers += ["new", "live too"] if live else []
    numbers += ["precision", "recall"] if labelled else []
    for name in numbers:
        table.add_column(name, justify="right", no_wrap=True)
    for rule in report.rules:
        cells = [rule.name, f"{rule.hits:,}"]
        cells += [f"{rule.hits / days:,.1f}"] if days > 1 else []
        cells += [f"{rule.subjects:,}"]
        cells += [f"{rule.new_subjects:,}", f"{rule.overlap_events:,}"] if live else []
        if labelled:
            scored = rule.quality
            cells += [_share(scored.precision), _share(scored.recall)] if scored else ["", ""]
        table.add_row(*cells)
    console.print(table)
    _summary(console, report)


def _summary(console: Console, report: BacktestReport) -> None:
    verdicts = ", ".join(f"{v}: {n:,}" for v, n in report.verdicts.items())
    console.print(f"verdicts: {verdicts}", highlight=False)
    if report.live_verdicts is not None:
        live = ", ".join(f"{v}: {n:,}" for v, n in report.live_verdicts.items())
        console.print(f"live verdicts: {live}", highlight=False)
        console.print(
            f"subjects caught: {report.caught:,} ({report.new_subjects:,} not caught by the "
            f"live rules, which catch {report.live_caught:,})",
            highlight=False,
        )
    else:
        console.print(f"subjects caught: {report.caught:,}", highlight=False)
    if report.quality is not None:
        console.print(f"all rules: {_quality(report.quality)}", highlight=False)


def _quality(scored: Quality) -> str:
    return f"precision {_share(scored.precision)}, recall {_share(scored.recall)}"


def _share(share: Proportion) -> str:
    if share.value is None or share.interval is None:
        return "n/a"
    low, high = share.interval.low, share.interval.high
    return f"{share.value:.0%} ({100 * low:.0f}-{high:.0%})"
