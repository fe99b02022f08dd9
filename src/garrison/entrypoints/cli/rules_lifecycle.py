"""`garrison rules publish | approve | reject | releases | show | diff | list`: the release
lifecycle from the command line, on the configured database.

`publish PATH` checks the file (every error and every failing example or test is printed) and
stores it as the next release: live at once, or waiting for another editor's `approve` when
GARRISON_RULES_REQUIRE_APPROVAL is on. The actor is `cli:<login name>`, as for every command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.errors import InvalidInput
from garrison.domain.release_check import ReleaseRefused
from garrison.domain.release_diff import ReleaseDiff
from garrison.domain.releases import ReleaseStatus, StoredRelease
from garrison.entrypoints.cli import rules_controls
from garrison.entrypoints.cli.environment import cli_actor, open_container
from garrison.entrypoints.cli.errors import FAILURE_EXIT

RuleFile = Annotated[
    Path,
    typer.Argument(
        metavar="PATH", help="A rule file (TOML).", exists=True, dir_okay=False, readable=True
    ),
]
Version = Annotated[int, typer.Argument(metavar="VERSION", help="A release version.", min=1)]


def publish(
    path: RuleFile,
    note: Annotated[str, typer.Option("--note", help="Why this release, for reviewers.")] = "",
) -> None:
    """Check a rule file and publish it as the next release (or propose it for approval)."""
    text = path.read_text("utf-8")
    with open_container() as container:
        try:
            release = container.rules.propose(text, actor=cli_actor(), notes=note, path=str(path))
        except ReleaseRefused as refused:
            for problem in refused.problems:
                typer.echo(str(problem), err=True)
            count = len(refused.problems)
            typer.echo(
                f"refused: {count} problem{'s' if count > 1 else ''}; nothing stored", err=True
            )
            raise typer.Exit(FAILURE_EXIT) from None
    if release.status is ReleaseStatus.PUBLISHED:
        typer.echo(f"release {release.version} is live")
    else:
        typer.echo(
            f"release {release.version} is waiting for approval: another rules editor runs "
            f"`garrison rules approve {release.version}`"
        )


def approve(version: Version) -> None:
    """Approve a pending release (proposed by someone else): it goes live."""
    with open_container() as container:
        release = container.rules.approve(version, actor=cli_actor())
    typer.echo(f"release {release.version} is live")


def reject(
    version: Version,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the author.")] = "",
) -> None:
    """Reject a pending release: it never goes live."""
    with open_container() as container:
        release = container.rules.reject(version, actor=cli_actor(), reason=reason)
    typer.echo(f"release {release.version} rejected")


def releases(
    status: Annotated[
        ReleaseStatus | None,
        typer.Option(help="Only releases in this state.", case_sensitive=False),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.", min=1)] = 20,
) -> None:
    """List releases, newest first."""
    with open_container() as container:
        found = container.rules.releases(limit=limit, status=status)
    if not found:
        typer.echo("no releases" + (f" with status {status}" if status else ""))
        return
    Console(soft_wrap=True).print(_release_table(found))


def show(
    version: Annotated[
        int | None, typer.Argument(metavar="[VERSION]", help="A release; the live one if none.")
    ] = None,
) -> None:
    """Print a release's rule file, exactly as published."""
    with open_container() as container:
        release = container.rules.release(version)
    typer.echo(release.text, nl=False)


def diff(
    before: Annotated[
        str, typer.Argument(metavar="A", help="A release version, or a rule file to compare.")
    ],
    after: Annotated[
        int | None, typer.Argument(metavar="[B]", help="A release version; the live one if none.")
    ] = None,
) -> None:
    """Compare two releases, a release with the live one, or the live release with a rule file
    (`garrison rules diff PATH`): added, removed and changed rules, with a unified diff each."""
    with open_container() as container:
        if before.isdigit():
            found = container.rules.diff(int(before), after)
        elif after is not None:
            raise InvalidInput("compare a rule file with the live release only", field="B")
        else:
            path = Path(before)
            found = container.rules.diff_text(path.read_text("utf-8"), path=str(path))
    typer.echo(diff_text(found), nl=False)


def list_rules(
    version: Annotated[
        int | None, typer.Option("--version", help="A release; the live one if none.", min=1)
    ] = None,
) -> None:
    """The rules of a release: stage, owner, policy, and today's (UTC) hits and actions."""
    with open_container() as container:
        sheet = container.rules.rules(version)
    state = "live" if sheet.live else sheet.release.status.value
    typer.echo(f"release {sheet.release.version} ({state})")
    table = rules_controls.table_of("rule", "stage", "owner", "policy", "hits today", "acted today")
    for view in sheet.rules:
        stage = f"{view.stage} (demoted)" if view.demoted else str(view.stage)
        if view.rule.stage == "canary" and not view.demoted:
            stage = f"canary {view.rule.canary_percent}%"
        table.add_row(
            view.rule.name,
            stage,
            view.rule.owner,
            view.rule.policy,
            str(view.hits_today),
            str(view.acted_today),
        )
    Console(soft_wrap=True).print(table)


def diff_text(found: ReleaseDiff) -> str:
    """A diff as text: a summary line per rule, then each changed rule's unified diff."""
    if found.empty:
        return f"no rule differs between {found.before} and {found.after}\n"
    lines = [f"{found.before} -> {found.after}"]
    lines += [f"+ {rule.name} (added, {rule.stage})" for rule in found.added]
    lines += [f"- {rule.name} (removed)" for rule in found.removed]
    for change in found.changed:
        moved = f", {change.stage_before} -> {change.stage_after}" if change.stage_changed else ""
        lines.append(f"~ {change.rule} ({', '.join(change.fields)}{moved})")
    text = "\n".join(lines) + "\n"
    return text + "".join(f"\n{change.diff}" for change in found.changed)


def _release_table(found: list[StoredRelease]) -> Table:
    table = rules_controls.table_of(
        "version", "status", "author", "approved by", "created", "published", "notes"
    )
    for release in found:
        published = release.published_at
        table.add_row(
            str(release.version),
            release.status.value,
            release.author,
            release.approved_by or "",
            release.created_at.isoformat(timespec="seconds"),
            published.isoformat(timespec="seconds") if published else "",
            release.notes,
        )
    return table


def register(rules: typer.Typer) -> None:
    """Add every lifecycle command to the `garrison rules` group."""
    for name, command in (
        ("publish", publish),
        ("approve", approve),
        ("reject", reject),
        ("releases", releases),
        ("show", show),
        ("diff", diff),
        ("list", list_rules),
        ("snooze", rules_controls.snooze),
        ("unsnooze", rules_controls.unsnooze),
        ("snoozes", rules_controls.snoozes),
        ("restore", rules_controls.restore),
        ("alerts", rules_controls.alerts),
        ("shadow-report", rules_controls.shadow_report),
    ):
        rules.command(name)(command)
