"""Queue and case pages, claiming through htmx and plain forms, and resolving with field errors."""

from __future__ import annotations

import re

from console_world import (
    CONTENT_TEXT,
    TestClient,
    content_case,
    csrf_token,
    make_user,
    sign_in,
)

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.actions import ActionKind, ActionStatus
from garrison.domain.cases import CaseStatus, Outcome
from garrison.domain.labels import LabelValue


def reviewer(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    sign_in(client, "ana@example.com")


def test_queue_list_counts_cases_by_status(client: TestClient, container: Container) -> None:
    content_case(container)
    reviewer(client, container)

    page = client.get("/queues")

    assert page.status_code == 200
    row = re.search(r'<a href="/queues/content">content</a>.*?</tr>', page.text, re.S)
    assert row is not None
    assert '<td class="num" data-status="open">1</td>' in row.group(0)
    assert "12 h" in row.group(0)


def test_queue_page_lists_cases_and_filters_by_status(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)

    listed = client.get("/queues/content")
    claimed_only = client.get("/queues/content?status=claimed")
    empty = client.get("/queues/fraud")

    assert f'href="/cases/{case.id}"' in listed.text
    assert "account:acct_1" in listed.text
    assert case.id not in claimed_only.text
    assert "No claimed cases in this queue" in claimed_only.text
    assert "No cases in this queue yet" in empty.text


def test_unknown_queue_and_bad_filter_render_error_pages(
    client: TestClient, container: Container
) -> None:
    reviewer(client, container)

    missing = client.get("/queues/nope")
    bad = client.get("/queues/content?status=done")
    no_case = client.get("/cases/cas_missing")

    assert missing.status_code == 404
    assert "Not found" in missing.text and "<html" in missing.text
    assert bad.status_code == 400
    assert "unknown case status" in bad.text.lower()
    assert no_case.status_code == 404


def test_case_page_explains_the_decision_and_masks_text(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)

    page = client.get(f"/cases/{case.id}")

    assert page.status_code == 200
    assert "content_high_risk" in page.text
    assert "content.violating" in page.text
    assert "content.submitted" in page.text
    masked = re.search(r'<div class="masked-field masked-text".*?</div>', page.text, re.S)
    assert masked is not None and 'value="event:evt_content_1:text"' in masked.group(0)
    assert CONTENT_TEXT not in page.text, "text stays off the page until revealed"
    assert "Claim this case" in page.text
    assert 'name="outcome"' not in page.text


def test_claim_with_htmx_swaps_in_the_resolve_form(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)

    panel = client.post(
        f"/cases/{case.id}/claim", headers={"HX-Request": "true", "X-CSRF-Token": token}
    )

    assert panel.status_code == 200
    assert panel.text.lstrip().startswith('<section id="action-panel"')
    assert "<html" not in panel.text
    assert 'name="outcome" value="violating"' in panel.text
    assert 'value="enqueue_review"' not in panel.text
    assert 'value="ban_account"' in panel.text
    assert "ana@example.com" in panel.text
    with container.uow() as uow:
        stored = uow.cases.get(case.id)
    assert stored is not None and stored.status is CaseStatus.CLAIMED


def test_claim_with_a_plain_form_redirects_with_a_flash(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)

    response = client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    page = client.get(response.headers["location"])
    again = client.get(f"/cases/{case.id}")

    assert response.status_code == 303
    assert "You claimed this case." in page.text
    assert "You claimed this case." not in again.text


def test_claim_conflict_is_shown_in_the_alert_region(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    make_user(container, "bo@example.com", Role.REVIEWER)
    bo = container.access.login("bo@example.com", "correct horse battery")
    container.review.claim(bo, case.id)
    reviewer(client, container)
    page = client.get(f"/cases/{case.id}")
    token = csrf_token(page.text)

    response = client.post(
        f"/cases/{case.id}/claim", headers={"HX-Request": "true", "X-CSRF-Token": token}
    )

    assert "Claimed by bo@example.com" in page.text
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#alerts"
    assert "claimed by someone else" in response.text


def test_resolve_shows_field_errors_and_keeps_the_form(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})

    no_policy = client.post(
        f"/cases/{case.id}/resolve",
        data={"csrf_token": token, "outcome": "violating", "note": "kept note"},
    )
    no_outcome = client.post(f"/cases/{case.id}/resolve", data={"csrf_token": token})
    actions_when_clean = client.post(
        f"/cases/{case.id}/resolve",
        data={"csrf_token": token, "outcome": "not_violating", "actions": ["warn"]},
    )

    assert no_policy.status_code == 400
    assert re.search(r'<p class="field-error" id="policy-error">[^<]*policy', no_policy.text)
    assert 'aria-invalid="true"' in no_policy.text
    assert 'value="violating" checked' in no_policy.text
    assert "kept note</textarea>" in no_policy.text
    assert 'id="outcome-error"' in no_outcome.text
    assert 'id="actions-error"' in actions_when_clean.text
    with container.uow() as uow:
        stored = uow.cases.get(case.id)
    assert stored is not None and stored.status is CaseStatus.CLAIMED


def test_resolve_unclaimed_case_explains_why(client: TestClient, container: Container) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)

    response = client.post(
        f"/cases/{case.id}/resolve",
        data={"csrf_token": token, "outcome": "not_violating"},
    )

    assert response.status_code == 409
    assert "must be claimed by you" in response.text.lower()


def test_resolve_violating_plans_actions_labels_and_shows_the_resolution(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})

    response = client.post(
        f"/cases/{case.id}/resolve",
        data={
            "csrf_token": token,
            "outcome": "violating",
            "policy": "content.violating",
            "actions": ["remove_content", "warn"],
            "note": "clear harassment",
        },
    )
    page = client.get(f"/cases/{case.id}")

    assert response.status_code == 303
    assert "Case resolved as violating." in page.text
    resolution = re.search(r'data-testid="resolution".*?</div>', page.text, re.S)
    assert resolution is not None
    assert "content.violating" in resolution.group(0)
    assert "remove content" in resolution.group(0)
    assert "clear harassment" in resolution.group(0)
    assert "Claim this case" not in page.text
    with container.uow() as uow:
        stored = uow.cases.get(case.id)
        actions = uow.actions.for_source(case_id=case.id)
        labels = uow.labels.for_subject(case.subject)
    assert stored is not None and stored.resolution is not None
    assert stored.resolution.outcome is Outcome.VIOLATING
    assert {a.kind for a in actions} == {ActionKind.REMOVE_CONTENT, ActionKind.WARN}
    assert all(a.status is ActionStatus.PLANNED for a in actions)
    assert [lab.value for lab in labels] == [LabelValue.VIOLATING]


def test_escalate_moves_the_case_to_the_escalation_queue(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    reviewer(client, container)
    token = csrf_token(client.get(f"/cases/{case.id}").text)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})

    refused = client.post(
        f"/cases/{case.id}/resolve", data={"csrf_token": token, "outcome": "escalate"}
    )
    assert refused.status_code == 400  # escalating has its own form, with a reason
    client.post(
        f"/cases/{case.id}/escalate", data={"csrf_token": token, "reason": "needs a senior"}
    )
    page = client.get(f"/cases/{case.id}")

    assert "Case escalated to escalations (senior)." in page.text
    assert "needs a senior" in page.text  # the reason is on the case timeline
    assert '<a href="/queues/escalations">escalations</a>' in page.text
    assert "Claim this case" not in page.text
    assert "not review cases in the escalations queue" in page.text


def test_a_viewer_may_not_read_raw_content(client: TestClient, container: Container) -> None:
    case = content_case(container)
    make_user(container, "vi@example.com", Role.VIEWER)
    sign_in(client, "vi@example.com")

    queues = client.get("/queues/content")
    page = client.get(f"/cases/{case.id}")

    assert queues.status_code == 200
    assert page.status_code == 403
    assert "may not read content" in page.text
    assert CONTENT_TEXT not in page.text
