"""`garrison labels`: named tags on entities (`trusted`, `suspected_farm`) that rules read."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.entities import EntityRef
from garrison.entrypoints.cli.environment import cli_actor, open_container

labels = typer.Typer(help="Labels on entities, read by rules with has_label().")

EntityArg = Annotated[
    str, typer.Argument(metavar="ENTITY", help="The entity as kind:id, like account:acct_42.")
]
LabelArg = Annotated[str, typer.Argument(metavar="LABEL", help="The label's name.")]


@labels.command("add")
def add_label(
    entity: EntityArg,
    name: LabelArg,
    ttl: Annotated[
        str | None,
        typer.Option(help="How long it lasts, like 30d or 12h (default: until removed)."),
    ] = None,
) -> None:
    """Label an entity (a label it already has is replaced)."""
    subject = EntityRef.parse(entity, field="entity")
    with open_container() as container:
        label = container.entity_labels.add(subject, name, actor=cli_actor(), ttl=ttl)
    until = label.expires_at.isoformat(timespec="seconds") if label.expires_at else "removed"
    typer.echo(f"{subject} labelled {label.name} until {until}")


@labels.command("remove")
def remove_label(entity: EntityArg, name: LabelArg) -> None:
    """Take a label off an entity."""
    subject = EntityRef.parse(entity, field="entity")
    with open_container() as container:
        container.entity_labels.remove(subject, name, actor=cli_actor())
    typer.echo(f"{subject} no longer labelled {name}")


@labels.command("list")
def list_labels(
    entity: EntityArg,
    include_expired: Annotated[bool, typer.Option("--all", help="Expired labels too.")] = False,
) -> None:
    """An entity's labels, with who added them and until when."""
    subject = EntityRef.parse(entity, field="entity")
    with open_container() as container:
        found = container.entity_labels.for_entity(subject, include_expired=include_expired)
    if not found:
        typer.echo(f"{subject} has no labels")
        return
    table = Table("label", "provenance", "author", "added", "expires")
    for label in found:
        table.add_row(
            label.name,
            label.provenance.value,
            label.author,
            label.created_at.isoformat(timespec="seconds"),
            label.expires_at.isoformat(timespec="seconds") if label.expires_at else "never",
        )
    Console(soft_wrap=True).print(table)
