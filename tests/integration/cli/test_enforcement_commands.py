"""`garrison actions`, `garrison approvals` and `garrison appeals` against SQLite."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import Result

from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId
from garrison.services.unit_of_work import StoredEvent

Invoke = Callable[..., Result]
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def migrated(cli: Invoke, database: Path) -> Invoke:
    """Migrated to every head (while several 0005 heads await their merge revision, the
    `migrate` command's revision check refuses them; the upgrade itself is the same)."""
    migrate(f"sqlite:///{database}")
    return cli


@pytest.fixture
def known(migrated: Invoke) -> Iterator[Container]:
    """A container on the CLI's database, where `account:acct_1` has been seen in an event."""
    container = bootstrap(Settings())
    event = Event(EventId("evt_1"), "account.login", AT, {EntityKind.ACCOUNT: "acct_1"}, {})
    with container.uow() as uow:
        uow.events.add(StoredEvent(event, "f", DecisionId("dec_1"), AT))
        uow.commit()
    try:
        yield container
    finally:
        container.close()


def _id(prefix: str, text: str) -> str:
    found = re.search(rf"\b({prefix}_[0-9A-Za-z]+)", text)
    assert found, text
    return found.group(1)


def test_take_list_and_reverse(migrated: Invoke, known: Container) -> None:
    taken = migrated(
        "actions", "take", "rate_limit", "account:acct_1", "--duration", "2h", "--policy", "spam"
    )
    assert taken.exit_code == 0, taken.output
    action_id = _id("act", taken.stdout)
    known.dispatcher.run_once()

    listed = migrated("actions", "list", "--subject", "account:acct_1")
    reversed_ = migrated("actions", "reverse", action_id, "--reason", "mistake")

    assert action_id in listed.stdout and "executed" in listed.stdout
    assert reversed_.exit_code == 0, reversed_.output
    assert "lift_rate_limit" in reversed_.stdout


def test_an_unknown_subject_is_one_clear_error(migrated: Invoke, known: Container) -> None:
    result = migrated("actions", "take", "warn", "account:ghost")

    assert result.exit_code != 0
    assert "no event, case, label or action names account:ghost" in result.output
    assert "Traceback" not in result.output
    assert "no actions" in migrated("actions", "list").stdout


def test_a_ban_needs_another_person_to_approve(
    migrated: Invoke, known: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "sam")
    ban = migrated("actions", "take", "ban_account", "account:acct_1")
    assert "pending_approval" in ban.stdout, ban.output
    approval_id = _id("apv", migrated("approvals", "list", "--status", "pending").stdout)

    own = migrated("approvals", "approve", approval_id)
    monkeypatch.setenv("LOGNAME", "pat")
    other = migrated("approvals", "approve", approval_id, "--note", "checked")

    assert own.exit_code != 0 and "another person must" in own.output
    assert other.exit_code == 0, other.output
    assert "1 action(s) planned" in other.stdout


def test_an_appeal_is_decided_by_someone_else(
    migrated: Invoke, known: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "alice")
    action_id = _id("act", migrated("actions", "take", "suspend_account", "account:acct_1").stdout)
    known.dispatcher.run_once()
    filed = migrated("appeals", "file", action_id, "--reason", "hijacked")
    appeal_id = _id("apl", filed.stdout)

    own = migrated("appeals", "decide", appeal_id, "overturn")
    monkeypatch.setenv("LOGNAME", "bob")
    other = migrated("appeals", "decide", appeal_id, "overturn", "--note", "ok")
    again = migrated("appeals", "file", action_id, "--reason", "again")

    assert own.exit_code != 0 and "another reviewer must decide" in own.output
    assert other.exit_code == 0, other.output
    assert "overturned" in other.stdout
    assert again.exit_code != 0 and "already decided" in again.output
    assert appeal_id in migrated("appeals", "list", "--status", "overturned").stdout
