"""`garrison queues`, `garrison cases`: review operations from a terminal.

Commands act as the person running them (`cli:<login>` in the audit log) with the admin role,
like the other operator commands.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from garrison.domain.access import Permission, Principal, PrincipalKind, Role
from garrison.domain.cases import Case, CaseStatus, Outcome, Queue
from garrison.domain.entities import Tier
from garrison.domain.ids import CaseId, PrincipalId, QueueName
from garrison.domain.policies import Severity
from garrison.domain.routing import RoutingRule, WorkSource
from garrison.domain.rule_controls import parse_duration
from garrison.entrypoints.cli.environment import cli_actor, open_container

queues = typer.Typer(help="Review queues: settings, routing rules, SLA watch, next case.")
cases = typer.Typer(help="Review cases: list, claim (a lease), release, resolve, reports.")

QueueArg = Annotated[str, typer.Argument(metavar="QUEUE", help="The queue's name.")]
CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="The case id.")]
Many = Annotated[list[str] | None, typer.Option(help="Repeat for several values.")]


def operator(role: Role = Role.ADMIN) -> Principal:
    actor = cli_actor()
    return Principal(PrincipalId(actor), PrincipalKind.PERSON, actor, role)


def _when(case: Case) -> str:
    lease = case.lease_expires_at
    return lease.isoformat(timespec="seconds") if lease else ""


def print_cases(found: list[Case]) -> None:
    table = Table("case", "queue", "subject", "status", "priority", "assignee", "lease until")
    for case in found:
        table.add_row(
            case.id,
            case.queue,
            str(case.subject),
            case.status.value,
            str(case.priority),
            case.assignee or "",
            _when(case),
        )
    Console(soft_wrap=True).print(table)


@queues.command("list")
def list_queues() -> None:
    """Every queue with its settings and how many cases it holds."""
    with open_container() as container:
        found = container.review.queues(operator())
    table = Table("queue", "sla", "requires", "playbook", "wellness", "open", "claimed")
    for s in found:
        q = s.queue
        table.add_row(
            q.name,
            f"{q.sla_seconds // 60}m",
            q.required.value,
            q.playbook or "",
            q.wellness or "",
            str(s.counts.get(CaseStatus.OPEN, 0)),
            str(s.counts.get(CaseStatus.CLAIMED, 0)),
        )
    Console(soft_wrap=True).print(table)


@queues.command("set")
def set_queue(
    name: QueueArg,
    sla: Annotated[str, typer.Option(help="The SLA, like 8h or 2d.")],
    description: Annotated[str, typer.Option(help="What the queue is for.")] = "",
    senior: Annotated[
        bool, typer.Option("--senior", help="Only senior reviewers may work it.")
    ] = False,
    playbook: Annotated[str | None, typer.Option(help="Key of the queue's playbook.")] = None,
    wellness: Annotated[str | None, typer.Option(help="Key of its wellness settings.")] = None,
) -> None:
    """Create a queue or change its settings."""
    required = Permission.REVIEW_ESCALATIONS if senior else Permission.REVIEW_CASES
    seconds = int(parse_duration(sla, field="sla").total_seconds())
    queue = Queue(QueueName(name), description, seconds, required, playbook, wellness)
    with open_container() as container:
        container.queues.put(operator(), queue)
    typer.echo(f"queue {name}: SLA {sla}, requires {required.value}")


@queues.command("sla")
def sla_watch(
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    warn_at: Annotated[
        float | None, typer.Option(help="Share of the SLA used that warns (default: setting).")
    ] = None,
) -> None:
    """Cases about to breach their queue's SLA, and those that did."""
    with open_container() as container:
        found = container.queues.sla(
            operator(), queue=QueueName(queue) if queue else None, warn_at=warn_at
        )
    if not found:
        typer.echo("no case is near its SLA")
        return
    table = Table("case", "queue", "state", "used", "due")
    for s in found:
        table.add_row(
            s.case.id,
            s.case.queue,
            s.state.value,
            f"{s.used:.0%}",
            s.due_at.isoformat(timespec="seconds"),
        )
    Console(soft_wrap=True).print(table)


@queues.command("next")
def next_case(name: QueueArg) -> None:
    """Lease the queue's most urgent case to yourself."""
    with open_container() as container:
        case = container.review.next_case(operator(), QueueName(name))
    if case is None:
        typer.echo(f"nothing waits in {name}")
        return
    typer.echo(f"{case.id} ({case.subject}) is yours until {_when(case) or 'released'}")


@queues.command("routes")
def list_routes() -> None:
    """The routing rules, in the order they are tried."""
    with open_container() as container:
        found = container.routing.rules(operator())
    table = Table("position", "rule", "queue", "when", "enabled")
    for rule in found:
        table.add_row(
            str(rule.position), rule.name, rule.queue, _conditions(rule), str(rule.enabled)
        )
    Console(soft_wrap=True).print(table)


@queues.command("route")
def put_route(
    name: Annotated[str, typer.Argument(metavar="RULE", help="The rule's name.")],
    queue: Annotated[str, typer.Option(help="Where matching work goes.")],
    position: Annotated[int, typer.Option(help="Lower positions are tried first.")],
    policy: Many = None,
    tier: Annotated[list[Tier] | None, typer.Option(help="Customer tiers.")] = None,
    report_type: Many = None,
    language: Many = None,
    min_severity: Annotated[Severity | None, typer.Option(help="At least this severe.")] = None,
    source: Annotated[list[WorkSource] | None, typer.Option(help="decision or report.")] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Store it switched off.")] = False,
    description: Annotated[str, typer.Option(help="Why the rule exists.")] = "",
) -> None:
    """Create or replace a routing rule."""
    rule = RoutingRule(
        name,
        QueueName(queue),
        position,
        policies=tuple(policy or ()),
        min_severity=min_severity,
        tiers=tuple(tier or ()),
        report_types=tuple(report_type or ()),
        languages=tuple(language or ()),
        sources=tuple(source or ()),
        enabled=not disabled,
        description=description,
    )
    with open_container() as container:
        container.routing.put(operator(), rule)
    typer.echo(f"rule {name}: {_conditions(rule) or 'anything'} -> {queue}")


@queues.command("unroute")
def delete_route(name: Annotated[str, typer.Argument(metavar="RULE")]) -> None:
    """Delete a routing rule."""
    with open_container() as container:
        container.routing.delete(operator(), name)
    typer.echo(f"rule {name} deleted")


def _conditions(rule: RoutingRule) -> str:
    parts = [
        ("policy", rule.policies),
        ("tier", tuple(t.value for t in rule.tiers)),
        ("report", rule.report_types),
        ("language", rule.languages),
        ("source", tuple(s.value for s in rule.sources)),
    ]
    text = [f"{key} in {','.join(values)}" for key, values in parts if values]
    if rule.min_severity:
        text.append(f"severity >= {rule.min_severity.value}")
    return "; ".join(text)


@cases.command("list")
def list_cases(
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    status: Annotated[CaseStatus | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """Cases, highest priority first."""
    with open_container() as container:
        found = container.review.cases(
            operator(), queue=QueueName(queue) if queue else None, status=status, limit=limit
        )
    print_cases(found)


@cases.command("claim")
def claim(case_id: CaseArg) -> None:
    """Lease a case to yourself (or renew your lease)."""
    with open_container() as container:
        case = container.review.claim(operator(), CaseId(case_id))
    typer.echo(f"{case.id} is yours until {_when(case) or 'released'}")


@cases.command("escalate")
def escalate(
    case_id: CaseArg,
    reason: Annotated[str, typer.Option(help="Why the next tier must look at it.")],
) -> None:
    """Hand your case to the next tier (senior, then policy/legal)."""
    with open_container() as container:
        case = container.review.escalate(operator(), CaseId(case_id), reason=reason)
    typer.echo(f"{case.id} escalated to {case.tier.value} ({case.queue})")


@cases.command("release")
def release(case_id: CaseArg) -> None:
    """Give your case back to its queue."""
    with open_container() as container:
        container.review.release(operator(), CaseId(case_id))
    typer.echo(f"{case_id} is back in its queue")


@cases.command("resolve")
def resolve(
    case_id: CaseArg,
    outcome: Annotated[Outcome, typer.Option(help="violating, not_violating or escalate.")],
    policy: Annotated[str | None, typer.Option(help="The policy broken (violating).")] = None,
    note: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Resolve a case you hold (actions are planned from the API or console)."""
    with open_container() as container:
        case = container.review.resolve(
            operator(), CaseId(case_id), outcome=outcome, policy=policy, actions=[], note=note
        )
    typer.echo(f"{case.id}: {case.status.value} in {case.queue}")


@cases.command("reports")
def case_reports(case_id: CaseArg) -> None:
    """The user reports grouped into a case."""
    with open_container() as container:
        found = container.user_reports.for_case(operator(), CaseId(case_id))
    table = Table("report", "reporter", "kind", "type", "status", "received", "text")
    for r in found:
        received = r.received_at.isoformat(timespec="seconds")
        table.add_row(
            r.id, r.reporter, r.reporter_kind.value, r.report_type, r.status.value, received, r.text
        )
    Console(soft_wrap=True).print(table)
