"""`garrison keys` and `garrison users`: issue API keys for machines and accounts for people."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from garrison.domain.access import Role
from garrison.entrypoints.cli.environment import cli_actor, open_container

keys = typer.Typer(help="API keys for machines (the host platform, the simulator).")
users = typer.Typer(help="Console accounts for people (analysts, reviewers, admins).")

RoleOption = Annotated[
    Role, typer.Option("--role", help="What the holder may do.", case_sensitive=False)
]


@keys.command("create")
def create_key(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="What the key is for, e.g. `host-platform`.")
    ],
    role: RoleOption,
) -> None:
    """Issue an API key. The key is printed once, alone on the last line of stdout.

    Capture it with `garrison keys create NAME --role ingest | tail -1`.
    """
    with open_container() as container:
        issued = container.access.create_api_key(name, role, actor=cli_actor())
    principal = issued.principal
    typer.echo(f"Created API key {principal.name!r} with role {principal.role} ({principal.id}).")
    typer.echo("Store it now: only its hash is kept, it cannot be shown again.")
    typer.echo(issued.key)


def read_password(from_stdin: bool) -> str:
    """The password from stdin (one trailing newline dropped) or typed twice, hidden."""
    if from_stdin:
        text = sys.stdin.read()
        return text.removesuffix("\n").removesuffix("\r")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users.command("create")
def create_user(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="Login email address.")],
    role: RoleOption,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from stdin instead of prompting (for scripts).",
        ),
    ] = False,
) -> None:
    """Create a console account that logs in with email and password (12 characters or more)."""
    password = read_password(password_stdin)
    with open_container() as container:
        principal = container.access.create_user(email, role, password, actor=cli_actor())
    typer.echo(f"Created user {principal.name} with role {principal.role} ({principal.id}).")
