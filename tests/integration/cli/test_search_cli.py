"""`garrison search`, `garrison queries` and `garrison retroactive` over a SQLite file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId

NOW = datetime.now(UTC)
Invoke = Callable[..., Result]


@pytest.fixture
def migrated(cli: Invoke, database: Path) -> Invoke:
    """The database migrated to every head (the merge revision comes with the release)."""
    migrate(f"sqlite:///{database}")
    return cli


@pytest.fixture
def declines(container: Container) -> Container:
    """Six payment attempts in the last hours, every other one declined."""
    for i in range(6):
        container.ingest.process(
            Event(
                EventId(f"evt_{i}"),
                "payment.attempt",
                NOW - timedelta(hours=6 - i),
                {EntityKind.ACCOUNT: f"acct_{i}", EntityKind.PAYMENT_METHOD: "pm_1"},
                {"result": "declined" if i % 2 == 0 else "ok", "amount_usd": float(i)},
            )
        )
    return container


@pytest.mark.usefixtures("declines")
def test_search_prints_matches_as_json_and_csv(migrated: Invoke) -> None:
    found = migrated("search", 'attr.result == "declined"', "--since", "1d", "--format", "json")
    assert found.exit_code == 0, found.output
    body = json.loads(found.output)
    assert body["matched"] == 3
    assert [e["id"] for e in body["events"]] == ["evt_4", "evt_2", "evt_0"]
    exported = migrated("search", 'attr.result == "ok"', "--since", "1d", "--format", "csv")
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert [r["id"] for r in rows] == ["evt_1", "evt_3", "evt_5"]
    table = migrated("search", 'attr.result == "ok"', "--since", "1d")
    assert "3 of 6 events matched" in table.output


def test_a_bad_query_is_one_line_with_its_position(migrated: Invoke) -> None:
    result = migrated("search", "attr.result ==", "--since", "1d")
    assert result.exit_code == 1
    assert "error: <query>:1:" in result.output and "Traceback" not in result.output


@pytest.mark.usefixtures("declines")
def test_saved_queries_round_trip(migrated: Invoke) -> None:
    saved = migrated("queries", "save", "declines", 'attr.result == "declined"', "--shared")
    assert saved.exit_code == 0, saved.output
    query_id = saved.output.split()[1]
    assert "declines" in migrated("queries", "list").output
    ran = migrated("queries", "run", query_id, "--format", "json")
    assert json.loads(ran.output)["matched"] == 3
    assert migrated("queries", "delete", query_id).exit_code == 0
    assert "no saved queries" in migrated("queries", "list").output


@pytest.mark.usefixtures("declines")
def test_retroactive_preview_apply_and_undo(migrated: Invoke, container: Container) -> None:
    args = ["--query", 'attr.result == "declined"', "--since", "1d"]
    label = ["--action", '{"kind": "add_label", "params": {"label": "decliner"}}']
    preview = migrated("retroactive", "preview", *args, *label)
    assert preview.exit_code == 0, preview.output
    assert "3 subjects" in preview.output and "account:acct_0" in preview.output
    applied = migrated("retroactive", "apply", *args, *label, "--reason", "card testing")
    assert applied.exit_code == 0, applied.output and "applied" in applied.output
    retro_id = next(w for w in applied.output.split() if w.startswith("retro"))
    undone = migrated("retroactive", "undo", retro_id)
    assert undone.exit_code == 0 and "undone" in undone.output
    missing = migrated("retroactive", "preview", "--ring", "nope", "--action", "warn")
    assert missing.exit_code == 1 and "error: no ring nope" in missing.output
