"""Lists and entity labels over HTTP: permissions, 422 with the field, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.adapters.fakes import ManualClock
from garrison.bootstrap import Container
from garrison.domain.access import Role

AuthFor = Callable[[Role], dict[str, str]]
START = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)  # the clock of the web tests' container
EDITOR, VIEWER, REVIEWER = Role.RULES_EDITOR, Role.VIEWER, Role.REVIEWER


def create(client: TestClient, auth: AuthFor, **body: Any) -> Any:
    body = {"name": "blocked_ips", "kind": "cidr", "entries": ["10.0.0.0/8"], **body}
    return client.post("/v1/lists", json=body, headers=auth(EDITOR))


def test_the_shipped_disposable_domains_list_is_there(client: TestClient, auth: AuthFor) -> None:
    listed = client.get("/v1/lists", headers=auth(VIEWER)).json()["lists"]
    shipped = next(x for x in listed if x["name"] == "disposable_email_domains")
    assert shipped["kind"] == "domain_suffix" and shipped["size"] > 5_000
    assert "entries" not in shipped
    full = client.get("/v1/lists/disposable_email_domains", headers=auth(VIEWER)).json()
    assert "mailinator.com" in full["entries"]


def test_create_read_add_remove_replace_delete(client: TestClient, auth: AuthFor) -> None:
    created = create(client, auth, description="known bad")
    assert created.status_code == 201, created.text
    assert created.json()["size"] == 1 and created.json()["description"] == "known bad"

    added = client.post(
        "/v1/lists/blocked_ips/entries",
        json={"entries": ["192.168.1.1", "10.0.0.0/8"]},
        headers=auth(EDITOR),
    )
    assert added.status_code == 200 and added.json()["size"] == 2
    assert added.json()["version"] > created.json()["version"]

    removed = client.request(
        "DELETE",
        "/v1/lists/blocked_ips/entries",
        json={"entries": ["192.168.1.1"]},
        headers=auth(EDITOR),
    )
    assert removed.json()["size"] == 1

    replaced = client.put(
        "/v1/lists/blocked_ips",
        json={"entries": ["1.2.3.0/24", "2001:db8::/32"], "version": removed.json()["version"]},
        headers=auth(EDITOR),
    )
    assert replaced.status_code == 200, replaced.text
    read = client.get("/v1/lists/blocked_ips", headers=auth(VIEWER)).json()
    assert read["entries"] == ["1.2.3.0/24", "2001:db8::/32"]
    assert read["description"] == "known bad"

    assert client.delete("/v1/lists/blocked_ips", headers=auth(EDITOR)).status_code == 204
    gone = client.get("/v1/lists/blocked_ips", headers=auth(VIEWER))
    assert gone.status_code == 404 and gone.json()["error"]["field"] == "name"


def test_a_bad_entry_is_a_422_naming_it_and_nothing_changes(
    client: TestClient, auth: AuthFor, container: Container
) -> None:
    create(client, auth)
    before = client.get("/v1/lists/blocked_ips", headers=auth(VIEWER)).json()
    audited = len(container.store.state.audit)  # type: ignore[attr-defined]

    for method, url, body in [
        ("PUT", "/v1/lists/blocked_ips", {"entries": ["1.2.3.0/24", "1.2.3.4/24"]}),
        ("POST", "/v1/lists/blocked_ips/entries", {"entries": ["5.5.5.5", "nope"]}),
    ]:
        response = client.request(method, url, json=body, headers=auth(EDITOR))
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "entries[1]"

    assert client.get("/v1/lists/blocked_ips", headers=auth(VIEWER)).json() == before
    assert len(container.store.state.audit) == audited  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Bad Name"}, "name"),
        ({"kind": "glob"}, "kind"),
        ({"kind": "regex", "entries": ["ok", "(unclosed"]}, "entries[1]"),
        ({"entries": "10.0.0.0/8"}, "entries"),
    ],
)
def test_bad_creations_are_422s_with_the_field(
    client: TestClient, auth: AuthFor, body: dict[str, Any], field: str
) -> None:
    response = create(client, auth, **body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    names = [x["name"] for x in client.get("/v1/lists", headers=auth(VIEWER)).json()["lists"]]
    assert names == ["disposable_email_domains"]


def test_conflicts(client: TestClient, auth: AuthFor) -> None:
    version = create(client, auth).json()["version"]
    again = create(client, auth)
    assert again.status_code == 409 and again.json()["error"]["field"] == "name"
    client.post(
        "/v1/lists/blocked_ips/entries", json={"entries": ["1.1.1.1"]}, headers=auth(EDITOR)
    )
    stale = client.put(
        "/v1/lists/blocked_ips", json={"entries": [], "version": version}, headers=auth(EDITOR)
    )
    assert stale.status_code == 409 and stale.json()["error"]["field"] == "version"


def test_viewers_read_and_only_rules_editors_write(client: TestClient, auth: AuthFor) -> None:
    assert client.get("/v1/lists", headers=auth(VIEWER)).status_code == 200
    refused = client.post("/v1/lists", json={"name": "x", "kind": "exact"}, headers=auth(REVIEWER))
    assert refused.status_code == 403


LABELS = "/v1/entities/account/acct_1/labels"


def test_entity_labels_add_list_expire_and_remove(
    client: TestClient, auth: AuthFor, container: Container
) -> None:
    added = client.post(LABELS, json={"name": "watch", "ttl": "1h"}, headers=auth(REVIEWER))
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["subject"] == "account:acct_1" and body["provenance"] == "manual"
    assert body["author"].startswith("machine:")
    client.post(LABELS, json={"name": "trusted"}, headers=auth(REVIEWER))

    names = [x["name"] for x in client.get(LABELS, headers=auth(VIEWER)).json()["labels"]]
    assert names == ["trusted", "watch"]

    clock = container.clock
    assert isinstance(clock, ManualClock)
    clock.advance(3601)
    active = client.get(LABELS, headers=auth(VIEWER)).json()["labels"]
    assert [x["name"] for x in active] == ["trusted"]
    everything = client.get(LABELS, params={"include_expired": "true"}, headers=auth(VIEWER))
    assert len(everything.json()["labels"]) == 2

    assert client.delete(f"{LABELS}/trusted", headers=auth(REVIEWER)).status_code == 204
    missing = client.delete(f"{LABELS}/trusted", headers=auth(REVIEWER))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (LABELS, {"name": "Bad Label"}, "name"),
        (LABELS, {"name": "ok", "ttl": "soon"}, "ttl"),
        (
            LABELS,
            {"name": "ok", "expires_at": (START - timedelta(days=1)).isoformat()},
            "expires_at",
        ),
        ("/v1/entities/planet/p1/labels", {"name": "ok"}, "kind"),
    ],
)
def test_bad_labels_are_422s_and_store_nothing(
    client: TestClient, auth: AuthFor, url: str, body: dict[str, Any], field: str
) -> None:
    response = client.post(url, json=body, headers=auth(REVIEWER))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert client.get(LABELS, params={"include_expired": "true"}, headers=auth(VIEWER)).json() == {
        "labels": []
    }


def test_labelling_needs_a_reviewer(client: TestClient, auth: AuthFor) -> None:
    refused = client.post(LABELS, json={"name": "watch"}, headers=auth(Role.RULES_EDITOR))
    assert refused.status_code == 403
