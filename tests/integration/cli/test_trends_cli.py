"""`garrison trends`, `garrison incidents` and `garrison report` on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import Result

from garrison.bootstrap import Container
from garrison.domain.anomaly import FindingKind
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus

Invoke = Callable[..., Result]


def _alert(container: Container) -> str:
    now = datetime.now(UTC)
    alert = TrendAlert(
        TrendAlertId("tra_cli"),
        "type=report.filed,reason=scam",
        FindingKind.SPIKE,
        TrendAlertStatus.OPEN,
        now - timedelta(hours=2),
        now - timedelta(hours=1),
        now,
        19,
        0.0,
        19.0,
        'type == "report.filed" and attr.reason == "scam"',
    )
    with container.uow() as uow:
        uow.trend_alerts.add(alert)
        uow.commit()
    return alert.id


def test_scan_alerts_and_acknowledge(migrated: Invoke, container: Container) -> None:
    scanned = migrated("trends", "scan", "--sensitivity", "0.8")
    assert scanned.exit_code == 0, scanned.output
    assert "0 events" in scanned.output
    alert_id = _alert(container)
    listed = migrated("trends", "alerts", "--status", "open")
    assert alert_id in listed.output and "/search?q=" in listed.output
    assert migrated("trends", "ack", alert_id).exit_code == 0
    again = migrated("trends", "ack", alert_id)
    assert again.exit_code == 1 and "already acknowledged" in again.output
    assert "no emerging clusters" in migrated("trends", "clusters").output


def test_incident_from_alert_to_close(migrated: Invoke, container: Container) -> None:
    alert_id = _alert(container)
    declared = migrated(
        "incidents", "declare", "Scam wave", "--severity", "sev2", "--alert", alert_id
    )
    assert declared.exit_code == 0, declared.output
    incident_id = declared.output.split()[1]
    assert migrated("incidents", "link", incident_id, "case", "cas_1").exit_code == 0
    assert migrated("incidents", "update", incident_id, "blocking VN").exit_code == 0
    said = migrated("incidents", "communicate", incident_id, "on it", "--audience", "support")
    assert said.exit_code == 0
    refused = migrated("incidents", "close", incident_id)
    assert refused.exit_code == 1 and "post-mortem" in refused.output
    written = migrated(
        "incidents",
        "postmortem",
        incident_id,
        "--summary",
        "scam wave",
        "--item",
        'catch it::contains(lower(attr.text), "giveaway")',
    )
    assert written.exit_code == 0, written.output
    drafted = migrated(
        "incidents",
        "draft-rule",
        incident_id,
        "1",
        "--name",
        "scam_giveaway",
        "--policy",
        "spam.scam",
    )
    assert drafted.exit_code == 0, drafted.output
    assert migrated("incidents", "close", incident_id).exit_code == 0
    shown = migrated("incidents", "show", incident_id).output
    assert '"status": "closed"' in shown and '"draft_rule"' not in shown
    assert "scam_giveaway" in shown and "cas_1" in shown
    assert "closed" in migrated("incidents", "list").output


def test_weekly_report_and_csv(migrated: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "week.html"
    done = migrated("ops-report", "weekly", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert "<svg" in out.read_text() or "Weekly operations report" in out.read_text()
    exported = migrated("ops-report", "csv", "queue_health", "--days", "1")
    assert exported.exit_code == 0 and exported.output.startswith("queue,open,claimed")
    bad = migrated("ops-report", "csv", "nonsense")
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    bucket = migrated("ops-report", "csv", "volume_by_type", "--bucket", "9q")
    assert bucket.exit_code == 1 and "bad duration" in bucket.output
