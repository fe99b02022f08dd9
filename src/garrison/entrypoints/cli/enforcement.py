"""`garrison actions`, `garrison approvals`, `garrison appeals`: the enforcement ledger by hand.

Commands act as the person running them (`person:cli:<login>`, with admin rights), so the
second-approver and different-reviewer rules hold on the command line too.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.appeals import Appeal, AppealOutcome, AppealStatus
from garrison.domain.approvals import Approval, ApprovalStatus
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.events import JsonValue
from garrison.domain.ids import ActionId, AppealId, ApprovalId, PrincipalId
from garrison.entrypoints.cli.environment import cli_actor, open_container
from garrison.services.enforcement import ActionRequest

actions = typer.Typer(help="The enforcement ledger: take, reverse and list actions.")
approvals = typer.Typer(help="High-impact actions waiting for a second approver.")
appeals = typer.Typer(help="Appeals against actions, decided by another reviewer.")

Limit = Annotated[int, typer.Option(help="At most this many.", min=1, max=500)]
Note = Annotated[str, typer.Option(help="Why (kept in the audit log).")]


def operator() -> Principal:
    """Whoever runs the command, as a person with admin rights."""
    name = cli_actor()
    return Principal(PrincipalId(name), PrincipalKind.PERSON, name, Role.ADMIN)


def _print(table: Table) -> None:
    """Full ids even when piped (a terminal gets its own width)."""
    Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240).print(table)


def action_table(found: list[Action]) -> Table:
    table = Table("id", "kind", "subject", "status", "policy", "actor", "expires", "reverses")
    for a in found:
        expires = a.expires_at.isoformat(timespec="seconds") if a.expires_at else ""
        table.add_row(
            a.id,
            a.kind,
            str(a.subject),
            a.status,
            a.policy or "",
            a.actor,
            expires,
            a.reverses or "",
        )
    return table


def _params(pairs: list[str]) -> dict[str, JsonValue]:
    params: dict[str, JsonValue] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"expected key=value, got {pair!r}", field="param")
        params[key] = value
    return params


@actions.command("list")
def list_actions(
    status: Annotated[ActionStatus | None, typer.Option(help="Only actions in this state.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only actions on this `kind:id`.")] = None,
    limit: Limit = 50,
) -> None:
    """List actions, newest first."""
    ref = EntityRef.parse(subject, field="subject") if subject else None
    with open_container() as container:
        found = container.enforcement.actions(operator(), status=status, subject=ref, limit=limit)
    if not found:
        typer.echo("no actions")
        return
    _print(action_table(found))


@actions.command("show")
def show_action(action_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """One action and its compensating action, if any."""
    with open_container() as container:
        entry = container.enforcement.get(operator(), ActionId(action_id))
    _print(action_table([entry.action, *([entry.reversal] if entry.reversal else [])]))


@actions.command("take")
def take(
    kind: Annotated[ActionKind, typer.Argument(help="What to do.")],
    subject: Annotated[str, typer.Argument(help="`kind:id` of a known entity.")],
    param: Annotated[list[str], typer.Option(help="key=value (repeatable).")] = [],  # noqa: B006
    duration: Annotated[str | None, typer.Option(help="Like 24h, 7d or permanent.")] = None,
    policy: Annotated[str | None, typer.Option(help="The policy enforced.")] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Same key: one effect.")] = None,
    reason: Note = "",
) -> None:
    """Plan an action (bans and org-wide key revocations wait for a second approver)."""
    params = _params(param)
    if duration:
        params["duration"] = duration
    ref = EntityRef.parse(subject, field="subject")
    request = ActionRequest(
        kind, ref, params, policy, idempotency_key=idempotency_key, reason=reason
    )
    with open_container() as container:
        action = container.enforcement.take(operator(), request)
    typer.echo(f"action {action.id} ({action.kind} {action.subject}) is {action.status}")


@actions.command("reverse")
def reverse(
    action_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
) -> None:
    """Plan the compensating action of an action in effect."""
    with open_container() as container:
        reversal = container.enforcement.reverse(operator(), ActionId(action_id), reason=reason)
    typer.echo(f"{reversal.kind} {reversal.id} planned to reverse {action_id}")


@actions.command("strike")
def strike(
    subject: Annotated[str, typer.Argument(help="`kind:id` of a known entity.")],
    policy: Annotated[str, typer.Option(help="The policy whose ladder applies.")],
) -> None:
    """Take the next rung of the policy's strike ladder."""
    ref = EntityRef.parse(subject, field="subject")
    with open_container() as container:
        action = container.enforcement.strike(operator(), ref, policy=policy)
    typer.echo(f"strike {action.params.get('strike')}: {action.kind} {action.id} ({action.status})")


def approval_table(found: list[Approval]) -> Table:
    table = Table("id", "status", "actions", "reason", "requested by", "decided by")
    for a in found:
        table.add_row(
            a.id, a.status, ", ".join(a.action_ids), a.reason, a.requested_by, a.decided_by or ""
        )
    return table


@approvals.command("list")
def list_approvals(
    status: Annotated[ApprovalStatus | None, typer.Option(help="Only in this state.")] = None,
    limit: Limit = 50,
) -> None:
    """List approvals, oldest first."""
    with open_container() as container:
        found = container.approvals.approvals(operator(), status=status, limit=limit)
    if not found:
        typer.echo("no approvals")
        return
    _print(approval_table(found))


@approvals.command("approve")
def approve(approval_id: Annotated[str, typer.Argument(metavar="ID")], note: Note = "") -> None:
    """Let the actions go ahead (not allowed to whoever asked for them)."""
    with open_container() as container:
        done = container.approvals.decide(
            operator(), ApprovalId(approval_id), approve=True, note=note
        )
    typer.echo(f"approval {approval_id} approved: {len(done.actions)} action(s) planned")


@approvals.command("reject")
def reject(approval_id: Annotated[str, typer.Argument(metavar="ID")], note: Note = "") -> None:
    """Stop the actions: they are never performed."""
    with open_container() as container:
        done = container.approvals.decide(
            operator(), ApprovalId(approval_id), approve=False, note=note
        )
    typer.echo(f"approval {approval_id} rejected: {len(done.actions)} action(s) stopped")


def appeal_table(found: list[Appeal]) -> Table:
    table = Table("id", "action", "subject", "status", "due", "appellant", "decided by")
    for a in found:
        table.add_row(
            a.id,
            a.action_id,
            str(a.subject),
            a.status,
            a.due_at.isoformat(timespec="seconds"),
            a.appellant,
            a.decided_by or "",
        )
    return table


@appeals.command("file")
def file_appeal(
    action_id: Annotated[str, typer.Argument(metavar="ACTION_ID")],
    reason: Annotated[str, typer.Option(help="Why the action is wrong.")],
    appellant: Annotated[str | None, typer.Option(help="On whose behalf.")] = None,
) -> None:
    """Appeal an action in effect."""
    with open_container() as container:
        appeal = container.appeals.file(
            operator(), ActionId(action_id), reason=reason, appellant=appellant
        )
    typer.echo(f"appeal {appeal.id} filed, due {appeal.due_at.isoformat(timespec='minutes')}")


@appeals.command("list")
def list_appeals(
    status: Annotated[AppealStatus | None, typer.Option(help="Only in this state.")] = None,
    limit: Limit = 50,
) -> None:
    """List appeals, soonest due first."""
    with open_container() as container:
        found = container.appeals.appeals(operator(), status=status, limit=limit)
    if not found:
        typer.echo("no appeals")
        return
    _print(appeal_table(found))


@appeals.command("decide")
def decide(
    appeal_id: Annotated[str, typer.Argument(metavar="ID")],
    outcome: Annotated[AppealOutcome, typer.Argument(help="uphold or overturn.")],
    note: Note = "",
) -> None:
    """Uphold or overturn (not allowed to whoever took the action)."""
    with open_container() as container:
        found = container.appeals.decide(
            operator(), AppealId(appeal_id), outcome=outcome, note=note
        )
    undone = ", ".join(r.id for r in found.reversals) or "nothing"
    typer.echo(f"appeal {appeal_id} {found.appeal.status}; reversals planned: {undone}")
