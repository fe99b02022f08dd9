"""`garrison rules backtest`: files or the event log in, a table or JSON out, one-line errors."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from garrison.bootstrap import Container
from garrison.domain.lists import ListKind
from garrison.entrypoints.cli.errors import GarrisonGroup
from garrison.entrypoints.cli.rules_backtest import backtest
from garrison.entrypoints.web.schemas.events import parse_event

Invoke = Callable[..., Result]

RULES = """
[[rule]]
name = "big_payment"
policy = "fraud.big"
verdict = "block"
when = 'type == "payment.attempt" and attr.amount_usd > 100'

[[rule]]
name = "repeat_payer"
policy = "fraud.velocity"
score = 0.6
when = 'count("account", "1h", "payment.attempt") >= 2'

[[rule]]
name = "listed_domain"
policy = "fraud.lists"
when = 'in_list("blocked_countries", attr.card_country)'
"""


def _event(n: int, at: datetime, account: str, **attributes: Any) -> dict[str, Any]:
    return {
        "id": f"evt_{n}",
        "type": "payment.attempt",
        "occurred_at": at.isoformat(),
        "entities": {"account": account},
        "attributes": attributes,
    }


def _events(start: datetime) -> list[dict[str, Any]]:
    return [
        _event(1, start, "a1", amount_usd=500),
        _event(2, start + timedelta(minutes=2), "a1", amount_usd=5, card_country="XX"),
        _event(3, start + timedelta(minutes=3), "a2", amount_usd=150),
        _event(4, start + timedelta(days=1), "a3", amount_usd=1),
    ]


@pytest.fixture
def run(database: Path) -> Invoke:
    app = typer.Typer(cls=GarrisonGroup, add_completion=False)
    app.command("backtest")(backtest)

    @app.callback()
    def root() -> None:
        """Test app."""

    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["backtest", *args])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    events = tmp_path / "events.jsonl.gz"
    lines = [json.dumps(e) for e in _events(datetime(2026, 1, 1, tzinfo=UTC))]
    lines.insert(2, '{"id": "broken"')
    events.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    truth = tmp_path / "sim.truth.json"
    truth.write_text(
        json.dumps(
            {
                "simulation": {},
                "entities": [
                    {"entity": "account:a1", "abuse": "x", "reason": "r", "scenario_id": "s"}
                ],
                "scenarios": [],
            }
        )
    )
    return {"rules": rules, "events": events, "truth": truth}


def _json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_json_report_from_a_gzipped_file(
    run: Invoke, files: dict[str, Path], container: Container
) -> None:
    container.lists.create("blocked_countries", ListKind.EXACT, ["XX"], actor="test")
    data = _json(run(str(files["rules"]), "--events", str(files["events"]), "--format", "json"))
    hits = {rule["name"]: rule["hits"] for rule in data["rules"]}
    assert hits == {"big_payment": 2, "repeat_payer": 1, "listed_domain": 1}
    assert data["events"] == 4
    assert data["problems"] == [
        "line 3: not valid JSON (unexpected end of data: line 1 column 16 (char 15))"
    ]
    assert data["days"] == {"2026-01-01": 3, "2026-01-02": 1}
    assert data["verdicts"]["block"] == 2


def test_no_database_is_needed_for_a_file_and_rules_without_lists(
    run: Invoke, files: dict[str, Path], tmp_path: Path
) -> None:
    rules = tmp_path / "plain.toml"
    rules.write_text(RULES.split('[[rule]]\nname = "listed_domain"')[0])
    data = _json(run(str(rules), "--events", str(files["events"]), "--format", "json"))
    assert [rule["name"] for rule in data["rules"]] == ["big_payment", "repeat_payer"]


def test_table_with_ground_truth(run: Invoke, files: dict[str, Path], migrated: Invoke) -> None:
    result = run(
        str(files["rules"]), "--events", str(files["events"]), "--labels", str(files["truth"])
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "big_payment" in out and "precision" in out
    assert "all rules: precision 50% (9-91%), recall 100% (21-100%)" in out
    assert "skipped line 3" in out


def test_on_error_stop_names_the_line(
    run: Invoke, files: dict[str, Path], migrated: Invoke
) -> None:
    result = run(str(files["rules"]), "--events", str(files["events"]), "--on-error", "stop")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and ":3: not valid JSON" in result.stderr


def test_one_source_is_required(run: Invoke, files: dict[str, Path]) -> None:
    neither = run(str(files["rules"]))
    both = run(str(files["rules"]), "--events", str(files["events"]), "--since", "1d")
    for result in (neither, both):
        assert result.exit_code != 0
        assert "exactly one of --events" in result.output


@pytest.fixture
def live_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: Path) -> Path:
    """RULES as the release the server publishes on its first start."""
    rules = tmp_path / "live.toml"
    rules.write_text(RULES)
    monkeypatch.setenv("GARRISON_RULES_PATH", str(rules))
    return rules


def test_the_event_log_replays_as_real_time_decided(
    run: Invoke, live_rules: Path, container: Container
) -> None:
    """Events ingested for real, then backtested from the log: the same hits, rule by rule."""
    container.lists.create("blocked_countries", ListKind.EXACT, ["XX"], actor="test")
    start = datetime.now(UTC) - timedelta(hours=3)
    decided: dict[str, int] = {}
    for wire in _events(start)[:3]:
        decision = container.ingest.process(parse_event(wire)).decision
        for hit in decision.hits:
            decided[hit.rule] = decided.get(hit.rule, 0) + 1
    data = _json(run(str(live_rules), "--since", "1d", "--live", "current", "--format", "json"))
    assert data["events"] == 3
    assert data["live_release"]
    assert {r["name"]: r["hits"] for r in data["rules"]} == {
        "big_payment": decided["big_payment"],
        "repeat_payer": decided["repeat_payer"],
        "listed_domain": decided["listed_domain"],
    }
    assert decided == {"big_payment": 2, "repeat_payer": 1, "listed_domain": 1}
    assert all(r["overlap_events"] == r["hits"] for r in data["rules"])
