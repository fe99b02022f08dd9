"""`garrison graph rebuild | detect | rings`, on a throwaway Typer app over a SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.entrypoints.cli.graph import graph

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Test root, so `graph` stays a sub-command."""

    app.add_typer(graph, name="graph")
    return app


def run(*args: str) -> Result:
    return CliRunner().invoke(_app(), list(args))


@pytest.fixture
def container(database: Path) -> Iterator[Container]:
    """A container on the test database, migrated to every head."""
    migrate(f"sqlite:///{database}")
    built = bootstrap(Settings())
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def farm(container: Container) -> Container:
    """Five accounts, each in its own org, on one device and one IP; one bystander."""
    for n in range(5):
        container.ingest.process(
            Event(
                EventId(f"evt_{n}"),
                "account.login",
                T0 + timedelta(minutes=n),
                {
                    EntityKind.ACCOUNT: f"acct_{n}",
                    EntityKind.ORG: f"org_{n}",
                    EntityKind.DEVICE: "dev_farm",
                    EntityKind.IP: "203.0.113.50",
                },
                {},
            )
        )
    container.ingest.process(
        Event(
            EventId("evt_alone"),
            "account.login",
            T0,
            {EntityKind.ACCOUNT: "acct_alone", EntityKind.DEVICE: "dev_alone"},
            {},
        )
    )
    return container


def test_rebuild_detect_and_list_rings(farm: Container) -> None:
    rebuilt = run("graph", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "links rebuilt from 6 events" in rebuilt.output

    detected = run("graph", "detect")
    assert detected.exit_code == 0, detected.output
    assert "1 rings in 6 accounts" in detected.output
    assert "1 opened a review" in detected.output

    listed = run("graph", "rings", "--format", "json")
    assert listed.exit_code == 0, listed.output
    [ring] = json.loads(listed.output)
    assert ring["members"] == [f"account:acct_{n}" for n in range(5)]
    assert [s["shown"] for s in ring["infrastructure"]] == ["device:dev_farm", "ip:203.0.113.x"]
    assert ring["flagged_at"] is not None

    table = run("graph", "rings")
    assert table.exit_code == 0, table.output
    assert ring["id"] in table.output and "203.0.113.x" in table.output
    assert "203.0.113.50" not in table.output

    bigger = run("graph", "rings", "--min-size", "6")
    assert "no rings of 6 or more members" in bigger.output


def test_rings_refresh_detects_first(farm: Container) -> None:
    run("graph", "rebuild")
    assert "no rings" in run("graph", "rings").output
    refreshed = run("graph", "rings", "--refresh", "--format", "json")
    assert refreshed.exit_code == 0, refreshed.output
    assert len(json.loads(refreshed.output)) == 1
