"""`garrison retroactive`: act on every member of a ring or every result of a search.

garrison retroactive preview --ring ring_acct_1 --action '{"kind": "add_label", "params": {"label": "farm"}}'
garrison retroactive apply --query 'attr.result == "declined"' --since 7d --action warn --reason "..."
garrison retroactive approve retro_01...     # another person, over the threshold
garrison retroactive undo retro_01...        # compensate or cancel everything it did
garrison retroactive list
"""  # noqa: E501

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.bootstrap import Container
from garrison.domain.actions import ActionTemplate
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.retroactive import RetroAction, Target, TargetKind
from garrison.entrypoints.cli.environment import open_container
from garrison.entrypoints.cli.search import operator
from garrison.services.search_export import parse_since

retroactive = typer.Typer(help="Act on a whole ring or search result: preview, approve, undo.")

Ring = Annotated[str | None, typer.Option("--ring", help="Act on this ring's members.")]
Query = Annotated[str | None, typer.Option("--query", help="Act on this search's results.")]
Since = Annotated[str, typer.Option(help="For --query: a look-back like 7d, or a time.")]
ActionOpt = Annotated[
    str, typer.Option("--action", help='A kind like warn, or JSON {"kind": ..., "params": ...}.')
]
Subject = Annotated[
    EntityKind, typer.Option(help="For --query: which entity of each event to act on.")
]


def _parsed(
    container: Container, ring: str | None, query: str | None, since: str, action: str
) -> tuple[Target, ActionTemplate]:
    if (ring is None) == (query is None):
        raise InvalidInput("give exactly one of --ring and --query", field="target")
    if ring is not None:
        target = Target(TargetKind.RING, ring)
    else:
        assert query is not None
        target = Target(TargetKind.QUERY, query, parse_since(since, container.clock.now()))
    raw = action.strip()
    try:
        spec = json.loads(raw) if raw.startswith("{") else raw
    except json.JSONDecodeError as error:
        raise InvalidInput(f"--action is not JSON: {error.msg}", field="action") from None
    return target, ActionTemplate.parse(spec, field_name="action")


@retroactive.command("preview")
def preview(
    ring: Ring = None,
    query: Query = None,
    since: Since = "7d",
    action: ActionOpt = "enqueue_review",
    subject: Subject = EntityKind.ACCOUNT,
) -> None:
    """Who it would reach and how many; nothing is written."""
    with open_container() as container:
        target, template = _parsed(container, ring, query, since, action)
        found = container.search.retroactive.preview(operator(), target, template, subject)
    typer.echo(f"{found.count} subjects ({target.describe()}, {template.kind})")
    if found.over_cap:
        typer.echo(f"over the cap of {found.limits.cap}: it would be refused")
    elif found.needs_approval:
        typer.echo(f"over {found.limits.approval_over}: it would wait for a second approver")
    for ref in found.sample:
        typer.echo(f"  {ref}")


@retroactive.command("apply")
def apply(
    reason: Annotated[str, typer.Option(help="Why (kept with every action).")],
    ring: Ring = None,
    query: Query = None,
    since: Since = "7d",
    action: ActionOpt = "enqueue_review",
    subject: Subject = EntityKind.ACCOUNT,
) -> None:
    """Act on every subject now, or wait for a second approver over the threshold."""
    with open_container() as container:
        target, template = _parsed(container, ring, query, since, action)
        retro = container.search.retroactive.request(operator(), target, template, subject, reason)
    _print([retro])


@retroactive.command("approve")
def approve(retro_id: Annotated[str, typer.Argument(help="The retroactive action's id.")]) -> None:
    """Approve someone else's retroactive action: its actions are planned now."""
    with open_container() as container:
        _print([container.search.retroactive.approve(operator(), retro_id)])


@retroactive.command("reject")
def reject(retro_id: Annotated[str, typer.Argument(help="The retroactive action's id.")]) -> None:
    with open_container() as container:
        _print([container.search.retroactive.reject(operator(), retro_id)])


@retroactive.command("undo")
def undo(retro_id: Annotated[str, typer.Argument(help="The retroactive action's id.")]) -> None:
    """Reverse it in one step: compensate what was done, cancel what was not yet."""
    with open_container() as container:
        _print([container.search.retroactive.undo(operator(), retro_id)])


@retroactive.command("list")
def list_actions() -> None:
    """Recent retroactive actions, newest first."""
    with open_container() as container:
        found = container.search.retroactive.recent(operator())
    if not found:
        typer.echo("no retroactive actions")
        return
    _print(found)


def _print(found: list[RetroAction]) -> None:
    table = Table("id", "status", "target", "kind", "subjects", "requested by", "approved by")
    for r in found:
        table.add_row(
            r.id,
            r.status,
            r.target.describe(),
            r.template.kind,
            str(len(r.subjects)),
            r.requested_by,
            r.approved_by or "",
        )
    Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200).print(table)
