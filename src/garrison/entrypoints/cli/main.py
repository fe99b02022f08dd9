"""The `garrison` command: the Typer app and the commands registered on it.

Every command runs inside `GarrisonGroup`, so an expected failure prints one red line on stderr
and exits non-zero. `python -m garrison.entrypoints.cli.main` works like the console script.
"""

from __future__ import annotations

import typer

from garrison.entrypoints.cli.access import keys, users
from garrison.entrypoints.cli.audit import audit
from garrison.entrypoints.cli.case_work import cases
from garrison.entrypoints.cli.database import migrate
from garrison.entrypoints.cli.demo import demo
from garrison.entrypoints.cli.enforcement import actions, appeals, approvals
from garrison.entrypoints.cli.entity_labels import labels
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.graph import graph
from garrison.entrypoints.cli.incidents import incidents
from garrison.entrypoints.cli.investigations import register_investigations
from garrison.entrypoints.cli.lists import lists
from garrison.entrypoints.cli.model import model
from garrison.entrypoints.cli.policies import policies
from garrison.entrypoints.cli.processes import serve, worker
from garrison.entrypoints.cli.quality import quality
from garrison.entrypoints.cli.review import queues
from garrison.entrypoints.cli.rules import rules
from garrison.entrypoints.cli.simulate import simulate
from garrison.entrypoints.cli.trends import report, trends
from garrison.entrypoints.cli.user_reports import reports
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
register_investigations(app)
app.add_typer(trends, name="trends")
app.add_typer(incidents, name="incidents")
app.add_typer(report, name="ops-report")
app.add_typer(actions, name="actions")
app.add_typer(approvals, name="approvals")
app.add_typer(appeals, name="appeals")
app.add_typer(queues, name="queues")
app.add_typer(cases, name="cases")
app.add_typer(reports, name="reports")
app.add_typer(model, name="model")
app.add_typer(policies, name="policies")
app.add_typer(quality, name="quality")

app.command("simulate")(simulate)

if __name__ == "__main__":
    app()
