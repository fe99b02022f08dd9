"""`garrison trends` and `garrison ops-report`: spikes and shifts per segment, emerging clusters,
the weekly operations report and CSV exports of every metric.

    garrison trends scan --sensitivity 0.8       # one detection pass now
    garrison trends alerts --status open         # alerts, newest first
    garrison trends clusters                     # growing clusters no rule matches
    garrison ops-report weekly --out week.html       # self-contained HTML with charts
    garrison ops-report csv rule_hits --days 7 --out hits.csv
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from garrison.adapters.report_html import render_weekly
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus
from garrison.entrypoints.cli.environment import cli_actor, open_container
from garrison.entrypoints.web.schemas.trends import alert_wire, cluster_wire
from garrison.services.dashboards import Metric
from garrison.services.reports import to_csv
from garrison.services.trends import parse_bucket
from garrison.simulator.timing import as_utc

trends = typer.Typer(help="Spikes and shifts per segment, and emerging clusters.")
report = typer.Typer(help="The weekly operations report and CSV exports of every metric.")

Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")]


def _line(alert: TrendAlert) -> str:
    return (
        f"{alert.id}  {alert.status:<12} {alert.kind:<5} {alert.segment}  "
        f"{alert.observed} vs {alert.expected:.1f} (x{alert.change:.1f}, score {alert.score:.1f})"
        f"  since {alert.started_at:%Y-%m-%d %H:%M}  {alert.search_url}"
    )


@trends.command("scan")
def scan(
    until: Annotated[
        datetime | None, typer.Option(help="Scan the buckets completed by then (UTC).")
    ] = None,
    sensitivity: Annotated[
        float, typer.Option(min=0.05, max=10, help="Multiplies thresholds; below 1 is keener.")
    ] = 1.0,
    as_json: Json = False,
) -> None:
    """Run one detection pass now and print the alerts it raised or extended."""
    with open_container() as container:
        found = container.watch.trends.scan(
            until=as_utc(until) if until else None, sensitivity=sensitivity, actor=cli_actor()
        )
    if as_json:
        typer.echo(json.dumps([alert_wire(a) for a in found.raised], default=str, indent=2))
        return
    since, end = found.window
    typer.echo(
        f"{found.events} events, {found.segments} segments, {since:%F %H:%M}..{end:%F %H:%M}"
    )
    for alert in found.raised:
        typer.echo("raised    " + _line(alert))
    for alert in found.extended:
        typer.echo("extended  " + _line(alert))


@trends.command("alerts")
def alerts(
    status: Annotated[TrendAlertStatus | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Json = False,
) -> None:
    """Trend alerts, newest first."""
    with open_container() as container:
        found = container.watch.trends.alerts(status=status, limit=limit)
    if as_json:
        typer.echo(json.dumps([alert_wire(a) for a in found], default=str, indent=2))
        return
    for alert in found:
        typer.echo(_line(alert))
    if not found:
        typer.echo("no trend alerts (run `garrison trends scan`)")


@trends.command("ack")
def ack(alert_id: str) -> None:
    """Acknowledge an alert: later spikes of its segment raise a new one."""
    with open_container() as container:
        done = container.watch.trends.acknowledge(TrendAlertId(alert_id), actor=cli_actor())
    typer.echo(f"acknowledged {done.id} ({done.segment})")


@trends.command("clusters")
def clusters(
    all_clusters: Annotated[
        bool, typer.Option("--all", help="Every cluster, not only emerging unmatched ones.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Clusters of near-duplicate and similar content and reports in the last day."""
    with open_container() as container:
        service = container.watch.clusters
        found = service.clusters() if all_clusters else service.emerging()
    if as_json:
        typer.echo(json.dumps([cluster_wire(c) for c in found], default=str, indent=2))
        return
    for c in found:
        accounts = ", ".join(f"{a} ({n})" for a, n in c.accounts[:3])
        typer.echo(
            f"{c.id}  {c.size} items (x{c.growth:.1f} growth)  terms: {' '.join(c.top_terms)}"
        )
        typer.echo(f"    rules: {', '.join(c.rules) or 'none'}  accounts: {accounts}")
        for example in c.examples:
            typer.echo(f"    > {example[:120]}")
    if not found:
        typer.echo("no emerging clusters")


@report.command("weekly")
def weekly(
    out: Annotated[Path, typer.Option(help="HTML file to write.")],
    until: Annotated[datetime | None, typer.Option(help="End of the week (UTC).")] = None,
) -> None:
    """Write the weekly operations report: one self-contained HTML file with charts."""
    with open_container() as container:
        html = render_weekly(container.watch.reports.weekly(as_utc(until) if until else None))
    out.write_text(html)
    typer.echo(f"weekly report written to {out}")


@report.command("csv")
def csv(
    metric: Annotated[Metric, typer.Argument(help="Which metric.")],
    days: Annotated[float, typer.Option(min=0.01, max=366, help="How many days back.")] = 7.0,
    bucket: Annotated[str, typer.Option(help="Bucket width for volumes: 15m, 1h, 1d.")] = "1h",
    since: Annotated[datetime | None, typer.Option(help="Start (UTC); overrides --days.")] = None,
    out: Annotated[Path | None, typer.Option(help="CSV file (default: stdout).")] = None,
) -> None:
    """Export one metric as CSV."""
    width = parse_bucket(bucket)
    with open_container() as container:
        start, end = container.watch.dashboards.window(days, width)
        if since is not None:
            start = as_utc(since)
        text = to_csv(container.watch.reports.metric(metric, start, end, width))
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text)
    typer.echo(f"{metric} written to {out}")
