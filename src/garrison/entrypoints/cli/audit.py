"""`garrison audit`: check the hash-chained audit log."""

from __future__ import annotations

import typer

from garrison.entrypoints.cli.environment import open_container
from garrison.entrypoints.cli.errors import FAILURE_EXIT, print_error
from garrison.services import audit as audit_service

audit = typer.Typer(help="The append-only, hash-chained audit log.")


@audit.command("verify")
def verify() -> None:
    """Re-hash the whole chain; exit 1 naming the first record altered, missing or out of place."""
    with open_container() as container:
        result = audit_service.verify(container.uow)
    if result.broken is not None:
        print_error(f"audit chain broken at record {result.broken.seq}: {result.broken.reason}")
        raise typer.Exit(FAILURE_EXIT)
    typer.echo(f"audit chain intact: {result.records} records")
