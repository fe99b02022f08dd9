"""`garrison model register|list|promote|retire|shadow|drift` and `garrison model train risk`:
the model registry in the database, and Garrison's own risk model trained from review labels.

A version is registered in shadow; `promote` makes it the one `score("name")` reads (the
previous live version is retired), audited under the command's actor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import PrincipalId
from garrison.domain.models import ModelVersion
from garrison.domain.rule_controls import parse_duration
from garrison.entrypoints.cli.environment import cli_actor, open_container

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The model's name.")]
VersionArg = Annotated[int, typer.Argument(metavar="VERSION", help="The version number.")]
Since = Annotated[str, typer.Option(help="How far back: like 24h, 7d, 2w.")]


def cli_principal() -> Principal:
    """Whoever runs the command, with the operator's rights (the CLI runs on the server)."""
    actor = cli_actor()
    return Principal(
        PrincipalId(actor), PrincipalKind.SYSTEM, actor.removeprefix("cli:"), Role.ADMIN
    )


def version_wire(version: ModelVersion) -> dict[str, Any]:
    """A version as the CLI and the API print it."""
    return {
        "name": version.name,
        "version": version.version,
        "kind": version.kind,
        "status": version.status.value,
        "artifact": version.artifact,
        "features": list(version.features),
        "metrics": dict(version.metrics),
        "trained_from": _iso(version.trained_from),
        "trained_to": _iso(version.trained_to),
        "created_at": version.created_at.isoformat(),
        "created_by": version.created_by,
        "promoted_at": _iso(version.promoted_at),
        "promoted_by": version.promoted_by,
        "retired_at": _iso(version.retired_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def register_model(
    model_dir: Annotated[Path, typer.Argument(metavar="DIR", help="A trained model directory.")],
    name: Annotated[str, typer.Option(help='The name rules read it by: score("NAME").')],
) -> None:
    """Register a model directory as a new shadow version of NAME."""
    with open_container() as container:
        version = container.models.register(name, str(model_dir.resolve()), actor=cli_actor())
    typer.echo(f"model {version.key} registered ({version.status})")


def list_models(
    name: Annotated[str | None, typer.Argument(metavar="[NAME]", help="Only this model.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every registered version, newest first per model, with its status and AUPRC."""
    with open_container() as container:
        versions = container.models.versions(name)
    if as_json:
        typer.echo(json.dumps([version_wire(v) for v in versions], indent=2))
        return
    if not versions:
        typer.echo("no models registered")
    for v in versions:
        auprc = v.metrics.get("auprc")
        shown = f"auprc {auprc:.3f}" if auprc is not None else "auprc -"
        typer.echo(f"{v.key:<24} {v.status:<8} {v.kind:<8} {shown}  {len(v.features)} features")


def promote_model(name: NameArg, version: VersionArg) -> None:
    """Make a shadow version live (the live one is retired)."""
    with open_container() as container:
        promoted = container.models.promote(cli_principal(), name, version)
    typer.echo(f"model {promoted.key} is live")


def retire_model(name: NameArg, version: VersionArg) -> None:
    """Retire a version: rules reading it get no score."""
    with open_container() as container:
        retired = container.models.retire(cli_principal(), name, version)
    typer.echo(f"model {retired.key} retired")


def shadow_model(
    name: NameArg,
    version: VersionArg,
    since: Since = "24h",
    threshold: Annotated[float, typer.Option(help="Count scores at or above this.")] = 0.5,
) -> None:
    """Score recent events with a version and store the scores (no rule reads them)."""
    with open_container() as container:
        summary = container.models.shadow_score(
            name, version, since=parse_duration(since, field="since"), threshold=threshold
        )
    typer.echo(
        json.dumps(
            {
                "model": summary.version.key,
                "scored": summary.scored,
                "mean": summary.mean,
                "threshold": threshold,
                "flagged": summary.flagged,
            },
            indent=2,
        )
    )


def drift_model(name: NameArg, version: VersionArg, since: Since = "7d") -> None:
    """Population stability (PSI) of the score and top features: training vs recent events."""
    with open_container() as container:
        report = container.models.drift(name, version, since=parse_duration(since, field="since"))
    typer.echo(
        json.dumps(
            {
                "model": report.version.key,
                "since": report.since.isoformat(),
                "events": report.events,
                "drift": [
                    {"quantity": d.quantity, "psi": d.psi, "level": d.level.value, "n": d.recent}
                    for d in report.drifts
                ],
            },
            indent=2,
        )
    )


def train_risk(
    out: Annotated[Path, typer.Option(help="Directory to write the model to.")],
    since: Since = "30d",
    policy: Annotated[str | None, typer.Option(help="Only labels of this policy.")] = None,
    register: Annotated[
        str | None, typer.Option(help="Also register it under this name (in shadow).")
    ] = None,
) -> None:
    """Train Garrison's risk model on recent events labelled by review labels."""
    from garrison.adapters.ml.tabular.table import table_of
    from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
    from garrison.services.risk_table import LABEL, TIME, risk_table

    end = datetime.now(UTC)
    with open_container() as container:
        start = end - parse_duration(since, field="since")
        table = risk_table(container.store.reader, start, end, policy=policy)
        if not table.rows:
            raise InvalidInput(
                f"no labelled events in the last {since} ({table.events_seen} events seen)",
                field="since",
            )
        trained = train_tabular(table_of(table.rows), TrainingOptions(LABEL, time_column=TIME))
        trained.save(out)
        registered = (
            container.models.register(register, str(out.resolve()), actor=cli_actor())
            if register
            else None
        )
    result: dict[str, Any] = {
        "model": str(out),
        "events": table.events_seen,
        "labelled": len(table.rows),
        "positives": table.positives,
        "metrics": trained.manifest["metrics"],
    }
    if registered is not None:
        result["registered"] = registered.key
    typer.echo(json.dumps(result, indent=2, default=str))
