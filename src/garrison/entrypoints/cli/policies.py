"""`garrison policies`: the policy taxonomy, playbooks, notices and the DSA transparency export.

`text` prints the canonical TOML of a version; edit it and `publish` it as the next version.
`dsa-export` writes `{"statements": [...]}`, the body of the DSA Transparency Database's bulk
submission endpoint.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import ActionId, PrincipalId
from garrison.domain.playbooks import PlaybookKey
from garrison.entrypoints.cli.environment import cli_actor, open_container

policies = typer.Typer(help="Policy taxonomy, playbooks, notices and the DSA export.")

VersionOpt = Annotated[int | None, typer.Option(help="A version (default: the newest).", min=1)]
KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="policy:<id> or queue:<name>.")]
FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="A file; '-' is stdin.")]


def operator() -> Principal:
    """Whoever runs the command acts with full rights, named `system:cli:<login>` in the audit."""
    actor = cli_actor()
    return Principal(PrincipalId(actor), PrincipalKind.SYSTEM, actor, Role.ADMIN)


def _read(path: Path) -> str:
    return sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")


def parse_when(text: str, field: str) -> datetime:
    """An ISO date or time; without a zone it is UTC."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"expected an ISO date or time, got {text!r}", field=field) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@policies.command("list")
def list_policies(version: VersionOpt = None) -> None:
    """Every policy of a version: id, severity, parent and title."""
    with open_container() as container:
        taxonomy = container.policies.taxonomy(operator(), version)
    typer.echo(f"taxonomy version {taxonomy.version} ({len(taxonomy.policies)} policies)")
    for p in taxonomy.policies:
        parent = f" < {p.parent}" if p.parent else ""
        typer.echo(f"{p.id:28} {p.severity:8} {p.title}{parent}")


@policies.command("text")
def show_text(version: VersionOpt = None) -> None:
    """Print a version's canonical TOML (edit it, then `publish`)."""
    with open_container() as container:
        typer.echo(container.policies.taxonomy(operator(), version).text, nl=False)


@policies.command("versions")
def list_versions() -> None:
    """Every version, newest first."""
    with open_container() as container:
        found = container.policies.versions(operator())
    for t in found:
        typer.echo(f"{t.version:4}  {t.created_at:%Y-%m-%d %H:%M}  {t.author}  {t.note}")


@policies.command("publish")
def publish(
    file: FileArg,
    note: Annotated[str, typer.Option(help="Why this version.")] = "",
    base: Annotated[int | None, typer.Option(help="Refuse unless this is the newest.")] = None,
) -> None:
    """Publish the taxonomy in FILE as the next version."""
    text = _read(file)
    with open_container() as container:
        made = container.policies.publish(operator(), text, note, base=base)
    typer.echo(f"published taxonomy version {made.version} ({len(made.policies)} policies)")


@policies.command("diff")
def diff(old: int, new: int) -> None:
    """What changed between two versions."""
    with open_container() as container:
        changes = container.policies.diff(operator(), old, new)
    d = changes.diff
    typer.echo(f"added: {', '.join(d.added) or '-'}")
    typer.echo(f"removed: {', '.join(d.removed) or '-'}")
    for change in d.changed:
        typer.echo(f"changed: {change.id} ({', '.join(change.fields)})")
    for line in changes.lines:
        typer.echo(line)


@policies.command("map")
def map_scores(
    scores: Annotated[list[str], typer.Argument(metavar="CATEGORY=SCORE...")],
    version: VersionOpt = None,
) -> None:
    """Moderation category scores as policy scores, e.g. `self-harm/intent=0.9`."""
    parsed: dict[str, float] = {}
    for item in scores:
        name, sep, value = item.partition("=")
        try:
            parsed[name] = float(value)
        except ValueError:
            raise InvalidInput(f"expected CATEGORY=SCORE, got {item!r}", field="scores") from None
        if not sep:
            raise InvalidInput(f"expected CATEGORY=SCORE, got {item!r}", field="scores")
    with open_container() as container:
        mapped = container.policies.map_moderation(operator(), parsed, version)
    for policy, score in sorted(mapped.items()):
        typer.echo(f"{policy} {score:.3f}")


@policies.command("playbook")
def show_playbook(key: KeyArg, version: VersionOpt = None) -> None:
    """Print a playbook's markdown."""
    with open_container() as container:
        found = container.policies.playbook(operator(), PlaybookKey.parse(key), version)
    typer.echo(f"# {found.key} version {found.version}, by {found.author}")
    typer.echo(found.text, nl=False)


@policies.command("playbook-save")
def save_playbook(key: KeyArg, file: FileArg) -> None:
    """Store FILE as the playbook's next version."""
    text = _read(file)
    with open_container() as container:
        saved = container.policies.save_playbook(operator(), PlaybookKey.parse(key), text)
    typer.echo(f"playbook {saved.key} version {saved.version} saved ({len(saved.steps)} steps)")


@policies.command("playbook-diff")
def playbook_diff(key: KeyArg, old: int, new: int) -> None:
    """A unified diff of two versions of a playbook."""
    with open_container() as container:
        lines = container.policies.playbook_diff(operator(), PlaybookKey.parse(key), old, new)
    for line in lines:
        typer.echo(line)


@policies.command("notice")
def issue_notice(
    action_id: Annotated[str, typer.Argument(metavar="ACTION_ID")],
    facts: Annotated[str, typer.Option(help="Facts relied on (default: the rule hits).")] = "",
    policy: Annotated[str | None, typer.Option(help="When the action names none.")] = None,
) -> None:
    """Issue (or show) the notice of an action, with its statement of reasons."""
    with open_container() as container:
        notice = container.transparency.issue(
            operator(), ActionId(action_id), facts=facts, policy=policy
        )
    typer.echo(f"notice {notice.id} (policy {notice.policy_id} v{notice.policy_version})")
    typer.echo(notice.text)


@policies.command("dsa-export")
def dsa_export(
    since: Annotated[str, typer.Option(help="ISO date or time (UTC when no zone).")],
    out: Annotated[Path, typer.Option(help="JSON file to write; '-' is stdout.")],
    until: Annotated[str | None, typer.Option(help="Exclusive end (default: now).")] = None,
) -> None:
    """Write statements of reasons in the DSA Transparency Database's submission format."""
    start = parse_when(since, "since")
    end = parse_when(until, "until") if until else None
    with open_container() as container:
        export = container.transparency.dsa_export(operator(), start, end)
    body = json.dumps({"statements": list(export.statements)}, indent=2, ensure_ascii=False)
    if str(out) == "-":
        typer.echo(body)
    else:
        out.write_text(body + "\n", "utf-8")
    typer.echo(
        f"{len(export.statements)} statements written, {export.skipped} notices skipped "
        "(no restriction)",
        err=str(out) == "-",
    )


@policies.command("may-receive")
def may_receive(
    reviewer: Annotated[str, typer.Argument(metavar="PRINCIPAL_ID", help="The reviewer's id.")],
    policy: Annotated[str, typer.Argument(metavar="POLICY", help="A policy id.")],
) -> None:
    """Whether routing may hand this reviewer a case about POLICY now, and why not."""
    with open_container() as container:
        why = container.wellness.refusal(PrincipalId(reviewer), [policy])
    typer.echo("yes" if why is None else f"no: {why}")
