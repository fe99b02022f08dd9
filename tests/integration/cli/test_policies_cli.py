"""`garrison policies ...` on a migrated SQLite file, registered on a throwaway app."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.adapters.shipped_policies import dsa_statement_schema
from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import ActionId
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.policies import policies

Invoke = Callable[..., Result]


@pytest.fixture
def container(database: Path) -> Iterator[Container]:
    migrate(f"sqlite:///{database}")
    built = bootstrap(Settings())
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def run(container: Container) -> Invoke:
    app = typer.Typer(cls=GarrisonGroup, add_completion=False)
    app.add_typer(policies, name="policies")
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def test_list_edit_publish_and_diff(run: Invoke, tmp_path: Path) -> None:
    listed = run("policies", "list")
    assert listed.exit_code == 0
    assert "taxonomy version 1" in listed.output and "fraud.card_testing" in listed.output
    text = run("policies", "text").output
    edited = tmp_path / "policies.toml"
    edited.write_text(text.replace('title = "Spam"', 'title = "Spam and bulk"'))
    published = run("policies", "publish", str(edited), "--note", "spam title", "--base", "1")
    assert published.exit_code == 0, published.output
    assert "published taxonomy version 2" in published.output
    diff = run("policies", "diff", "1", "2")
    assert "changed: spam (title)" in diff.output
    assert '+title = "Spam and bulk"' in diff.output
    assert "spam title" in run("policies", "versions").output
    again = run("policies", "publish", str(edited))
    assert again.exit_code == 1 and "nothing changed" in again.output
    assert "Traceback" not in again.output


def test_moderation_map_and_bad_input(run: Invoke) -> None:
    mapped = run("policies", "map", "self-harm/intent=0.9", "hate=0.2")
    assert mapped.exit_code == 0
    assert "self_harm 0.900" in mapped.output and "hate 0.200" in mapped.output
    bad = run("policies", "map", "nsfw=1")
    assert bad.exit_code == 1 and "unknown moderation category" in bad.output
    malformed = run("policies", "map", "hate")
    assert malformed.exit_code == 1 and "CATEGORY=SCORE" in malformed.output


def test_playbooks_show_save_and_diff(run: Invoke, tmp_path: Path) -> None:
    shown = run("policies", "playbook", "queue:fraud")
    assert shown.exit_code == 0 and "# Fraud queue" in shown.output
    new = tmp_path / "fraud.md"
    new.write_text("# Fraud\n\n- [ ] check the cards\n")
    saved = run("policies", "playbook-save", "queue:fraud", str(new))
    assert "version 2 saved (1 steps)" in saved.output
    assert (
        "+- [ ] check the cards" in run("policies", "playbook-diff", "queue:fraud", "1", "2").output
    )
    bad = run("policies", "playbook", "team:x")
    assert bad.exit_code == 1 and "expected 'policy:<id>'" in bad.output


def test_notice_then_dsa_export_validates(
    run: Invoke, container: Container, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with container.uow() as uow:
        uow.actions.add(
            [
                Action(
                    ActionId("act_1"),
                    ActionKind.BAN_ACCOUNT,
                    EntityRef(EntityKind.ACCOUNT, "acct_7"),
                    {},
                    ActionStatus.EXECUTED,
                    now,
                    policy="fraud.stolen_card",
                    actor="person:ana",
                )
            ]
        )
        uow.commit()
    issued = run("policies", "notice", "act_1", "--facts", "three stolen cards")
    assert issued.exit_code == 0, issued.output
    assert "notice sor-act_1 (policy fraud.stolen_card v1)" in issued.output
    out = tmp_path / "sor.json"
    exported = run("policies", "dsa-export", "--since", now.date().isoformat(), "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert "1 statements written" in exported.output
    [body] = json.loads(out.read_text())["statements"]
    jsonschema.validate(body, dsa_statement_schema())
    assert body["decision_account"] == "DECISION_ACCOUNT_TERMINATED"
    bad = run("policies", "dsa-export", "--since", "yesterday", "--out", str(out))
    assert bad.exit_code == 1 and "ISO date" in bad.output
    missing = run("policies", "notice", "act_none")
    assert missing.exit_code == 1 and "no action act_none" in missing.output


def test_may_receive_explains_wellness_routing(run: Invoke, container: Container) -> None:
    ana = container.access.create_user(
        "ana@example.com", Role.REVIEWER, "correct horse battery", actor="test"
    )
    container.wellness.save_settings(ana, opted_out=["violence"], reveal_by_default=False)
    refused = run("policies", "may-receive", ana.id, "violence.graphic")
    allowed = run("policies", "may-receive", ana.id, "hate")
    assert refused.output.strip() == "no: opted out of violence"
    assert allowed.output.strip() == "yes"
