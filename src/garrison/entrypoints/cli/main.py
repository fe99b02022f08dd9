"""The `garrison` command: the Typer app and the commands registered on it.

Every command runs inside `GarrisonGroup`, so an expected failure prints one red line on stderr
and exits non-zero. `python -m garrison.entrypoints.cli.main` works like the console script.
"""

from __future__ import annotations

import typer

from garrison.entrypoints.cli.access import keys, users
from garrison.entrypoints.cli.audit import audit
from garrison.entrypoints.cli.database import migrate
from garrison.entrypoints.cli.demo import demo
from garrison.entrypoints.cli.entity_labels import labels
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.graph import graph
from garrison.entrypoints.cli.lists import lists
from garrison.entrypoints.cli.processes import serve, worker
from garrison.entrypoints.cli.rules import rules
from garrison.entrypoints.cli.simulate import simulate
from garrison.entrypoints.cli.webhooks import webhooks

app = typer.Typer(
    cls=GarrisonGroup,
    name="garrison",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def root(ctx: typer.Context) -> None:
    """Garrison: Trust & Safety and Fraud & Risk operations for AI platforms.

    Settings come from GARRISON_ environment variables (see docs/reference/settings.md).
    """
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


app.command("migrate")(migrate)
app.command("serve")(serve)
app.command("worker")(worker)
app.command("demo")(demo)
app.add_typer(keys, name="keys")
app.add_typer(users, name="users")
app.add_typer(audit, name="audit")
app.add_typer(webhooks, name="webhooks")
app.add_typer(rules, name="rules")
app.add_typer(lists, name="lists")
app.add_typer(labels, name="labels")
app.add_typer(graph, name="graph")

app.command("simulate")(simulate)

if __name__ == "__main__":
    app()
