"""`garrison search` and `garrison queries`: find events with the rule language; saved queries.

    garrison search 'attr.result == "declined"' --since 7d          # newest matches, histogram
    garrison search 'type == "payment.attempt"' --since 1d --format csv > out.csv
    garrison queries save declines 'attr.result == "declined"' --window 7d --shared
    garrison queries list
    garrison queries run sq_01...

Runs as the person at the terminal (`cli:<login>`), with rights to read personal data: the CLI
is for operators who hold the database anyway. Every run is audited.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.ids import PrincipalId
from garrison.domain.saved_queries import SavedQuery
from garrison.entrypoints.cli.environment import cli_actor, open_container
from garrison.services.search import SearchRequest, SearchResult
from garrison.services.search_export import events_csv, parse_since, shown_event

queries = typer.Typer(help="Saved search queries: store, share, list, run and delete.")
BAR_WIDTH = 40
PIPE_WIDTH = 200


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


Since = Annotated[str, typer.Option(help="A look-back like 7d, or an ISO 8601 time.")]
Limit = Annotated[int, typer.Option(min=1, max=10_000, help="Matching events to show.")]
Output = Annotated[Format, typer.Option("--format", help="table, json or csv (every match).")]


def operator() -> Principal:
    """Whoever runs the command, as a person with admin rights."""
    name = cli_actor()
    return Principal(PrincipalId(name), PrincipalKind.PERSON, name, Role.ADMIN)


def search(
    expression: Annotated[str, typer.Argument(help="A condition in the rule language.")],
    since: Since = "7d",
    until: Annotated[
        datetime | None, typer.Option(help="End of the range (exclusive); now if not given.")
    ] = None,
    limit: Limit = 50,
    output: Output = Format.TABLE,
) -> None:
    """Find events matching an expression, with a histogram and the entities they name."""
    with open_container() as container:
        start = parse_since(since, container.clock.now())
        request = SearchRequest(expression, start, until, limit)
        if output is Format.CSV:
            container.search.queries.check(expression)
            for line in events_csv(container.search.queries.matches(request), reveal=True):
                sys.stdout.write(line)
            return
        result = container.search.queries.search(operator(), request)
    _show(result, output)


@queries.command("save")
def save(
    name: Annotated[str, typer.Argument(help="A name to find it by.")],
    expression: Annotated[str, typer.Argument(help="A condition in the rule language.")],
    window: Annotated[str, typer.Option(help="How far back it looks when run.")] = "7d",
    shared: Annotated[bool, typer.Option("--shared", help="Everyone who may search sees it.")] = (
        False
    ),
) -> None:
    """Check a query and store it."""
    with open_container() as container:
        query = container.search.saved.save(
            operator(), name=name, expression=expression, window=window, shared=shared
        )
    typer.echo(f"saved {query.id} ({query.name})")


@queries.command("list")
def list_queries() -> None:
    """Your saved queries and every shared one, newest first."""
    with open_container() as container:
        found = container.search.saved.list(operator())
    if not found:
        typer.echo("no saved queries")
        return
    _print(_query_table(found))


@queries.command("run")
def run(
    query_id: Annotated[str, typer.Argument(help="The saved query's id.")],
    limit: Limit = 50,
    output: Output = Format.TABLE,
) -> None:
    """Run a saved query over its window, up to now."""
    with open_container() as container:
        request = container.search.saved.request(operator(), query_id, limit=limit)
        if output is Format.CSV:
            for line in events_csv(container.search.queries.matches(request), reveal=True):
                sys.stdout.write(line)
            return
        result = container.search.queries.search(operator(), request)
    _show(result, output)


@queries.command("delete")
def delete(query_id: Annotated[str, typer.Argument(help="The saved query's id.")]) -> None:
    """Delete a saved query (yours, or any as an admin)."""
    with open_container() as container:
        container.search.saved.delete(operator(), query_id)
    typer.echo(f"deleted {query_id}")


def _show(result: SearchResult, output: Format) -> None:
    if output is Format.JSON:
        body = {
            "matched": result.matched,
            "scanned": result.scanned,
            "truncated": result.truncated,
            "bucket_seconds": result.bucket_seconds,
            "histogram": [[b.start.isoformat(), b.count] for b in result.histogram],
            "entities": [[str(e.ref), e.events] for e in result.entities],
            "events": [shown_event(e, reveal=True) for e in result.events],
        }
        typer.echo(json.dumps(body, indent=2))
        return
    typer.echo(
        f"{result.matched} of {result.scanned} events matched"
        + (" (scan truncated)" if result.truncated else "")
    )
    _print(_histogram(result))
    events = Table("id", "type", "occurred_at", "subject")
    for event in result.events:
        subject = event.subject
        events.add_row(event.id, event.type, event.occurred_at.isoformat(), str(subject or ""))
    _print(events)


def _histogram(result: SearchResult) -> Table:
    table = Table("from", "events", "")
    peak = max((b.count for b in result.histogram), default=0) or 1
    for bucket in result.histogram:
        if bucket.count:
            bar = "#" * max(1, round(BAR_WIDTH * bucket.count / peak))
            table.add_row(bucket.start.isoformat(timespec="minutes"), str(bucket.count), bar)
    return table


def _query_table(found: list[SavedQuery]) -> Table:
    table = Table("id", "name", "window", "owner", "shared", "expression")
    for q in found:
        table.add_row(q.id, q.name, q.window, q.owner, "yes" if q.shared else "", q.expression)
    return table


def _print(table: Table) -> None:
    Console(soft_wrap=True, width=None if sys.stdout.isatty() else PIPE_WIDTH).print(table)
