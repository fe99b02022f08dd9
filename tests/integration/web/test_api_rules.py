"""The rules lifecycle over HTTP: releases, approvals, rules, caps, snoozes, alerts, shadow report,
and a publish in one process seen by the next event of another (two containers, one SQLite file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.bootstrap import Container, bootstrap, migrate
from garrison.config import Settings
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app

CHARGEBACKS = """
[[rule]]
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
stage = "shadow"
verdict = "block"
when = 'type == "payment.chargeback" and attr.amount_usd > 10'
"""

BROKEN = """
[[rule]]
name = "ok"
policy = "p"
when = 'type == "payment.chargeback"'

[[rule]]
name = "broken"
policy = "p"
stage = "sideways"
when = 'type == "payment.chargeback" and'
"""


def _publish(client: TestClient, headers: dict[str, str], text: str) -> dict[str, Any]:
    response = client.post("/v1/releases", json={"text": text, "notes": "test"}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_rules_of_the_live_release(client: TestClient, auth: Any) -> None:
    response = client.get("/v1/rules", headers=auth(Role.VIEWER))

    assert response.status_code == 200
    body = response.json()
    assert body["release_version"] == 1 and body["live"] is True
    chargeback = next(r for r in body["rules"] if r["name"] == "chargeback_review")
    assert chargeback["stage"] == chargeback["declared_stage"] == "live"
    assert (chargeback["owner"], chargeback["policy"]) == ("fraud-team", "fraud.chargebacks")
    assert chargeback["hits_today"] == 0
    assert client.get("/v1/rules", headers=auth(Role.INGEST)).status_code == 403


def test_a_broken_rule_file_is_refused_with_every_problem(client: TestClient, auth: Any) -> None:
    editor = auth(Role.RULES_EDITOR)

    response = client.post("/v1/releases", json={"text": BROKEN}, headers=editor)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_rules"
    assert [(e["path"], e["line"]) for e in error["errors"]] == [
        ("rules.toml", 10),
        ("rules.toml", 11),
    ]
    assert all(e["col"] >= 1 and e["message"] for e in error["errors"])
    releases = client.get("/v1/releases", headers=editor).json()["releases"]
    assert [r["version"] for r in releases] == [1]
    assert (
        client.post("/v1/releases", json={"text": BROKEN}, headers=auth(Role.VIEWER)).status_code
        == 403
    )


def test_publish_read_and_diff(client: TestClient, auth: Any, event: Any) -> None:
    editor = auth(Role.RULES_EDITOR)

    published = _publish(client, editor, CHARGEBACKS)

    assert (published["version"], published["status"]) == (2, "published")
    assert published["author"] == "machine:rules_editor-key"
    read = client.get("/v1/releases/2", headers=auth(Role.VIEWER)).json()
    assert read["text"] == CHARGEBACKS and read["notes"] == "test"
    assert client.get("/v1/releases/1", headers=editor).json()["status"] == "superseded"
    assert client.get("/v1/releases/9", headers=editor).status_code == 404
    diff = client.get("/v1/releases/1/diff/2", headers=editor).json()
    assert [r["name"] for r in diff["added"]] == ["chargeback_block", "chargeback_watch"]
    assert "chargeback_review" in [r["name"] for r in diff["removed"]]
    decision = client.post("/v1/events", json=event(), headers=auth(Role.INGEST)).json()
    assert (decision["release_version"], decision["verdict"]) == ("2", "block")
    assert [h["rule"] for h in decision["shadow_hits"]] == ["chargeback_watch"]
    stored = client.get(f"/v1/decisions/{decision['decision_id']}", headers=editor).json()
    assert stored["shadow_hits"] == decision["shadow_hits"]


def test_approval_by_a_second_editor(make_container: Callable[..., Container]) -> None:
    container = make_container(rules_require_approval=True)
    editor = container.access.create_api_key("ed", Role.RULES_EDITOR, actor="test").key
    admin = container.access.create_api_key("flo", Role.ADMIN, actor="test").key
    as_editor = {"Authorization": f"Bearer {editor}"}
    as_admin = {"Authorization": f"Bearer {admin}"}
    with TestClient(create_app(container)) as client:
        pending = _publish(client, as_editor, CHARGEBACKS)
        own = client.post("/v1/releases/2/approve", headers=as_editor)
        approved = client.post("/v1/releases/2/approve", headers=as_admin)
        again = client.post("/v1/releases/2/approve", headers=as_admin)
        third = _publish(client, as_editor, CHARGEBACKS + "\n")
        rejected = client.post(
            "/v1/releases/3/reject", json={"reason": "same text"}, headers=as_admin
        )
        live = client.get("/v1/rules", headers=as_editor).json()

    assert pending["status"] == "pending_approval"
    assert own.status_code == 403
    assert approved.status_code == 200 and approved.json()["approved_by"] == "machine:flo"
    assert again.status_code == 409
    assert third["status"] == "pending_approval"
    assert rejected.status_code == 200 and rejected.json()["rejected_by"] == "machine:flo"
    assert live["release_version"] == 2


def test_cap_demotion_alert_and_restore(client: TestClient, auth: Any, event: Any) -> None:
    editor, ingest = auth(Role.RULES_EDITOR), auth(Role.INGEST)
    _publish(client, editor, CHARGEBACKS)

    first = client.post("/v1/events", json=event("evt_1"), headers=ingest).json()
    second = client.post("/v1/events", json=event("evt_2"), headers=ingest).json()
    alerts = client.get("/v1/alerts", headers=auth(Role.VIEWER)).json()["alerts"]
    rules = {r["name"]: r for r in client.get("/v1/rules", headers=editor).json()["rules"]}
    restored = client.post("/v1/rules/chargeback_block/restore", headers=editor)
    third = client.post("/v1/events", json=event("evt_3"), headers=ingest).json()

    assert first["verdict"] == "block" and second["verdict"] == "allow"
    assert [h["rule"] for h in second["shadow_hits"]] == ["chargeback_block", "chargeback_watch"]
    [alert] = alerts
    assert (alert["kind"], alert["rule"], alert["acknowledged"]) == (
        "rule_demoted",
        "chargeback_block",
        False,
    )
    assert rules["chargeback_block"]["stage"] == "shadow"
    assert rules["chargeback_block"]["demoted"] is True
    assert (rules["chargeback_block"]["hits_today"], rules["chargeback_block"]["acted_today"]) == (
        2,
        1,
    )
    assert restored.status_code == 200 and restored.json() == {
        "rule": "chargeback_block",
        "restored": 1,
    }
    assert third["verdict"] == "block"
    assert client.post("/v1/rules/chargeback_block/restore", headers=editor).status_code == 404
    acked = client.post(f"/v1/alerts/{alert['id']}/acknowledge", headers=editor)
    assert acked.status_code == 200 and acked.json()["acknowledged"] is True
    assert client.get("/v1/alerts?acknowledged=false", headers=editor).json()["alerts"] == []
    audit = client.get("/v1/audit?target=rule:chargeback_block", headers=auth(Role.ADMIN))
    actions = [r["action"] for r in audit.json()["records"]]
    assert actions == ["rule.restore", "rule.demote"]


def test_snoozes(client: TestClient, auth: Any, event: Any) -> None:
    editor, ingest = auth(Role.RULES_EDITOR), auth(Role.INGEST)
    body = {
        "rule": "chargeback_review",
        "entity": "account:acct_1",
        "duration": "24h",
        "reason": "known merchant dispute",
    }

    created = client.post("/v1/snoozes", json=body, headers=editor)
    snoozed = client.post("/v1/events", json=event("evt_1"), headers=ingest).json()
    other = client.post(
        "/v1/events", json=event("evt_2", entities={"account": "acct_2"}), headers=ingest
    ).json()
    listed = client.get("/v1/snoozes", headers=auth(Role.VIEWER)).json()["snoozes"]
    lifted = client.post(f"/v1/snoozes/{created.json()['id']}/lift", headers=editor)
    after = client.post("/v1/events", json=event("evt_3"), headers=ingest).json()

    assert created.status_code == 201
    assert created.json()["until"].startswith("2025-02-01T12:00:00")
    assert (snoozed["verdict"], snoozed["snoozed"]) == ("allow", ["chargeback_review"])
    assert other["verdict"] == "review"
    assert [s["entity"] for s in listed] == ["account:acct_1"]
    assert lifted.status_code == 200
    assert "chargeback_review" in [r["rule"] for r in after["reasons"]]
    assert client.get("/v1/snoozes", headers=editor).json()["snoozes"] == []
    both = client.post(
        "/v1/snoozes", json={**body, "until": "2030-01-01T00:00:00Z"}, headers=editor
    )
    unknown = client.post("/v1/snoozes", json={**body, "rule": "nope"}, headers=editor)
    bad_entity = client.post("/v1/snoozes", json={**body, "entity": "planet:x"}, headers=editor)
    assert (both.status_code, unknown.status_code, bad_entity.status_code) == (422, 404, 422)


def test_shadow_report(client: TestClient, auth: Any, event: Any) -> None:
    _publish(client, auth(Role.RULES_EDITOR), CHARGEBACKS)
    ingest = auth(Role.INGEST)
    client.post("/v1/events", json=event("evt_1"), headers=ingest)
    client.post(
        "/v1/events",
        json=event("evt_2", entities={"account": "acct_2"}, attributes={"amount_usd": 5}),
        headers=ingest,
    )

    response = client.get("/v1/rules/shadow-report?since=1h", headers=auth(Role.VIEWER))

    assert response.status_code == 200
    report = response.json()
    assert report["decisions"] == 2
    [watch] = [r for r in report["rules"] if r["rule"] == "chargeback_watch"]
    assert (watch["stage"], watch["evaluated"], watch["hits"]) == ("shadow", 2, 1)
    assert watch["verdict_changes"] == 0 and watch["subjects_already_caught"] == 1
    assert len(watch["samples"]) == 1
    bad = client.get("/v1/rules/shadow-report?since=yesterday", headers=auth(Role.VIEWER))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[Container, Container]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'garrison.db'}",
        secret_key="test",
        dispatch_in_server=False,
    )
    migrate(settings)
    clock = ManualClock(datetime(2025, 1, 31, 12, 0, tzinfo=UTC))

    def build(prefix: str) -> Container:
        ids = SequentialIds()
        return bootstrap(
            settings,
            clock=clock,
            ids=_Prefixed(prefix, ids),
            transport=RecordingTransport(),
        )

    first, second = build("a"), build("b")
    yield first, second
    first.close()
    second.close()


class _Prefixed:
    def __init__(self, prefix: str, ids: SequentialIds) -> None:
        self._prefix, self._ids = prefix, ids

    def new(self, prefix: str) -> str:
        return self._ids.new(f"{prefix}_{self._prefix}")


def test_no_stale_release_after_a_publish_in_another_process(
    two_processes: tuple[Container, Container], event: Any
) -> None:
    publisher, evaluator = two_processes
    key = evaluator.access.create_api_key("host", Role.INGEST, actor="test").key
    ingest = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(evaluator)) as client:
        before = client.post("/v1/events", json=event("evt_1"), headers=ingest).json()
        publisher.rules.propose(CHARGEBACKS, actor="person:ed")
        after = client.post("/v1/events", json=event("evt_2"), headers=ingest).json()
        publisher.rules.propose(
            CHARGEBACKS.replace('stage = "shadow"', 'stage = "live"'), actor="person:ed"
        )
        latest = client.post("/v1/events", json=event("evt_3"), headers=ingest).json()

    assert (before["release_version"], before["verdict"]) == ("1", "review")
    assert (after["release_version"], after["verdict"]) == ("2", "block")
    assert [h["rule"] for h in after["shadow_hits"]] == ["chargeback_watch"]
    assert latest["release_version"] == "3"
    assert latest["shadow_hits"] == []
    assert [r["rule"] for r in latest["reasons"]] == ["chargeback_block", "chargeback_watch"]
