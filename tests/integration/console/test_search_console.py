"""The search page and retroactive action in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_world import NOW, TestClient, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import SYSTEM, Role
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId

RAW_IP = "198.51.100.23"


@pytest.fixture
def farm(container: Container) -> str:
    """Three accounts of three orgs on one device and IP (a ring), declined payments."""
    for n in range(3):
        container.ingest.process(
            Event(
                EventId(f"evt_farm_{n}"),
                "payment.attempt",
                NOW - timedelta(minutes=10 - n),
                {
                    EntityKind.ACCOUNT: f"acct_farm_{n}",
                    EntityKind.ORG: f"org_farm_{n}",
                    EntityKind.DEVICE: "dev_farm",
                    EntityKind.IP: RAW_IP,
                },
                {"result": "declined", "amount_usd": 1.0},
            )
        )
    assert container.rings.detect().rings == 1
    return container.rings.rings(SYSTEM)[0].id


@pytest.mark.usefixtures("farm")
def test_search_shows_histogram_results_and_redacts(
    client: TestClient, container: Container
) -> None:
    make_user(container, "rita@example.com", Role.REVIEWER)
    sign_in(client, "rita@example.com")
    page = client.get("/search", params={"expression": 'attr.result == "declined"', "since": "1d"})
    assert page.status_code == 200
    assert "3 of 3 events matched" in page.text
    assert 'data-testid="search-histogram"' in page.text
    assert 'href="/entities/account/acct_farm_2"' in page.text
    assert RAW_IP not in page.text and "/v1/search/export?" in page.text
    assert 'href="/search" aria-current="page"' in page.text


def test_a_bad_expression_is_shown_with_its_position(
    client: TestClient, container: Container
) -> None:
    make_user(container, "rita@example.com", Role.REVIEWER)
    sign_in(client, "rita@example.com")
    page = client.get("/search", params={"expression": "attr.result ==", "since": "1d"})
    assert page.status_code == 200
    assert 'data-testid="search-error"' in page.text and "&lt;query&gt;:1:" in page.text


@pytest.mark.usefixtures("farm")
def test_saving_a_shared_query_lists_it(client: TestClient, container: Container) -> None:
    make_user(container, "ivy@example.com", Role.INVESTIGATOR)
    sign_in(client, "ivy@example.com")
    page = client.get("/search", params={"expression": 'attr.result == "declined"', "since": "1d"})
    saved = client.post(
        "/search/save",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "declines",
            "expression": 'attr.result == "declined"',
            "since": "1d",
            "shared": "true",
        },
    )
    assert saved.status_code == 303
    listed = client.get(saved.headers["location"])
    assert 'data-testid="saved-queries"' in listed.text and "declines" in listed.text


def test_a_ring_is_acted_on_after_a_preview_and_undone(
    client: TestClient, container: Container, farm: str
) -> None:
    make_user(container, "ivy@example.com", Role.INVESTIGATOR)
    sign_in(client, "ivy@example.com")
    page = client.get(f"/rings/{farm}")
    assert 'data-testid="retroactive-form"' in page.text
    form = {
        "csrf_token": csrf_token(page.text),
        "target_kind": "ring",
        "target_ref": farm,
        "kind": "add_label",
        "label": "farm",
        "subject": "account",
        "reason": "trial farm",
    }
    preview = client.post("/retroactive/preview", data=form, headers={"HX-Request": "true"})
    assert preview.status_code == 200
    assert 'data-testid="retro-count">3<' in preview.text and "Confirm: act on 3" in preview.text
    applied = client.post("/retroactive", data=form)
    assert applied.status_code == 303
    retro_id = applied.headers["location"].rsplit("/", 1)[1]
    page = client.get(applied.headers["location"])
    assert 'data-testid="retro-actions">3<' in page.text and "Undo" in page.text
    undone = client.post(
        f"/retroactive/{retro_id}/undo", data={"csrf_token": csrf_token(page.text)}
    )
    assert undone.status_code == 303
    assert "undone" in client.get(undone.headers["location"]).text
    listed = client.get("/retroactive")
    assert retro_id in listed.text
