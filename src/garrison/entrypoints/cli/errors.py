"""Expected failures become one red line on stderr and a non-zero exit, never a traceback.

Every command runs inside `GarrisonGroup`, the app's root Click group, so the rule holds for all
of them: domain errors (`GarrisonError`), bad arguments (Click usage errors) and a database that
cannot be reached or has no schema yet, and files that cannot be read or written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import typer
from alembic.util import CommandError as MigrationError
from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from typer.core import TyperGroup

from garrison.domain.errors import GarrisonError

FAILURE_EXIT = 1
_SCHEMA_HINTS = ("no such table", "does not exist", "undefinedtable")


def print_error(message: str) -> None:
    """Write `error: message` in red on stderr, on one line whatever the terminal width."""
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text(f"error: {first_line}", style="bold red")
    )


def describe_database_error(error: OperationalError | ProgrammingError) -> str:
    """One line about a failed database call, without SQL text or driver noise."""
    cause = str(error.orig) if error.orig is not None else str(error)
    line = cause.strip().splitlines()[0] if cause.strip() else type(error).__name__
    if any(hint in cause.lower() for hint in _SCHEMA_HINTS):
        return f"database has no Garrison schema ({line}); run `garrison migrate` first"
    return f"database unavailable: {line}"


def _argument_message(error: typer.TyperException | click.ClickException) -> str:
    """Click's message about bad arguments, pointing at the help of the command concerned."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "garrison"
    return f"{error.format_message()} (see `{command} --help`)"


@contextmanager
def clean_errors() -> Iterator[None]:
    """Turn expected failures into a red line and `typer.Exit` with a non-zero code.

    `typer.TyperException` is the base of Click's errors (usage errors, bad parameters) in the
    Click that Typer ships; `click.ClickException` covers a command raising the standalone Click's.
    """
    try:
        yield
    except (typer.TyperException, click.ClickException) as error:
        print_error(_argument_message(error))
        raise typer.Exit(error.exit_code or FAILURE_EXIT) from None
    except GarrisonError as error:
        field = f" (field: {error.field})" if error.field else ""
        print_error(f"{error.message}{field}")
        raise typer.Exit(FAILURE_EXIT) from None
    except (OperationalError, ProgrammingError) as error:
        print_error(describe_database_error(error))
        raise typer.Exit(FAILURE_EXIT) from None
    except ArgumentError as error:
        print_error(f"invalid database URL: {error}")
        raise typer.Exit(FAILURE_EXIT) from None
    except MigrationError as error:
        print_error(f"migration failed: {error}")
        raise typer.Exit(FAILURE_EXIT) from None
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise  # a closed pipe on stdout (`| head`) is Click's to handle, quietly
        where = f": {error.filename}" if error.filename else ""
        print_error(f"{error.strerror or error}{where}")
        raise typer.Exit(FAILURE_EXIT) from None


class GarrisonGroup(TyperGroup):
    """The root group: argument parsing and every subcommand run inside `clean_errors`."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        with clean_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with clean_errors():
            return super().invoke(ctx)
