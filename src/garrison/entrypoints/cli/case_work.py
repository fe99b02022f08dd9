"""The rest of `garrison cases`: comments, evidence, timeline, reopen, merge, split, bulk.

Adds its commands to the `cases` app of `cli.review`; `cli.main` registers that app from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from garrison.domain.cases import Outcome
from garrison.domain.entities import EntityRef
from garrison.domain.ids import CaseId, DecisionId, QueueName, ReportId
from garrison.entrypoints.cli.environment import open_container
from garrison.entrypoints.cli.review import CaseArg, cases, operator
from garrison.services.bulk import BulkKind, BulkRequest

__all__ = ["cases"]
Reason = Annotated[str, typer.Option(help="Why (kept on the case's timeline).")]


@cases.command("comment")
def comment(case_id: CaseArg, text: Annotated[str, typer.Argument(help="The comment.")]) -> None:
    """Add a comment to a case."""
    with open_container() as container:
        note = container.case_work.comment(operator(), CaseId(case_id), text)
    typer.echo(f"comment {note.id} added to {case_id}")


@cases.command("attach")
def attach(
    case_id: CaseArg,
    file: Annotated[Path | None, typer.Option(help="A small file to keep with the case.")] = None,
    url: Annotated[str | None, typer.Option(help="A link to keep instead.")] = None,
    name: Annotated[str | None, typer.Option(help="Its name (default: the file's).")] = None,
    media_type: Annotated[str, typer.Option(help="The file's media type.")] = "",
) -> None:
    """Attach evidence (a file or a URL); its sha256 is recorded."""
    if (file is None) == (url is None):
        raise typer.BadParameter("give --file or --url, not both")
    with open_container() as container:
        work = container.case_work
        if url is not None:
            found = work.attach_link(operator(), CaseId(case_id), name=name or url, url=url)
        elif file is not None:
            found = work.attach_file(
                operator(),
                CaseId(case_id),
                name=name or file.name,
                media_type=media_type,
                content=file.read_bytes(),
            )
    typer.echo(f"evidence {found.id} ({found.size} bytes, sha256 {found.sha256})")


@cases.command("timeline")
def show_timeline(case_id: CaseArg) -> None:
    """Everything that happened on a case, oldest first."""
    with open_container() as container:
        entries = container.case_work.timeline(operator(), CaseId(case_id))
    for e in entries:
        typer.echo(
            f"{e.at.isoformat(timespec='seconds')}  {e.kind.value:<9} {e.actor}: {e.summary}"
        )


@cases.command("reopen")
def reopen(case_id: CaseArg, reason: Reason) -> None:
    """Open a resolved case again."""
    with open_container() as container:
        case = container.case_work.reopen(operator(), CaseId(case_id), reason)
    typer.echo(f"{case.id} reopened in {case.queue}")


@cases.command("merge")
def merge(
    case_id: CaseArg,
    into: Annotated[str, typer.Option(help="The case that stays open.")],
    reason: Reason,
) -> None:
    """Close a case into another one; its decisions and reports move over."""
    with open_container() as container:
        kept = container.case_work.merge(operator(), CaseId(case_id), CaseId(into), reason)
    typer.echo(f"{case_id} merged into {kept.id}")


@cases.command("split")
def split(
    case_id: CaseArg,
    subject: Annotated[str, typer.Option(help="The new case's subject, kind:id.")],
    reason: Reason,
    decision: Annotated[list[str] | None, typer.Option(help="A decision to move.")] = None,
    report: Annotated[list[str] | None, typer.Option(help="A report to move.")] = None,
) -> None:
    """Move decisions and reports off a case into a new one."""
    with open_container() as container:
        new = container.case_work.split(
            operator(),
            CaseId(case_id),
            subject=EntityRef.parse(subject, field="subject"),
            decision_ids=[DecisionId(d) for d in decision or ()],
            report_ids=[ReportId(r) for r in report or ()],
            reason=reason,
        )
    typer.echo(f"new case {new.id} for {new.subject}")


@cases.command("bulk")
def bulk(
    kind: Annotated[BulkKind, typer.Argument(help="resolve, reassign or escalate.")],
    case_ids: Annotated[list[str], typer.Argument(metavar="CASE...", help="The cases.")],
    outcome: Annotated[Outcome | None, typer.Option(help="For resolve.")] = None,
    policy: Annotated[str | None, typer.Option(help="For a violating resolve.")] = None,
    queue: Annotated[str | None, typer.Option(help="For reassign.")] = None,
    reason: Annotated[str, typer.Option(help="Why (required to escalate).")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Execute; without it, only preview.")] = False,
) -> None:
    """Preview a bulk action on many cases; run it with --yes."""
    request = BulkRequest(
        kind,
        tuple(CaseId(c) for c in case_ids),
        outcome=outcome,
        policy=policy,
        queue=QueueName(queue) if queue else None,
        reason=reason,
    )
    with open_container() as container:
        preview = container.bulk.preview(operator(), request)
        for case_id, why in preview.refused:
            typer.echo(f"skip {case_id}: {why}")
        if not yes:
            typer.echo(f"would {kind.value} {len(preview.eligible)} case(s); add --yes to run")
            return
        result = container.bulk.execute(operator(), request, preview.token)
    typer.echo(f"{kind.value}: {len(result.done)} done, {len(result.failed)} not")
