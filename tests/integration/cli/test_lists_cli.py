"""`garrison lists ...` and `garrison labels ...`, registered here on a throwaway app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityKind, EntityRef
from garrison.entrypoints.cli.entity_labels import labels
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.lists import lists

Invoke = Callable[..., Result]


@pytest.fixture
def schema(database: Path) -> Path:
    """The database, migrated directly (these tests are about the list commands, not migrate)."""
    migrate(f"sqlite:///{database}")
    return database


@pytest.fixture
def container(schema: Path) -> Iterator[Container]:
    """A container on the same database, to check what the commands wrote."""
    built = bootstrap(Settings())
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def run(schema: Path) -> Invoke:
    app = typer.Typer(cls=GarrisonGroup, add_completion=False)
    app.add_typer(lists, name="lists")
    app.add_typer(labels, name="labels")
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output
    return result.stderr


def test_create_from_a_file_show_and_upload_it_back(
    run: Invoke, container: Container, tmp_path: Path
) -> None:
    source = tmp_path / "ips.txt"
    source.write_text("# office networks\n10.0.0.0/8\n\n192.168.1.7\n")
    created = ok(run("lists", "create", "office", "--kind", "cidr", "--file", str(source)))
    assert "office created: 2 entries" in created

    shown = ok(run("lists", "show", "office"))
    assert shown.splitlines()[1:] == ["10.0.0.0/8", "192.168.1.7/32"]
    (tmp_path / "again.txt").write_text(shown + "172.16.0.0/12\n")
    assert "3 entries" in ok(run("lists", "upload", "office", str(tmp_path / "again.txt")))
    assert container.lists.get("office").entries == (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.1.7/32",
    )


def test_a_bad_line_is_reported_by_number_and_nothing_changes(
    run: Invoke, container: Container, tmp_path: Path
) -> None:
    ok(run("lists", "create", "office", "--kind", "cidr"))
    before = container.lists.get("office")
    bad = tmp_path / "bad.txt"
    bad.write_text("# comment\n10.0.0.0/8\n\n10.1.2.3/8\n")
    message = failed(run("lists", "upload", "office", str(bad)))
    assert f"{bad}:4" in message and "did you mean 10.0.0.0/8" in message
    assert container.lists.get("office") == before


def test_upload_reads_stdin(run: Invoke, container: Container) -> None:
    ok(run("lists", "create", "words", "--kind", "regex", "--description", "spam words"))
    ok(run("lists", "upload", "words", "-", stdin="(?i:.*casino.*)\nspam\\d+\n"))
    assert container.lists.get("words").entries == ("(?i:.*casino.*)", "spam\\d+")


def test_add_remove_list_and_delete(run: Invoke, container: Container) -> None:
    ok(run("lists", "create", "accounts", "--kind", "exact"))
    assert "3 entries" in ok(run("lists", "add", "accounts", "a1", "a2", "a3"))
    assert "1 entry" in ok(run("lists", "remove", "accounts", "a1", "a3", "zz"))
    table = ok(run("lists", "list"))
    assert "accounts" in table and "disposable_email_domains" in table
    assert "deleted" in ok(run("lists", "delete", "accounts"))
    assert "no list named 'accounts'" in failed(run("lists", "show", "accounts"))


def test_unknown_kind_is_a_usage_error(run: Invoke) -> None:
    result = run("lists", "create", "x", "--kind", "glob")
    assert result.exit_code == 2 and "exact" in result.stderr


def test_labels_add_list_and_remove(run: Invoke, container: Container) -> None:
    assert "until" in ok(run("labels", "add", "account:acct_1", "watch", "--ttl", "7d"))
    ok(run("labels", "add", "account:acct_1", "trusted"))
    listed = ok(run("labels", "list", "account:acct_1"))
    assert "trusted" in listed and "watch" in listed and "never" in listed
    ok(run("labels", "remove", "account:acct_1", "watch"))
    found = container.entity_labels.for_entity(EntityRef(EntityKind.ACCOUNT, "acct_1"))
    assert [(x.name, x.author.startswith("cli:")) for x in found] == [("trusted", True)]
    assert "has no labels" in ok(run("labels", "list", "ip:1.2.3.4"))


def test_bad_label_input_is_one_red_line(run: Invoke) -> None:
    assert "ttl" in failed(run("labels", "add", "account:acct_1", "watch", "--ttl", "soon"))
    assert "kind:id" in failed(run("labels", "add", "acct_1", "watch"))
    assert "no label" in failed(run("labels", "remove", "account:acct_1", "watch"))
