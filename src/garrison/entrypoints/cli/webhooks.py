"""`garrison webhooks`: inspect deliveries to the host platform and retry dead-lettered ones."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.ids import DeliveryId
from garrison.domain.webhooks import Delivery, DeliveryStatus
from garrison.entrypoints.cli.environment import cli_actor, open_container

webhooks = typer.Typer(help="Signed webhooks sent to the host platform.")


def delivery_table(deliveries: list[Delivery]) -> Table:
    table = Table("id", "action", "status", "attempts", "next attempt", "last error")
    for delivery in deliveries:
        table.add_row(
            delivery.id,
            delivery.action_id,
            delivery.status.value,
            str(delivery.attempts),
            delivery.next_attempt_at.isoformat(timespec="seconds"),
            delivery.last_error or "",
        )
    return table


@webhooks.command("list")
def list_deliveries(
    status: Annotated[
        DeliveryStatus | None,
        typer.Option(help="Only deliveries in this state.", case_sensitive=False),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.", min=1)] = 50,
) -> None:
    """List webhook deliveries, newest first."""
    with open_container() as container:
        deliveries = container.dispatcher.deliveries(status=status, limit=limit)
    if not deliveries:
        typer.echo("no deliveries" + (f" with status {status}" if status else ""))
        return
    Console(soft_wrap=True).print(delivery_table(deliveries))


@webhooks.command("retry")
def retry(
    delivery_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of a dead-lettered delivery.")
    ],
) -> None:
    """Put a dead-lettered delivery back in line; the dispatcher sends it on its next pass."""
    with open_container() as container:
        delivery = container.dispatcher.retry_dead(DeliveryId(delivery_id), actor=cli_actor())
    typer.echo(f"delivery {delivery.id} is {delivery.status} again and will be sent next pass")
