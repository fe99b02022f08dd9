"""The whole review-and-enforcement path over the API, with fake webhooks and a manual clock.

report -> case -> claim -> resolve with an action -> webhook -> appeal -> overturn by another
reviewer -> compensating action (webhook) -> corrected label; an enterprise subject's automated
ban routed to the sensitive queue; a ban waiting for a second approver; an expired action
reverted on time; bad input refused with nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock, RecordingTransport
from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import ActionId
from garrison.domain.webhooks import SIGNATURE_HEADER
from garrison.entrypoints.web.app import create_app

SUBJECT = "account:acct_9"
Headers = dict[str, str]


@dataclass
class Flow:
    client: TestClient
    container: Container
    transport: RecordingTransport
    keys: dict[str, Headers]

    def as_(self, who: str) -> Headers:
        return self.keys[who]

    def dispatch(self) -> None:
        self.container.dispatcher.run_once()

    def webhooks(self) -> list[dict[str, Any]]:
        return [json.loads(r.body)["action"] for r in self.transport.sent]

    @property
    def clock(self) -> ManualClock:
        clock = self.container.clock
        assert isinstance(clock, ManualClock)
        return clock


@pytest.fixture
def flow(make_container: Any) -> Iterator[Flow]:
    transport = RecordingTransport()
    container = make_container(
        transport=transport, webhook_url="http://host.test/hooks", webhook_secret="whsec"
    )
    people = {
        "host": Role.INGEST,
        "alice": Role.REVIEWER,
        "bob": Role.REVIEWER,
        "sam": Role.SENIOR_REVIEWER,
        "pat": Role.SENIOR_REVIEWER,
    }
    keys = {
        name: {
            "Authorization": "Bearer "
            + container.access.create_api_key(name, role, actor="test").key
        }
        for name, role in people.items()
    }
    with TestClient(create_app(container)) as client:
        yield Flow(client, container, transport, keys)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def report_and_resolve(flow: Flow) -> tuple[str, dict[str, Any]]:
    """A user report opens a case; alice claims it and suspends the account for 3 days."""
    filed = ok(
        flow.client.post(
            "/v1/reports",
            json={"reporter": "user_77", "subject": SUBJECT, "report_type": "spam"},
            headers=flow.as_("host"),
        ),
        201,
    )
    case_id = filed["case_id"]
    assert case_id
    ok(flow.client.post(f"/v1/cases/{case_id}/claim", headers=flow.as_("alice")))
    resolution = {
        "outcome": "violating",
        "policy": "spam",
        "actions": [{"kind": "suspend_account", "params": {"duration": "3d"}}],
        "note": "bulk spam",
    }
    ok(flow.client.post(f"/v1/cases/{case_id}/resolve", json=resolution, headers=flow.as_("alice")))
    flow.dispatch()
    [action] = ok(
        flow.client.get("/v1/actions", params={"subject": SUBJECT}, headers=flow.as_("bob"))
    )["actions"]
    return case_id, action


def test_report_to_overturned_appeal_reverses_the_action_and_corrects_the_label(
    flow: Flow,
) -> None:
    case_id, action = report_and_resolve(flow)

    assert (action["kind"], action["status"], action["case_id"]) == (
        "suspend_account",
        "executed",
        case_id,
    )
    assert action["actor"] == "machine:alice"
    assert action["policy"] == "spam"
    [sent] = flow.transport.sent
    assert SIGNATURE_HEADER in sent.headers
    assert flow.webhooks()[0]["id"] == action["id"]

    appeal = ok(
        flow.client.post(
            "/v1/appeals",
            json={"action_id": action["id"], "reason": "my account was hijacked"},
            headers=flow.as_("host"),
        ),
        201,
    )
    assert appeal["origin"]["actor"] == "machine:alice"
    refused = flow.client.post(
        f"/v1/appeals/{appeal['id']}/decide",
        json={"outcome": "overturn"},
        headers=flow.as_("alice"),
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["field"] == "reviewer"

    decided = ok(
        flow.client.post(
            f"/v1/appeals/{appeal['id']}/decide",
            json={"outcome": "overturn", "note": "hijack confirmed"},
            headers=flow.as_("bob"),
        )
    )
    flow.dispatch()

    assert decided["status"] == "overturned"
    [reversal_id] = decided["reversal_ids"]
    entry = ok(flow.client.get(f"/v1/actions/{action['id']}", headers=flow.as_("bob")))
    assert entry["status"] == "reverted"
    assert entry["reversal"]["id"] == reversal_id
    assert entry["reversal"]["status"] == "executed"
    undo = flow.webhooks()[-1]
    assert (undo["kind"], undo["reverses"]) == ("unsuspend_account", action["id"])
    labels = ok(flow.client.get(f"/v1/cases/{case_id}", headers=flow.as_("bob")))["labels"]
    assert {(lbl["provenance"], lbl["value"]) for lbl in labels} == {
        ("review", "violating"),
        ("appeal", "not_violating"),
    }
    again = flow.client.post(
        "/v1/appeals", json={"action_id": action["id"], "reason": "again"}, headers=flow.as_("host")
    )
    assert again.status_code == 409
    assert "already decided" in again.json()["error"]["message"]


def test_an_enterprise_subjects_automated_ban_goes_to_the_sensitive_queue(flow: Flow) -> None:
    event = {
        "id": "evt_ent",
        "type": "account.signup",
        "occurred_at": "2025-01-31T11:00:00Z",
        "entities": {"account": "acct_big"},
        "attributes": {"tier": "enterprise"},
    }
    ok(flow.client.post("/v1/events", json=event, headers=flow.as_("host")))
    ban = Action(
        ActionId("act_rule_ban"),
        ActionKind.BAN_ACCOUNT,
        EntityRef(EntityKind.ACCOUNT, "acct_big"),
        {},
        ActionStatus.PLANNED,
        flow.clock.now(),
        policy="fraud",
    )
    with flow.container.uow() as uow:  # as a rule plans it: straight into the outbox
        uow.actions.add([ban])
        uow.commit()

    flow.dispatch()
    flow.dispatch()

    held = ok(flow.client.get("/v1/actions/act_rule_ban", headers=flow.as_("bob")))
    assert held["status"] == "withheld"
    cases = ok(
        flow.client.get("/v1/cases", params={"queue": "sensitive"}, headers=flow.as_("bob"))
    )["cases"]
    assert [c["subject"] for c in cases] == ["account:acct_big"]
    assert [w["kind"] for w in flow.webhooks()] == ["notify_account_team"]


def test_a_ban_waits_for_a_second_approver(flow: Flow) -> None:
    report_and_resolve(flow)
    ban = ok(
        flow.client.post(
            "/v1/actions",
            json={"kind": "ban_account", "subject": SUBJECT, "policy": "spam"},
            headers=flow.as_("sam"),
        ),
        201,
    )
    assert ban["status"] == "pending_approval"
    flow.dispatch()
    assert [w["kind"] for w in flow.webhooks()] == ["suspend_account"]

    own = flow.client.post(
        f"/v1/approvals/{ban['approval_id']}/approve", json={}, headers=flow.as_("sam")
    )
    assert own.status_code == 403
    assert own.json()["error"]["field"] == "approver"
    no_right = flow.client.post(
        f"/v1/approvals/{ban['approval_id']}/approve", json={}, headers=flow.as_("bob")
    )
    assert no_right.status_code == 403

    approved = ok(
        flow.client.post(
            f"/v1/approvals/{ban['approval_id']}/approve",
            json={"note": "seen"},
            headers=flow.as_("pat"),
        )
    )
    flow.dispatch()

    assert approved["status"] == "approved"
    assert [w["kind"] for w in flow.webhooks()] == ["suspend_account", "ban_account"]


def test_an_expired_action_is_reverted_on_time(flow: Flow) -> None:
    report_and_resolve(flow)
    limit = ok(
        flow.client.post(
            "/v1/actions",
            json={"kind": "rate_limit", "subject": SUBJECT, "params": {"duration": "1h"}},
            headers=flow.as_("alice"),
        ),
        201,
    )
    flow.dispatch()
    executed = ok(flow.client.get(f"/v1/actions/{limit['id']}", headers=flow.as_("bob")))
    expires_at = datetime.fromisoformat(executed["expires_at"])
    assert expires_at == flow.clock.now() + timedelta(hours=1)

    flow.clock.advance(3599)
    flow.dispatch()
    assert (
        ok(flow.client.get(f"/v1/actions/{limit['id']}", headers=flow.as_("bob")))["status"]
        == "executed"
    )
    flow.clock.advance(1)
    flow.dispatch()

    after = ok(flow.client.get(f"/v1/actions/{limit['id']}", headers=flow.as_("bob")))
    assert after["status"] == "expired"
    assert flow.webhooks()[-1]["kind"] == "lift_rate_limit"


def test_bad_enforcement_input_is_refused_and_changes_nothing(flow: Flow) -> None:
    before = ok(flow.client.get("/v1/actions", headers=flow.as_("bob")))
    unknown = flow.client.post(
        "/v1/actions", json={"kind": "warn", "subject": "account:ghost"}, headers=flow.as_("alice")
    )
    no_action = flow.client.post(
        "/v1/appeals", json={"action_id": "act_ghost", "reason": "?"}, headers=flow.as_("host")
    )
    bad_kind = flow.client.post(
        "/v1/actions", json={"kind": "explode", "subject": SUBJECT}, headers=flow.as_("alice")
    )

    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "subject")
    assert (no_action.status_code, no_action.json()["error"]["field"]) == (404, "action_id")
    assert bad_kind.status_code == 422
    assert ok(flow.client.get("/v1/actions", headers=flow.as_("bob"))) == before
    assert ok(flow.client.get("/v1/appeals", headers=flow.as_("bob")))["appeals"] == []
