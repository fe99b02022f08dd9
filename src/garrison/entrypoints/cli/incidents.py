"""`garrison incidents`: declare and run incidents from the command line.

garrison incidents declare "Scam wave from VN" --severity sev2 --alert tra_01...
garrison incidents update inc_01... "Blocked the signup IP ranges"
garrison incidents link inc_01... case cas_01...
garrison incidents status inc_01... mitigated
    garrison incidents postmortem inc_01... --summary "..." \
        --item 'Catch giveaway texts::contains(lower(attr.text), "giveaway")'
garrison incidents close inc_01...
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from garrison.domain.incident_codec import incident_json
from garrison.domain.incidents import (
    ActionItem,
    EntryKind,
    Incident,
    IncidentId,
    IncidentStatus,
    LinkKind,
    Severity,
    SourceKind,
)
from garrison.entrypoints.cli.environment import cli_actor, open_container

incidents = typer.Typer(help="Declare incidents and run them to a post-mortem.")
Id = Annotated[str, typer.Argument(help="Incident id.")]


def _summary(i: Incident) -> str:
    return f"{i.id}  {i.severity}  {i.status:<13} {i.owner:<20} {i.title}"


@incidents.command("declare")
def declare(
    title: str,
    severity: Annotated[Severity, typer.Option(help="sev1 (worst) .. sev4.")] = Severity.SEV3,
    alert: Annotated[str | None, typer.Option(help="Declare from this trend alert.")] = None,
    case: Annotated[str | None, typer.Option(help="Declare from this case.")] = None,
    ring: Annotated[str | None, typer.Option(help="Declare from this ring.")] = None,
    search: Annotated[str | None, typer.Option(help="Declare from this search URL.")] = None,
    summary: str = "",
    owner: str = "",
) -> None:
    """Declare an incident (from an alert, a case, a ring or a search, or by hand)."""
    source, ref = SourceKind.MANUAL, ""
    for kind, value in (
        (SourceKind.ALERT, alert),
        (SourceKind.CASE, case),
        (SourceKind.RING, ring),
        (SourceKind.SEARCH, search),
    ):
        if value:
            source, ref = kind, value
    with open_container() as container:
        incident = container.watch.incidents.declare(
            title=title,
            severity=severity,
            source=source,
            source_ref=ref,
            summary=summary,
            owner=owner,
            actor=cli_actor(),
        )
    typer.echo(f"declared {_summary(incident)}")


@incidents.command("list")
def list_incidents(
    status: Annotated[IncidentStatus | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Incidents, newest first."""
    with open_container() as container:
        found = container.watch.incidents.list(status=status, limit=limit)
    for incident in found:
        typer.echo(_summary(incident))
    if not found:
        typer.echo("no incidents")


@incidents.command("show")
def show(incident_id: Id) -> None:
    """The whole incident as JSON: links, timeline, communications, post-mortem."""
    with open_container() as container:
        incident = container.watch.incidents.get(IncidentId(incident_id))
    typer.echo(json.dumps(incident_json(incident), indent=2))


@incidents.command("update")
def update(
    incident_id: Id,
    text: str,
    decision: Annotated[bool, typer.Option("--decision", help="Record it as a decision.")] = False,
) -> None:
    """Post an update (or a decision) on the timeline."""
    kind = EntryKind.DECISION if decision else EntryKind.UPDATE
    with open_container() as container:
        container.watch.incidents.post(IncidentId(incident_id), kind, text, actor=cli_actor())
    typer.echo(f"{kind} posted on {incident_id}")


@incidents.command("status")
def status(incident_id: Id, to: IncidentStatus, note: str = "") -> None:
    """Move the incident on: investigating, mitigated, resolved, closed."""
    with open_container() as container:
        moved = container.watch.incidents.move(
            IncidentId(incident_id), to, actor=cli_actor(), note=note
        )
    typer.echo(_summary(moved))


@incidents.command("close")
def close(incident_id: Id, note: str = "") -> None:
    """Close the incident (it needs a post-mortem)."""
    status(incident_id, IncidentStatus.CLOSED, note)


@incidents.command("link")
def link(incident_id: Id, kind: LinkKind, ref: str, note: str = "") -> None:
    """Link a case, entity (`account:acct_1`), rule, query, alert or ring."""
    with open_container() as container:
        container.watch.incidents.link(
            IncidentId(incident_id), kind, ref, actor=cli_actor(), note=note
        )
    typer.echo(f"linked {kind} {ref} to {incident_id}")


@incidents.command("owner")
def owner(incident_id: Id, name: str) -> None:
    """Hand the incident to someone else."""
    with open_container() as container:
        container.watch.incidents.assign(IncidentId(incident_id), name, actor=cli_actor())
    typer.echo(f"{incident_id} is now run by {name}")


@incidents.command("communicate")
def communicate(
    incident_id: Id,
    message: str,
    audience: Annotated[str, typer.Option(help="Who was told.")],
    channel: Annotated[str, typer.Option(help="How (email, slack, status page).")] = "email",
) -> None:
    """Log a stakeholder communication."""
    with open_container() as container:
        container.watch.incidents.communicate(
            IncidentId(incident_id),
            audience=audience,
            channel=channel,
            message=message,
            actor=cli_actor(),
        )
    typer.echo(f"communication to {audience} logged on {incident_id}")


@incidents.command("postmortem")
def postmortem(
    incident_id: Id,
    summary: Annotated[str, typer.Option(help="What happened.")],
    root_cause: str = "",
    impact: str = "",
    item: Annotated[
        list[str] | None,
        typer.Option(help="An action item; `text::rule expression` proposes a rule. Repeat."),
    ] = None,
) -> None:
    """Write the post-mortem with its action items."""
    items = []
    for written in item or []:
        text, _, rule = written.partition("::")
        items.append(ActionItem(text.strip(), rule_text=rule.strip()))
    with open_container() as container:
        container.watch.incidents.postmortem(
            IncidentId(incident_id),
            summary=summary,
            root_cause=root_cause,
            impact=impact,
            action_items=tuple(items),
            actor=cli_actor(),
        )
    typer.echo(f"post-mortem written on {incident_id} with {len(items)} action items")


@incidents.command("draft-rule")
def draft_rule(
    incident_id: Id,
    item: Annotated[int, typer.Argument(min=1, help="Action item number (from 1).")],
    name: Annotated[str, typer.Option(help="Name of the draft rule.")],
    policy: Annotated[str, typer.Option(help="Policy it enforces.")],
) -> None:
    """Propose a release adding the action item's rule at stage draft."""
    with open_container() as container:
        _, version = container.watch.incidents.draft_rule(
            IncidentId(incident_id), item - 1, name=name, policy=policy, actor=cli_actor()
        )
    typer.echo(f"draft rule {name} proposed as release {version}")
