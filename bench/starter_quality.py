"""How well the starter rule pack detects the simulator's injected abuse (subject level).

The pack is backtested over a simulated stream (seed 7, two hours at 50 events a second by
default) with the lists and enrichment real time uses, and scored against the simulation's ground
truth: for each abuse pattern, the recall of the rules meant for it and of the whole pack, and
the precision of the rules meant for it (subjects they flag that are abusive, over those that are
abusive or not abusive at all), each with a 95% Wilson interval.

    .venv/bin/python bench/starter_quality.py [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.measure import Measurement  # noqa: E402
from bench.report import Row  # noqa: E402
from garrison.adapters.backtest import PolarsBacktestEngine  # noqa: E402
from garrison.adapters.enrichment import OfflineEnricher  # noqa: E402
from garrison.adapters.fakes import ManualClock, SequentialIds  # noqa: E402
from garrison.adapters.rules_file import StaticReleaseSource, load_release  # noqa: E402
from garrison.adapters.shipped_lists import shipped_lists  # noqa: E402
from garrison.adapters.storage.sql import SqlStore, migrate  # noqa: E402
from garrison.domain.decisions import ScorePolicy  # noqa: E402
from garrison.domain.events import Event  # noqa: E402
from garrison.domain.lists import ValueList, compile_matcher  # noqa: E402
from garrison.domain.metrics import Proportion, quality  # noqa: E402
from garrison.domain.rules import Release  # noqa: E402
from garrison.entrypoints.web.schemas.events import parse_event  # noqa: E402
from garrison.services.backtest import EngineOutput  # noqa: E402
from garrison.services.ingest import IngestService  # noqa: E402
from garrison.services.signals import Signals  # noqa: E402
from garrison.simulator import DEFAULT_FILE_START, GroundTruth, Simulation  # noqa: E402

NAME = "starter-quality"
SEED = 7
RATE = 50.0
FULL_SECONDS = 2 * 3600.0
QUICK_SECONDS = 20 * 60.0
POLICIES = {
    "card_testing": ("fraud.card_testing",),
    "trial_farming": ("fraud.trial_abuse",),
    "stolen_cards": ("fraud.stolen_card", "fraud.chargebacks"),
    "key_resale": ("fraud.key_resale", "fraud.spend"),
    "content_burst": ("content.violating", "content.user_report"),
    "card_sharing": ("fraud.stolen_card", "fraud.chargebacks"),
}
"""The starter policies meant for each simulated abuse pattern."""
CHECK_EVENTS = 4000
"""Events also sent through the real ingestion path (SQLite): their hits must be identical."""


def run(*, quick: bool) -> list[Row]:
    seconds = QUICK_SECONDS if quick else FULL_SECONDS
    simulation = Simulation(SEED, RATE, seconds, DEFAULT_FILE_START)
    events = [parse_event(wire) for wire in simulation.events()]
    truth = simulation.truth
    release = load_release(None)
    lists = {s.name: compile_matcher(s.kind, s.entries) for s in shipped_lists()}
    engine = PolarsBacktestEngine(lists, [OfflineEnricher.shipped()])
    started = time.perf_counter()
    output = engine.run(events, release, None)
    elapsed = time.perf_counter() - started
    check = _same_hits_as_real_time(events[: CHECK_EVENTS // (2 if quick else 1)], release, engine)
    policies = {c.rule.name: c.rule.policy for c in release.rules}
    by_abuse = _by_abuse(truth, output, policies)
    abusive = truth.abusive() & output.subjects
    caught = frozenset().union(*(h.subjects for h in output.rules.values()))
    overall = quality(caught, abusive, output.subjects - abusive)
    return [
        Row(
            bench=NAME,
            case=f"starter pack, seed {SEED}, {seconds / 3600:g} h at {RATE:g}/s",
            subject=Measurement("backtest", len(events), elapsed),
            details={
                "events": output.events,
                "subjects_seen": len(output.subjects),
                "abusive_entities": len(truth.abusive()),
                "abusive_subjects_seen": len(abusive),
                **check,
                "overall": {
                    "precision": _share(overall.precision),
                    "recall": _share(overall.recall),
                },
                "by_abuse": by_abuse,
                "rules": {
                    name: {
                        "hits": hits.hits,
                        "subjects": len(hits.subjects),
                        "precision": _share(
                            quality(hits.subjects, abusive, output.subjects - abusive).precision
                        ),
                    }
                    for name, hits in output.rules.items()
                },
            },
        )
    ]


def _same_hits_as_real_time(
    events: list[Event], release: Release, engine: PolarsBacktestEngine
) -> dict[str, Any]:
    """The first events through `IngestService` on SQLite (shipped lists and enrichment, as
    bootstrap wires them) and through the backtest: the same rules must fire on each."""
    signals = Signals(enrichers=[OfflineEnricher.shipped()])
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'realtime.db'}"
        migrate(url)
        store = SqlStore(url)
        with store.uow() as uow:
            for shipped in shipped_lists():
                version = uow.lists.next_version()
                uow.lists.add(
                    ValueList(
                        shipped.name, shipped.kind, shipped.entries, "", version, DEFAULT_FILE_START
                    )
                )
            uow.commit()
        clock = ManualClock(DEFAULT_FILE_START)
        service = IngestService(
            store.uow, StaticReleaseSource(release), ScorePolicy(), clock, SequentialIds(), signals
        )
        decided = {e.id: {h.rule for h in service.process(e).decision.hits} for e in events}
        store.dispose()
    frame = engine.load(events, release.rules)
    ids = frame.frame["id"].to_list()
    found: dict[str, set[str]] = {i: set() for i in ids}
    for compiled, column in zip(
        release.rules, engine.hits(frame, release.rules).fired, strict=True
    ):
        for row in column.arg_true().to_list():
            found[ids[row]].add(compiled.rule.name)
    mismatched = [i for i in ids if found[i] != decided[i]]
    return {
        "checked_events": len(events),
        "checked_hits": sum(len(v) for v in found.values()),
        "identical_hits": not mismatched,
        "mismatched_events": mismatched[:10],
    }


def _by_abuse(
    truth: GroundTruth, output: EngineOutput, policies: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Per pattern: positives are its abusive subjects seen; negatives the subjects not abusive
    at all (a subject abusive in another pattern counts for neither)."""
    rules, seen = output.rules, output.subjects
    abusive = truth.abusive() & seen
    anything = frozenset().union(*(hits.subjects for hits in rules.values()))
    out: dict[str, dict[str, Any]] = {}
    for abuse, meant in POLICIES.items():
        positives = truth.abusive(abuse) & seen
        own = frozenset().union(
            *(h.subjects for name, h in rules.items() if policies[name] in meant)
        )
        mine = quality(own, positives, seen - abusive)
        out[abuse] = {
            "abusive_subjects": len(positives),
            "flagged_by_its_rules": len(own),
            "precision": _share(mine.precision),
            "recall_its_rules": _share(mine.recall),
            "recall_any_rule": _share(quality(anything, positives, set()).recall),
        }
    return out


def _share(share: Proportion) -> dict[str, Any]:
    interval = share.interval
    return {
        "value": None if share.value is None else round(share.value, 4),
        "low": None if interval is None else round(interval.low, 4),
        "high": None if interval is None else round(interval.high, 4),
        "successes": share.successes,
        "n": share.n,
    }


def _text(share: dict[str, Any]) -> str:
    if share["value"] is None:
        return "n/a"
    return (
        f"{share['value']:.0%} ({share['low']:.0%}-{share['high']:.0%}) "
        f"{share['successes']}/{share['n']}"
    )


def print_quality(rows: list[Row]) -> None:
    console = Console(width=160)
    for row in rows:
        table = Table(title=f"{row.case}: subject-level detection (95% Wilson intervals)")
        for name in ("abuse", "abusive", "flagged", "precision", "recall (its rules)", "recall"):
            table.add_column(name, justify="left" if name == "abuse" else "right")
        for abuse, figures in row.details["by_abuse"].items():
            table.add_row(
                abuse,
                str(figures["abusive_subjects"]),
                str(figures["flagged_by_its_rules"]),
                _text(figures["precision"]),
                _text(figures["recall_its_rules"]),
                _text(figures["recall_any_rule"]),
            )
        overall = row.details["overall"]
        table.add_row(
            "all rules", "", "", _text(overall["precision"]), "", _text(overall["recall"])
        )
        console.print(table)


def main() -> int:
    rows = run(quick="--quick" in sys.argv)
    print_quality(rows)
    for row in rows:
        details = row.details
        seconds = row.subject.seconds if row.subject else 0.0
        print(
            f"{details['events']:,} events backtested in {seconds:.1f} s; "
            f"first {details['checked_events']:,} through real-time ingestion too: "
            f"identical hits {details['identical_hits']} ({details['checked_hits']} hits)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
