"""The audit view: who may see it, the target filter and the chain check."""

from __future__ import annotations

import re

from console_world import TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.audit import AuditRecord


def test_a_plain_reviewer_gets_a_friendly_403(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    sign_in(client, "ana@example.com")

    page = client.get("/audit")
    check = client.get("/audit/verify", headers={"HX-Request": "true"})
    queues = client.get("/queues")

    assert page.status_code == 403
    assert "Not allowed" in page.text and "may not read audit" in page.text
    assert "Back to the queues" in page.text
    assert check.status_code == 403
    assert 'href="/audit"' not in queues.text


def test_admin_sees_records_and_filters_by_target(client: TestClient, container: Container) -> None:
    case = content_case(container)
    make_user(container, "root@example.com", Role.ADMIN)
    sign_in(client, "root@example.com")
    client.get(f"/cases/{case.id}")

    page = client.get("/audit")
    filtered = client.get(f"/audit?target=case:{case.id}")

    assert page.status_code == 200
    assert 'href="/audit"' in page.text
    assert "session.login" in page.text and "user.create" in page.text
    rows = re.findall(
        r'<tr data-seq="\d+" data-action="([^"]+)" data-target="([^"]+)"', filtered.text
    )
    assert rows == [("case.read", f"case:{case.id}")]
    assert "No audit records for case:nope yet" in client.get("/audit?target=case:nope").text


def test_investigator_sees_the_resolution_record(client: TestClient, container: Container) -> None:
    case = content_case(container)
    make_user(container, "ivy@example.com", Role.INVESTIGATOR)
    sign_in(client, "ivy@example.com")
    token = csrf_token(client.get(f"/cases/{case.id}").text)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    client.post(
        f"/cases/{case.id}/resolve",
        data={"csrf_token": token, "outcome": "not_violating", "note": "satire"},
    )

    page = client.get(f"/audit?target=case:{case.id}")

    assert 'data-action="case.resolve"' in page.text
    assert '"outcome": "not_violating"' in page.text


def test_verify_reports_an_intact_chain(client: TestClient, container: Container) -> None:
    make_user(container, "root@example.com", Role.ADMIN)
    sign_in(client, "root@example.com")

    fragment = client.get("/audit/verify", headers={"HX-Request": "true"})
    plain = client.get("/audit/verify")
    full = client.get("/audit?verify=1")

    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'data-testid="chain-intact"' in fragment.text
    assert "all 3 records verified" in fragment.text  # user, sign-in, seeded list
    assert plain.status_code == 303 and plain.headers["location"] == "/audit?verify=1"
    assert 'data-testid="chain-intact"' in full.text


def test_verify_names_the_first_broken_record(client: TestClient, container: Container) -> None:
    make_user(container, "root@example.com", Role.ADMIN)
    sign_in(client, "root@example.com")
    store = container.store
    records: list[AuditRecord] = store.state.audit  # type: ignore[attr-defined]
    first = records[0]
    records[0] = AuditRecord(
        first.seq,
        "person:mallory",
        first.action,
        first.target,
        first.at,
        first.details,
        first.prev_hash,
        first.hash,
    )

    fragment = client.get("/audit/verify", headers={"HX-Request": "true"})

    assert 'data-testid="chain-broken"' in fragment.text
    assert "Chain broken at record 1" in fragment.text
