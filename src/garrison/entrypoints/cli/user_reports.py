"""`garrison reports`: file user reports, read reporters' records, mute abusive reporters."""

from __future__ import annotations

from typing import Annotated

import typer

from garrison.domain.access import Role
from garrison.domain.entities import EntityRef, Tier
from garrison.domain.user_reports import ReporterKind
from garrison.entrypoints.cli.environment import open_container
from garrison.entrypoints.cli.review import operator
from garrison.services.user_reports import ReportIn

reports = typer.Typer(help="User reports and reporters: file, show, mute, unmute.")
ReporterArg = Annotated[str, typer.Argument(metavar="REPORTER", help="The reporter's id.")]


@reports.command("file")
def file_report(
    subject: Annotated[str, typer.Argument(metavar="ENTITY", help="kind:id of what is reported.")],
    report_type: Annotated[str, typer.Argument(metavar="TYPE", help="spam, harassment, ...")],
    reporter: Annotated[str, typer.Option(help="Who reports.")],
    text: Annotated[str, typer.Option(help="What they wrote.")] = "",
    automated: Annotated[
        bool, typer.Option("--automated", help="A flagger, not a person.")
    ] = False,
    tier: Annotated[Tier | None, typer.Option(help="The subject's customer tier.")] = None,
    language: Annotated[str | None, typer.Option(help="BCP 47 tag.")] = None,
) -> None:
    """File a report as the host platform would (for tests and back-filling)."""
    kind = ReporterKind.AUTOMATED if automated else ReporterKind.PERSON
    filed = ReportIn(
        reporter,
        kind,
        EntityRef.parse(subject, field="subject"),
        report_type,
        text,
        language=language,
        subject_tier=tier,
    )
    with open_container() as container:
        done = container.user_reports.file(operator(Role.INGEST), filed)
    where = f"case {done.case.id} in {done.case.queue}" if done.case else "no case (muted)"
    typer.echo(f"report {done.report.id}: {where}")


@reports.command("show")
def show_reporter(reporter: ReporterArg) -> None:
    """A reporter's record, reputation and latest reports."""
    with open_container() as container:
        found = container.user_reports.reporter(operator(), reporter)
    r = found.reporter
    muted = f", muted: {r.muted_reason}" if r.muted else ""
    typer.echo(
        f"{r.id} ({r.kind.value}): {r.upheld} upheld, {r.rejected} rejected, "
        f"reputation {r.reputation:.2f}{muted}"
    )
    for report in found.reports:
        typer.echo(f"  {report.id} {report.subject} {report.report_type} {report.status.value}")


@reports.command("mute")
def mute(
    reporter: ReporterArg, reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")]
) -> None:
    """Mute an abusive reporter: their reports are kept but open no case."""
    with open_container() as container:
        container.user_reports.mute(operator(), reporter, reason)
    typer.echo(f"{reporter} muted")


@reports.command("unmute")
def unmute(reporter: ReporterArg) -> None:
    with open_container() as container:
        container.user_reports.unmute(operator(), reporter)
    typer.echo(f"{reporter} unmuted")


@reports.command("muted")
def list_muted() -> None:
    """Muted reporters."""
    with open_container() as container:
        found = container.user_reports.reporters(operator(), muted=True, limit=500)
    for r in found:
        typer.echo(f"{r.id}\t{r.kind.value}\t{r.muted_reason}")
