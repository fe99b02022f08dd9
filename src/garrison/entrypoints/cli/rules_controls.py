"""`garrison rules snooze | unsnooze | snoozes | restore | alerts | shadow-report`: controls on
the live release that need no new release, and what watching rules would have done."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.entities import EntityRef
from garrison.domain.rule_controls import AlertId, SnoozeId, parse_duration, parse_moment
from garrison.domain.shadow import ShadowReport
from garrison.entrypoints.cli.environment import cli_actor, open_container

RuleName = Annotated[str, typer.Argument(metavar="RULE", help="A rule of the live release.")]


def snooze(
    rule: RuleName,
    entity: Annotated[
        str, typer.Argument(metavar="ENTITY", help="`kind:id`, e.g. `account:acct_42`.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the audit log).")],
    duration: Annotated[
        str, typer.Option("--for", metavar="SPAN", help="How long, like `24h` or `7d`.")
    ] = "24h",
) -> None:
    """Stop a rule from firing for events naming one entity, for a while."""
    ref = EntityRef.parse(entity, field="entity")
    with open_container() as container:
        until = container.clock.now() + parse_duration(duration, field="for")
        made = container.rule_controls.snooze(rule, ref, until, actor=cli_actor(), reason=reason)
    typer.echo(f"snoozed {made.rule} for {made.entity} until {_time(made.until)} ({made.id})")


def unsnooze(
    snooze_id: Annotated[str, typer.Argument(metavar="SNOOZE_ID", help="From `rules snoozes`.")],
) -> None:
    """End a snooze now."""
    with open_container() as container:
        lifted = container.rule_controls.lift(SnoozeId(snooze_id), actor=cli_actor())
    typer.echo(f"snooze {lifted.id} ended: {lifted.rule} fires again for {lifted.entity}")


def snoozes(
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule's snoozes.")] = None,
    include_ended: Annotated[bool, typer.Option("--all", help="Ended snoozes too.")] = False,
) -> None:
    """List snoozes, newest first."""
    with open_container() as container:
        found = container.rule_controls.snoozes(rule=rule, include_ended=include_ended)
    if not found:
        typer.echo("no snoozes")
        return
    table = table_of("id", "rule", "entity", "until", "by", "reason")
    for item in found:
        table.add_row(
            item.id, item.rule, str(item.entity), _time(item.until), item.actor, item.reason
        )
    Console(soft_wrap=True).print(table)


def restore(rule: RuleName) -> None:
    """Undo a daily-cap demotion: the rule acts again in the live release."""
    with open_container() as container:
        container.rule_controls.restore(rule, actor=cli_actor())
    typer.echo(f"rule {rule} restored: it acts again")


def alerts(
    include_acknowledged: Annotated[
        bool, typer.Option("--all", help="Acknowledged alerts too.")
    ] = False,
    acknowledge: Annotated[
        str | None, typer.Option("--ack", metavar="ALERT_ID", help="Acknowledge this alert.")
    ] = None,
) -> None:
    """List open alerts (rules demoted at their daily cap), or acknowledge one."""
    with open_container() as container:
        if acknowledge is not None:
            done = container.rule_controls.acknowledge(AlertId(acknowledge), actor=cli_actor())
            typer.echo(f"alert {done.id} acknowledged")
            return
        found = container.rule_controls.alerts(acknowledged=None if include_acknowledged else False)
    if not found:
        typer.echo("no alerts")
        return
    table = table_of("id", "kind", "rule", "at", "details", "acknowledged")
    for alert in found:
        details = ", ".join(f"{k}={v}" for k, v in sorted(alert.details.items()))
        table.add_row(
            alert.id,
            alert.kind.value,
            alert.rule,
            _time(alert.created_at),
            details,
            alert.acknowledged_by or "",
        )
    Console(soft_wrap=True).print(table)


def shadow_report(
    since: Annotated[
        str, typer.Option("--since", help="A span back from now (`24h`) or an ISO time.")
    ] = "24h",
    until: Annotated[str | None, typer.Option("--until", help="An ISO time; now if none.")] = None,
) -> None:
    """What shadow and canary rules did: hits, verdicts they would have changed, subjects they
    would newly catch, and sample decisions."""
    with open_container() as container:
        now = container.clock.now()
        start = parse_moment(since, now, field="since")
        end = parse_moment(until, now, field="until") if until else now
        report = container.shadow.report(start, end)
    typer.echo(f"{report.decisions} decisions from {_time(report.since)} to {_time(report.until)}")
    if not report.rules:
        typer.echo("no shadow or canary rules ran in this period")
        return
    Console(soft_wrap=True).print(shadow_table(report))


def shadow_table(report: ShadowReport) -> Table:
    table = table_of(
        "rule", "stage", "evaluated", "hits", "applied", "would change", "new", "caught", "samples"
    )
    for row in report.rules:
        changes = ", ".join(f"{c.without}->{c.with_rule} x{c.count}" for c in row.changes)
        table.add_row(
            row.rule,
            str(row.stage or ""),
            str(row.evaluated),
            str(row.hits),
            str(row.applied),
            f"{row.verdict_changes}" + (f" ({changes})" if changes else ""),
            str(row.subjects_new),
            str(row.subjects_already_caught),
            " ".join(row.samples),
        )
    return table


def table_of(*headers: str) -> Table:
    """A table whose cells wrap instead of being cut, whatever the terminal's width."""
    table = Table()
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _time(at: datetime) -> str:
    return at.isoformat(timespec="seconds")
