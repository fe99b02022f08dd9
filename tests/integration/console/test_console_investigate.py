"""Investigation pages in the console: entity page, reveal, rings list and ring page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_world import NOW, TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import SYSTEM, Role
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.services.investigate import rebuild_links

RAW_IP = "198.51.100.23"


@pytest.fixture
def ring(container: Container) -> str:
    """Three accounts of three orgs on one device and IP, found as a ring."""
    for n in range(3):
        container.ingest.process(
            Event(
                EventId(f"evt_farm_{n}"),
                "account.login",
                NOW - timedelta(minutes=10 - n),
                {
                    EntityKind.ACCOUNT: f"acct_farm_{n}",
                    EntityKind.ORG: f"org_farm_{n}",
                    EntityKind.DEVICE: "dev_farm",
                    EntityKind.IP: RAW_IP,
                },
                {"country": "FR"},
            )
        )
    rebuild_links(container.uow)
    assert container.rings.detect().rings == 1
    return container.rings.rings(SYSTEM)[0].id


def test_entity_page_redacts_and_an_investigator_reveals(
    client: TestClient, container: Container, ring: str
) -> None:
    make_user(container, "ivy@example.com", Role.INVESTIGATOR)
    sign_in(client, "ivy@example.com")

    page = client.get("/entities/account/acct_farm_0")

    assert page.status_code == 200
    assert RAW_IP not in page.text
    assert "198.51.100.x" in page.text
    assert f'href="/rings/{ring}"' in page.text
    assert 'href="/entities/account/acct_farm_1"' in page.text
    assert 'id="graph"' in page.text and "/static/vendor/cytoscape.min.js" in page.text
    assert 'href="/rings" aria-current="page"' in page.text

    revealed = client.post(
        "/entities/account/acct_farm_0/reveal",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_token(page.text)},
    )
    assert revealed.status_code == 200
    assert f"ip:{RAW_IP}" in revealed.text
    assert "recorded in the audit log" in revealed.text
    with container.uow() as uow:
        assert uow.audit.recent(limit=1)[0].action == "entity.reveal"


def test_a_reviewer_sees_no_reveal_button_and_cannot_reveal(
    client: TestClient, container: Container, ring: str
) -> None:
    make_user(container, "rex@example.com", Role.REVIEWER)
    sign_in(client, "rex@example.com")
    page = client.get("/entities/account/acct_farm_0")
    assert page.status_code == 200
    assert "Your role cannot reveal personal data" in page.text
    refused = client.post(
        "/entities/account/acct_farm_0/reveal",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_token(page.text)},
    )
    assert refused.status_code == 403
    assert RAW_IP not in refused.text


def test_rings_list_and_ring_page(client: TestClient, container: Container, ring: str) -> None:
    make_user(container, "vic@example.com", Role.VIEWER)
    sign_in(client, "vic@example.com")

    listed = client.get("/rings")
    one = client.get(f"/rings/{ring}")
    missing = client.get("/rings/ring_nope")
    page_for_viewer = client.get("/entities/account/acct_farm_0")

    assert listed.status_code == 200
    assert f'href="/rings/{ring}"' in listed.text and "198.51.100.x" in listed.text
    assert RAW_IP not in listed.text
    assert "Detect rings now" not in listed.text
    assert one.status_code == 200
    assert "acct_farm_2" in one.text and "creation burst" in one.text
    assert 'href="/entities/device/dev_farm"' in one.text
    assert missing.status_code == 404
    assert page_for_viewer.status_code == 403


def test_an_admin_runs_a_detection_from_the_rings_page(
    client: TestClient, container: Container
) -> None:
    make_user(container, "root@example.com", Role.ADMIN)
    sign_in(client, "root@example.com")
    page = client.get("/rings")
    assert "Detect rings now" in page.text
    done = client.post("/rings/detect", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 303
    assert "Found 0 rings" in client.get("/rings").text


def test_case_page_links_its_entities_to_their_pages(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    make_user(container, "rex@example.com", Role.REVIEWER)
    sign_in(client, "rex@example.com")
    page = client.get(f"/cases/{case.id}")
    assert 'href="/entities/account/acct_1"' in page.text
    assert 'href="/entities/content/cnt_1"' in page.text
