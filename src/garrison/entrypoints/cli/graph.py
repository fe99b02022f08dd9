"""`garrison graph`: identity links and the rings found in them.

    garrison graph rebuild                 # re-derive every link from the event log
    garrison graph detect                  # find rings now; risky new ones open a review case
    garrison graph rings --min-size 3      # list the rings of the latest detection

Identifiers that are personal data (IPs, email addresses) are shown redacted.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.access import SYSTEM
from garrison.domain.redaction import redact_ref
from garrison.domain.rings import Ring
from garrison.entrypoints.cli.environment import cli_actor, open_container
from garrison.entrypoints.web.schemas.rings import ring_wire
from garrison.services.investigate import rebuild_links
from garrison.services.rings import Detection

graph = typer.Typer(help="Identity links between accounts, and the rings they form.")

PIPE_WIDTH = 160
INFRASTRUCTURE_SHOWN = 3


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


@graph.command("rebuild")
def rebuild() -> None:
    """Forget every link and re-derive them from the event log (one transaction)."""
    started = time.perf_counter()
    with open_container() as container:
        read = rebuild_links(container.uow)
    typer.echo(f"links rebuilt from {read} events in {time.perf_counter() - started:.1f} s")


@graph.command("detect")
def detect() -> None:
    """Find the rings in the current links; risky rings not seen before open a review case."""
    started = time.perf_counter()
    with open_container() as container:
        found = container.rings.detect(actor=cli_actor())
    typer.echo(_summary(found, time.perf_counter() - started))


@graph.command("rings")
def rings(
    min_size: Annotated[int, typer.Option(min=2, help="Fewest members a ring may have.")] = 3,
    limit: Annotated[int, typer.Option(min=1, help="Most rings to list.")] = 50,
    output: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.TABLE,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Run a detection first (see `graph detect`).")
    ] = False,
) -> None:
    """The rings of the latest detection, riskiest first."""
    with open_container() as container:
        if refresh:
            container.rings.detect(actor=cli_actor())
        found = container.rings.rings(SYSTEM, min_size=min_size, limit=limit)
    if output is Format.JSON:
        typer.echo(json.dumps([ring_wire(r) for r in found], indent=2, default=str))
        return
    if not found:
        typer.echo(f"no rings of {min_size} or more members (run `garrison graph detect`)")
        return
    _table(found)


def _table(found: list[Ring]) -> None:
    table = Table("ring", "members", "risk", "method", "burst", "bad", "shared", "flagged")
    for ring in found:
        shared = ", ".join(redact_ref(s.ref) for s in ring.infrastructure[:INFRASTRUCTURE_SHOWN])
        more = len(ring.infrastructure) - INFRASTRUCTURE_SHOWN
        table.add_row(
            ring.id,
            str(ring.size),
            f"{ring.risk.score:.2f}",
            ring.method.value,
            str(ring.burst),
            str(len(ring.labelled_bad)),
            shared + (f" (+{more})" if more > 0 else ""),
            "yes" if ring.flagged_at else "",
        )
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(soft_wrap=True, width=PIPE_WIDTH)
    console.print(table)


def _summary(found: Detection, seconds: float) -> str:
    return (
        f"{found.rings} rings in {found.accounts} accounts and {found.links} links "
        f"({found.method}, {seconds:.1f} s); {found.flagged} opened a review"
    )
