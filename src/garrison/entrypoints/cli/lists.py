"""`garrison lists`: the value lists rules read with `in_list(...)`.

Files hold one entry per line; blank lines and lines starting with `#` are skipped, and `-` reads
standard input. `show` prints the list in that same format, so its output can be uploaded again.
A malformed entry is reported with its line number and nothing is changed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from garrison.domain.errors import InvalidInput
from garrison.domain.lists import ListKind, ValueList, parse_lines
from garrison.entrypoints.cli.environment import cli_actor, open_container

lists = typer.Typer(help="Value lists that rules read with in_list().")

T = TypeVar("T")
_ENTRY_INDEX = re.compile(r"entries\[(\d+)\]")

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The list's name.")]
FileArg = Annotated[
    Path,
    typer.Argument(metavar="FILE", help="One entry per line ('#' comments); '-' is stdin."),
]


def read_entries(path: Path) -> tuple[list[str], list[int]]:
    """The entries of a file and the line number of each."""
    text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")
    found = parse_lines(text)
    return [entry for _, entry in found], [line for line, _ in found]


def with_lines(path: Path, lines: list[int], write: Callable[[], T]) -> T:
    """Run `write`; an error about `entries[i]` is reported as the file's line instead."""
    try:
        return write()
    except InvalidInput as error:
        match = _ENTRY_INDEX.fullmatch(error.field or "")
        if match is None or int(match.group(1)) >= len(lines):
            raise
        line = lines[int(match.group(1))]
        raise InvalidInput(f"{path}:{line}: {error.message}", field=f"line {line}") from None


def _summary_line(value_list: ValueList, verb: str) -> str:
    size = len(value_list.entries)
    return (
        f"list {value_list.name} {verb}: {size} entr{'y' if size == 1 else 'ies'}, "
        f"version {value_list.version}"
    )


@lists.command("create")
def create_list(
    name: NameArg,
    kind: Annotated[ListKind, typer.Option(help="What the entries are.", case_sensitive=False)],
    file: Annotated[Path | None, typer.Option(help="Entries to start with (see upload).")] = None,
    description: Annotated[str, typer.Option(help="What the list is for.")] = "",
) -> None:
    """Create a list, empty or with the entries of a file."""
    entries, lines = read_entries(file) if file is not None else ([], [])
    with open_container() as container:
        created = with_lines(
            file or Path("-"),
            lines,
            lambda: container.lists.create(
                name, kind, entries, description=description, actor=cli_actor()
            ),
        )
    typer.echo(_summary_line(created, "created"))


@lists.command("upload")
def upload_list(name: NameArg, file: FileArg) -> None:
    """Replace every entry of a list with the entries of a file, all at once."""
    entries, lines = read_entries(file)
    with open_container() as container:
        saved = with_lines(
            file, lines, lambda: container.lists.replace(name, entries, actor=cli_actor())
        )
    typer.echo(_summary_line(saved, "replaced"))


@lists.command("add")
def add_entries(
    name: NameArg,
    values: Annotated[list[str], typer.Argument(metavar="VALUE...", help="Entries to add.")],
) -> None:
    """Add entries to a list."""
    with open_container() as container:
        saved = container.lists.add_entries(name, values, actor=cli_actor())
    typer.echo(_summary_line(saved, "updated"))


@lists.command("remove")
def remove_entries(
    name: NameArg,
    values: Annotated[list[str], typer.Argument(metavar="VALUE...", help="Entries to remove.")],
) -> None:
    """Remove entries from a list (entries it does not hold are ignored)."""
    with open_container() as container:
        saved = container.lists.remove_entries(name, values, actor=cli_actor())
    typer.echo(_summary_line(saved, "updated"))


@lists.command("show")
def show_list(name: NameArg) -> None:
    """Print a list: a `#` header, then one entry per line (upload reads it back)."""
    with open_container() as container:
        found = container.lists.get(name)
    typer.echo(f"# {found.name} ({found.kind}), version {found.version}")
    if found.description:
        typer.echo(f"# {found.description}")
    for entry in found.entries:
        typer.echo(entry)


@lists.command("list")
def list_lists() -> None:
    """List every list: name, kind, size, version, last change and description, one per line."""
    with open_container() as container:
        summaries = container.lists.summaries()
    if not summaries:
        typer.echo("no lists")
        return
    width = max(len(s.name) for s in summaries)
    for s in summaries:
        updated = s.updated_at.isoformat(timespec="seconds")
        line = (
            f"{s.name:<{width}}  {s.kind.value:<13}  {s.size:>7} entries  v{s.version}  {updated}"
        )
        typer.echo(f"{line}  {s.description}".rstrip())


@lists.command("delete")
def delete_list(name: NameArg) -> None:
    """Delete a list; rules that read it then see it as empty."""
    with open_container() as container:
        container.lists.delete(name, actor=cli_actor())
    typer.echo(f"list {name} deleted")
