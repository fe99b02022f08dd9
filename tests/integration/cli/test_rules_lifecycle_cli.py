"""`garrison rules publish | approve | reject | releases | show | diff | list | snooze | unsnooze |
snoozes | restore | alerts | shadow-report`, registered on a throwaway app as the lead will."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from garrison import bootstrap as composition
from garrison.bootstrap import Container
from garrison.config import Settings
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.entrypoints.cli import rules_lifecycle
from garrison.entrypoints.cli.errors import GarrisonGroup

Invoke = Callable[..., Result]

CHARGEBACKS = """[[rule]]
name = "chargeback_block"
policy = "fraud.chargebacks"
owner = "fraud-team"
verdict = "block"
max_actions_per_day = 1
actions = ["suspend_account"]
when = 'type == "payment.chargeback"'

[[rule]]
name = "chargeback_watch"
policy = "fraud.chargebacks"
stage = "canary"
canary_percent = 50
verdict = "block"
when = 'type == "payment.chargeback" and attr.amount_usd > 10'
"""


@pytest.fixture
def rules_app() -> typer.Typer:
    app = typer.Typer(cls=GarrisonGroup, add_completion=False)
    rules = typer.Typer()
    rules_lifecycle.register(rules)
    app.add_typer(rules, name="rules")
    return app


@pytest.fixture
def cli(database: Path, rules_app: typer.Typer) -> Invoke:
    composition.migrate(Settings())
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(rules_app, ["rules", *args], env={"COLUMNS": "250"})

    return invoke


@pytest.fixture
def stored(cli: Invoke) -> Iterator[Container]:
    """A container on the same database (built after `cli` migrated it)."""
    built = composition.bootstrap(Settings())
    yield built
    built.close()


@pytest.fixture
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "chargebacks.toml"
    path.write_text(CHARGEBACKS)
    return path


def _chargeback(container: Container, n: int, account: str = "acct_1") -> str:
    event = Event(
        EventId(f"evt_{n}"),
        "payment.chargeback",
        datetime.now(UTC),
        {EntityKind.ACCOUNT: account},
        {"amount_usd": 20},
    )
    return container.ingest.process(event).decision.verdict.value


def test_publish_then_read_it_back(cli: Invoke, rule_file: Path) -> None:
    published = cli("publish", str(rule_file), "--note", "stricter chargebacks")
    shown = cli("show")
    listed = cli("releases")
    rules = cli("list")
    old = cli("list", "--version", "1")

    assert published.exit_code == 0, published.output
    assert published.stdout.strip() == "release 2 is live"
    assert shown.stdout == CHARGEBACKS
    assert "stricter chargebacks" in listed.stdout and "superseded" in listed.stdout
    assert rules.stdout.startswith("release 2 (live)")
    assert "chargeback_block" in rules.stdout and "canary 50%" in rules.stdout
    assert old.stdout.startswith("release 1 (superseded)")


def test_a_broken_file_is_refused_with_every_problem(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(
        CHARGEBACKS.replace('stage = "canary"', 'stage = "sideways"').replace("> 10'", ">'")
    )

    result = cli("publish", str(path))

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "refused: 3 problems; nothing stored"
    assert all(line.startswith(f"{path}:") for line in lines[:-1])
    assert [line.split(":")[1] for line in lines[:-1]] == ["13", "14", "16"]
    assert "release 2" not in cli("releases").stdout


def test_approval_needs_a_second_person(
    cli: Invoke, rule_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_RULES_REQUIRE_APPROVAL", "true")
    monkeypatch.setattr(rules_lifecycle, "cli_actor", lambda: "cli:ed")

    proposed = cli("publish", str(rule_file))
    own = cli("approve", "2")
    monkeypatch.setattr(rules_lifecycle, "cli_actor", lambda: "cli:flo")
    approved = cli("approve", "2")
    cli("publish", str(rule_file))
    rejected = cli("reject", "3", "--reason", "duplicate")
    pending = cli("releases", "--status", "pending_approval")

    assert "release 2 is waiting for approval" in proposed.stdout
    assert own.exit_code == 1
    assert "another editor must approve it" in own.stderr
    assert approved.exit_code == 0 and approved.stdout.strip() == "release 2 is live"
    assert rejected.stdout.strip() == "release 3 rejected"
    assert pending.stdout.strip() == "no releases with status pending_approval"


def test_diff_releases_and_a_file_against_live(
    cli: Invoke, rule_file: Path, tmp_path: Path
) -> None:
    cli("publish", str(rule_file))
    changed = tmp_path / "changed.toml"
    changed.write_text(CHARGEBACKS.replace('stage = "canary"\ncanary_percent = 50\n', ""))

    between = cli("diff", "1", "2")
    against_file = cli("diff", str(changed))
    same = cli("diff", "2")

    assert between.exit_code == 0, between.output
    assert between.stdout.startswith("1 -> 2\n+ chargeback_block (added, live)")
    assert "- chargeback_review (removed)" in between.stdout
    assert "~ chargeback_watch (stage, canary_percent, canary -> live)" in against_file.stdout
    assert '-stage = "canary"\n-canary_percent = 50\n+stage = "live"\n' in against_file.stdout
    assert same.stdout.strip() == "no rule differs between 2 and 2"
    assert cli("diff", "9").exit_code == 1


def test_snooze_list_and_lift(cli: Invoke, rule_file: Path, stored: Container) -> None:
    cli("publish", str(rule_file))

    snoozed = cli("snooze", "chargeback_block", "account:acct_1", "--for", "2h", "--reason", "VIP")
    listed = cli("snoozes")
    verdict = _chargeback(stored, 1)
    snooze_id = snoozed.stdout.strip().split("(")[-1].rstrip(")")
    lifted = cli("unsnooze", snooze_id)

    assert snoozed.exit_code == 0, snoozed.output
    assert snoozed.stdout.startswith("snoozed chargeback_block for account:acct_1 until ")
    assert "VIP" in listed.stdout
    assert verdict == "allow"
    assert lifted.exit_code == 0 and cli("snoozes").stdout.strip() == "no snoozes"
    assert _chargeback(stored, 2) == "block"
    bad = cli("snooze", "chargeback_block", "acct_1", "--reason", "x")
    assert bad.exit_code == 1 and "kind:id" in bad.stderr


def test_cap_demotion_alerts_restore_and_the_shadow_report(
    cli: Invoke, rule_file: Path, stored: Container
) -> None:
    cli("publish", str(rule_file))
    verdicts = [_chargeback(stored, n, account=f"acct_{n}") for n in range(4)]

    alerts = cli("alerts")
    listed = cli("list")
    report = cli("shadow-report", "--since", "1h")
    restored = cli("restore", "chargeback_block")
    alert_id = alerts.stdout.split("alr_")[1].split()[0]
    acked = cli("alerts", "--ack", f"alr_{alert_id}")

    assert verdicts[0] == "block"
    assert "rule_demoted" in alerts.stdout and "chargeback_block" in alerts.stdout
    assert "shadow (demoted)" in listed.stdout
    assert report.exit_code == 0, report.output
    assert report.stdout.startswith("4 decisions from ")
    assert "chargeback_block" in report.stdout and "chargeback_watch" in report.stdout
    assert restored.stdout.strip() == "rule chargeback_block restored: it acts again"
    assert cli("restore", "chargeback_block").exit_code == 1
    assert acked.stdout.strip() == f"alert alr_{alert_id} acknowledged"
    assert cli("alerts").stdout.strip() == "no alerts"
    assert cli("shadow-report", "--since", "soon").exit_code == 1
