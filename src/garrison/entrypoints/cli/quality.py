"""`garrison quality`: precision and recall with intervals, overturns, reviewer QA, adjudication,
label import and active learning. Reports print a table, or JSON with `--json` (the API's shapes).
"""

from __future__ import annotations

import csv
import getpass
import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import PrincipalId, QueueName
from garrison.domain.labels import LabelValue
from garrison.domain.metrics import Proportion
from garrison.domain.qa import SessionId
from garrison.domain.sampling import RecallEstimate
from garrison.domain.uncertainty import Strategy
from garrison.entrypoints.cli.environment import open_container
from garrison.entrypoints.web.schemas import quality as wire
from garrison.entrypoints.web.schemas import quality_labels as label_wire
from garrison.services.active_learning import rows_of
from garrison.services.labels_import import LabelFormat
from garrison.services.qa import SamplePlan
from garrison.services.quality import DetectorQuality

quality = typer.Typer(help="Measured quality: precision, recall, overturns, reviewer QA.")

DaysOpt = Annotated[int | None, typer.Option(help="Period in days (default: 30).", min=1)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (the API's shape).")]


def operator(name: str | None = None) -> Principal:
    """Whoever runs the command, with every permission (the CLI runs next to the database)."""
    if name is None:
        try:
            name = f"cli:{getpass.getuser()}"
        except (KeyError, OSError):
            name = "cli:unknown"
    return Principal(PrincipalId(name), PrincipalKind.PERSON, name, Role.ADMIN)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def _share(p: Proportion) -> str:
    if p.value is None or p.interval is None:
        return "no labels"
    return f"{p.value:.1%} [{p.interval.low:.1%}, {p.interval.high:.1%}] of {p.n}"


def _recall(r: RecallEstimate | None) -> str:
    if r is None or r.value is None or r.interval is None:
        return "-"
    return f"{r.value:.1%} [{r.interval.low:.1%}, {r.interval.high:.1%}]"


def _detectors(title: str, rows: tuple[DetectorQuality, ...]) -> None:
    table = Table(
        "name", "subjects", "precision (95% Wilson)", "caught", "recall (est.)", title=title
    )
    for d in rows:
        table.add_row(
            d.name, str(d.subjects), _share(d.precision), str(d.caught), _recall(d.recall)
        )
    Console().print(table)


@quality.command("sheet")
def sheet(days: DaysOpt = None, as_json: JsonOpt = False) -> None:
    """Every rule, model and policy: precision from labels, recall from the QA sample."""
    with open_container() as container:
        report = container.quality.measure.report(operator(), days=days)
    if as_json:
        _json(wire.quality_wire(report))
        return
    _detectors("rules", report.rules)
    _detectors("models", report.models)
    _detectors("policies", report.policies)
    missed = report.overall.missed
    typer.echo(
        f"{report.events} events; overall recall {_recall(report.overall)}; "
        f"estimated misses {missed.total:.1f} [{missed.interval.low:.1f}, "
        f"{missed.interval.high:.1f}] from {missed.labelled} labelled samples"
        + (f"; {missed.uncovered} allowed events in unsampled segments" if missed.uncovered else "")
        + ("; capped" if report.capped else "")
    )


@quality.command("overturns")
def overturns(days: DaysOpt = None, as_json: JsonOpt = False) -> None:
    """Share of decided appeals overturned per rule, model, policy and original reviewer."""
    with open_container() as container:
        since = container.clock.now() - timedelta(days=days) if days else None
        report = container.quality.overturns.report(operator(), since=since)
    if as_json:
        _json(wire.overturns_wire(report))
        return
    table = Table("group", "name", "overturned (95% Wilson)")
    table.add_row("all", "", _share(report.overall))
    for group, found in (
        ("rule", report.by_rule),
        ("model", report.by_model),
        ("policy", report.by_policy),
        ("reviewer", report.by_reviewer),
    ):
        for name, share in found.items():
            table.add_row(group, name, _share(share))
    Console().print(table)


@quality.command("agreement")
def agreement(days: DaysOpt = None) -> None:
    """Blind double reviews: Cohen's and Fleiss' kappa, Krippendorff's alpha (JSON)."""
    with open_container() as container:
        since = container.clock.now() - timedelta(days=days) if days else None
        _json(wire.double_wire(container.quality.reports.double_reviews(operator(), since=since)))


@quality.command("accuracy")
def accuracy(
    against: Annotated[
        str, typer.Option(help="`golden` (known answers) or `adjudicated` labels.")
    ] = "golden",
    days: DaysOpt = None,
) -> None:
    """Reviewers' accuracy against golden items or adjudicated labels (JSON)."""
    if against not in ("golden", "adjudicated"):
        raise InvalidInput("--against is golden or adjudicated", field="against")
    with open_container() as container:
        since = container.clock.now() - timedelta(days=days) if days else None
        reports = container.quality.reports
        found = (reports.golden if against == "golden" else reports.adjudicated)(
            operator(), since=since
        )
    _json(wire.accuracy_wire(found))


@quality.command("golden")
def golden(
    subject: Annotated[str, typer.Argument(help="The item as kind:id.")],
    value: Annotated[LabelValue, typer.Argument(help="The known answer.")],
    policy: Annotated[str | None, typer.Option(help="Policy (needed when violating).")] = None,
    queue: Annotated[str, typer.Option(help="Queue to seed it into.")] = "default",
) -> None:
    """Seed a known-answer item into a queue as an ordinary case."""
    ref = EntityRef.parse(subject, field="subject")
    with open_container() as container:
        item = container.quality.intake.seed_golden(
            operator(), ref, value, policy, QueueName(queue)
        )
    typer.echo(f"golden item {item.id}: case {item.case_id} in {item.queue}")


@quality.command("sample")
def sample(
    days: Annotated[int, typer.Option(help="Sample events allowed in the last N days.", min=1)] = 1,
    rate: Annotated[float | None, typer.Option(help="Default: GARRISON_QA_SAMPLE_RATE.")] = None,
    segment_rate: Annotated[
        list[str] | None, typer.Option(help="SEGMENT=RATE, e.g. api.usage|free=0.05.")
    ] = None,
) -> None:
    """Send a stratified random sample of allowed events to the `qa` queue (idempotent)."""
    with open_container() as container:
        configured = container.quality.sample_plan
        plan = SamplePlan(rate or configured.rate, configured.seed, _segments(segment_rate or []))
        until = container.clock.now()
        result = container.quality.intake.sample_traffic(
            operator(), plan, since=until - timedelta(days=days), until=until
        )
    typer.echo(f"scanned {result.scanned} events; sampled {len(result.enqueued)} into QA")


def _segments(pairs: list[str]) -> tuple[tuple[str, float], ...]:
    found: list[tuple[str, float]] = []
    for pair in pairs:
        segment, sep, rate = pair.rpartition("=")
        try:
            found.append((segment, float(rate)))
        except ValueError:
            sep = ""
        if not sep or not segment:
            raise InvalidInput(f"expected SEGMENT=RATE, got {pair!r}", field="segment_rate")
    return tuple(found)


@quality.command("double")
def double(
    rate: Annotated[
        float | None, typer.Option(help="Default: GARRISON_QA_DOUBLE_REVIEW_RATE.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Resolved cases to consider.", min=1)] = 1000,
) -> None:
    """Send a share of resolved cases to a second, blind review (idempotent)."""
    with open_container() as container:
        q = container.quality
        result = q.intake.sample_double_reviews(
            operator(), rate=rate or q.double_review_rate, seed=q.sample_plan.seed, limit=limit
        )
    typer.echo(f"considered {result.scanned} resolved cases; {len(result.enqueued)} sent again")


@quality.command("uncertain")
def uncertain(
    scores: Annotated[Path, typer.Argument(help="CSV with subject,model,score columns.")],
    k: Annotated[int, typer.Option(help="How many to enqueue.", min=1)] = 50,
    strategy: Annotated[Strategy, typer.Option(help="margin or entropy.")] = Strategy.MARGIN,
    threshold: Annotated[float, typer.Option(help="The models' decision threshold.")] = 0.5,
) -> None:
    """Active learning: the least certain scores go to the labelling queue."""
    rows: list[tuple[str, str, float]] = []
    with scores.open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rows.append((row["subject"], row["model"], float(row["score"])))
            except (KeyError, TypeError, ValueError):
                raise InvalidInput(
                    f"line {n}: need subject, model and a numeric score", field=f"line {n}"
                ) from None
    with open_container() as container:
        done = container.quality.active.enqueue_uncertain(
            operator(), rows_of(rows), k, strategy=strategy, threshold=threshold
        )
    typer.echo(f"enqueued {len(done.items)} for labelling; skipped {done.skipped}")


@quality.command("import-labels")
def import_labels(
    path: Annotated[Path, typer.Argument(help="CSV (with a header) or JSON Lines file.")],
    fmt: Annotated[
        LabelFormat | None, typer.Option("--format", help="Default: from the file's suffix.")
    ] = None,
) -> None:
    """Import labels with provenance `import`; one bad row refuses the whole file."""
    chosen = fmt or (LabelFormat.CSV if path.suffix.lower() == ".csv" else LabelFormat.JSONL)
    text = path.read_text(encoding="utf-8")
    with open_container() as container:
        result = container.quality.importer.import_text(operator(), text, chosen, source=path.name)
    typer.echo(f"read {result.read}; imported {result.imported}; skipped {result.skipped}")


@quality.command("conflicts")
def conflicts(limit: Annotated[int, typer.Option(min=1)] = 100) -> None:
    """The adjudication list: labels about the same subject and policy that disagree (JSON)."""
    with open_container() as container:
        found = container.quality.adjudication.conflicts(operator(), limit=limit)
    _json([label_wire.conflict_wire(c) for c in found])


@quality.command("adjudicate")
def adjudicate(
    subject: Annotated[str, typer.Argument(help="kind:id")],
    policy: Annotated[str, typer.Argument()],
    value: Annotated[LabelValue, typer.Argument()],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Settle a conflict: the adjudicated label wins over the labels it settles."""
    ref = EntityRef.parse(subject, field="subject")
    with open_container() as container:
        label = container.quality.adjudication.adjudicate(operator(), ref, policy, value, note)
    typer.echo(f"adjudicated {label.subject} {label.policy}: {label.value} ({label.id})")


@quality.command("calibrate")
def calibrate(
    name: Annotated[str, typer.Argument(help="The session's name.")],
    subject: Annotated[list[str], typer.Option(help="An item (kind:id); repeat.")],
    participant: Annotated[list[str], typer.Option(help="An actor, e.g. person:alice; repeat.")],
) -> None:
    """Open a calibration session: every participant labels every item."""
    refs = [EntityRef.parse(s, field="subject") for s in subject]
    with open_container() as container:
        session = container.quality.calibration.create(operator(), name, refs, participant)
    typer.echo(f"calibration session {session.id}: {len(refs)} items, {len(participant)} people")


@quality.command("calibration-answer")
def calibration_answer(
    session: Annotated[str, typer.Argument()],
    subject: Annotated[str, typer.Argument(help="kind:id")],
    value: Annotated[LabelValue, typer.Argument()],
    reviewer: Annotated[str, typer.Option("--as", help="The participant's name (person:NAME).")],
    policy: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a participant's answer for one item."""
    ref = EntityRef.parse(subject, field="subject")
    who = operator(reviewer.removeprefix("person:"))
    with open_container() as container:
        container.quality.calibration.answer(who, SessionId(session), ref, value, policy)
    typer.echo(f"{who.actor}: {ref} {value}")


@quality.command("calibration")
def calibration(session: Annotated[str, typer.Argument()]) -> None:
    """A session's agreement report (JSON): Fleiss' kappa, Krippendorff's alpha, per reviewer."""
    with open_container() as container:
        report = container.quality.calibration.report(operator(), SessionId(session))
    _json(label_wire.calibration_wire(report))
