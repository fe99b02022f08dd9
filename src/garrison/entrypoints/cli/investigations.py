"""Registers `garrison search`, `garrison queries` and `garrison retroactive` on the app."""

from __future__ import annotations

import typer

from garrison.entrypoints.cli.retroactive import retroactive
from garrison.entrypoints.cli.search import queries, search


def register_investigations(app: typer.Typer) -> None:
    app.command("search")(search)
    app.add_typer(queries, name="queries")
    app.add_typer(retroactive, name="retroactive")
