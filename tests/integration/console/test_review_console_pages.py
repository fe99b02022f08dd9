"""The review console: audited reveals, playbooks beside the case, next case with wellness
routing, the reviewer's dashboard and settings, policy and playbook pages, notices."""

from __future__ import annotations

import re

from console_world import CONTENT_TEXT, TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.cases import CaseStatus

HTMX = {"HX-Request": "true"}


def signed_in(client: TestClient, container: Container, role: Role = Role.REVIEWER) -> str:
    email = f"{role}@example.com"
    make_user(container, email, role)
    sign_in(client, email)
    return csrf_token(client.get("/me").text)


def audit_actions(container: Container, target: str) -> list[str]:
    with container.uow() as uow:
        return [r.action for r in uow.audit.recent(limit=50, target=target)]


def test_a_reveal_shows_the_text_and_is_audited(client: TestClient, container: Container) -> None:
    case = content_case(container)
    token = signed_in(client, container)
    item = "event:evt_content_1:text"

    shown = client.post(
        f"/cases/{case.id}/reveal", data={"item": item}, headers={**HTMX, "X-CSRF-Token": token}
    )
    plain = client.post(f"/cases/{case.id}/reveal", data={"item": item, "csrf_token": token})
    bogus = client.post(
        f"/cases/{case.id}/reveal",
        data={"item": "event:evt_content_1:moderation_score", "csrf_token": token},
    )

    assert shown.status_code == 200 and "<html" not in shown.text
    assert CONTENT_TEXT in shown.text and 'data-testid="revealed-text"' in shown.text
    assert plain.status_code == 200 and CONTENT_TEXT in plain.text and "<html" in plain.text
    assert bogus.status_code == 400
    assert audit_actions(container, f"case:{case.id}").count("case.reveal") == 2


def test_the_playbook_related_cases_and_keys_sit_beside_the_case(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    signed_in(client, container)

    page = client.get(f"/cases/{case.id}").text

    playbook = re.search(r'data-testid="playbook".*?</section>', page, re.S)
    assert playbook is not None and "Content queue" in playbook.group(0)
    assert "Reveal only what you need to decide." in playbook.group(0)
    assert 'data-testid="related-cases"' in page and 'data-testid="subject-history"' in page
    assert 'id="keyboard-help"' in page and "/static/js/review.js" in page
    assert 'action="/queues/content/next"' in page


def test_next_case_claims_unless_wellness_routes_it_elsewhere(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    token = signed_in(client, container)
    client.post("/me/wellness", data={"csrf_token": token, "opted_out": ["content"]})

    skipped = client.post("/queues/content/next", data={"csrf_token": token})
    after_skip = client.get(skipped.headers["location"]).text
    client.post("/me/wellness", data={"csrf_token": token})
    claimed = client.post("/queues/content/next", data={"csrf_token": token})

    assert skipped.headers["location"] == "/queues/content"
    assert "1 routed to others for your wellness settings" in after_skip
    assert claimed.headers["location"] == f"/cases/{case.id}"
    with container.uow() as uow:
        stored = uow.cases.get(case.id)
    assert stored is not None and stored.status is CaseStatus.CLAIMED


def test_dashboard_counts_resolutions_and_shows_queue_slas(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    token = signed_in(client, container)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    client.post(
        f"/cases/{case.id}/resolve",
        data={
            "csrf_token": token,
            "outcome": "violating",
            "policy": "content.violating",
            "actions": ["remove_content"],
        },
    )

    page = client.get("/me").text

    assert re.search(r'data-testid="reviewed-today">1<', page)
    assert 'data-queue="content"' in page and 'data-queue="escalations"' not in page
    assert 'data-category="self_harm"' in page
    settings = client.get("/me/wellness").text
    assert 'name="opted_out" value="sexual.minors"' in settings


def test_a_notice_from_the_case_page(client: TestClient, container: Container) -> None:
    case = content_case(container)
    token = signed_in(client, container)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    client.post(
        f"/cases/{case.id}/resolve",
        data={
            "csrf_token": token,
            "outcome": "violating",
            "policy": "harassment",
            "actions": ["remove_content"],
        },
    )
    with container.uow() as uow:
        [action] = [
            a for a in uow.actions.for_source(case_id=case.id) if a.kind == "remove_content"
        ]

    issued = client.post(f"/cases/{case.id}/actions/{action.id}/notice", data={"csrf_token": token})
    page = client.get(issued.headers["location"]).text

    assert issued.headers["location"] == f"/notices/sor-{action.id}"
    assert "Usage policies, section 3: harassment" in page
    assert "Appeal this decision" in page


def test_policy_pages_publish_a_version_and_diff(client: TestClient, container: Container) -> None:
    token = signed_in(client, container, Role.ADMIN)
    text = container.policies.taxonomy(
        container.access.login("admin@example.com", "correct horse battery")
    ).text

    listed = client.get("/policies").text
    bad = client.post(
        "/policies/edit", data={"csrf_token": token, "text": "[[policy]]", "base": "1"}
    )
    made = client.post(
        "/policies/edit",
        data={
            "csrf_token": token,
            "text": text.replace('title = "Spam"', 'title = "Bulk spam"'),
            "note": "n",
            "base": "1",
        },
    )
    diff = client.get("/policies/diff?old=1&new=2").text

    assert 'data-policy="fraud.card_testing"' in listed
    assert bad.status_code == 400 and 'data-testid="edit-error"' in bad.text
    assert made.headers["location"] == "/policies?version=2"
    assert "<code>spam</code> (title)" in diff
    assert "+title = &#34;Bulk spam&#34;" in diff or '+title = "Bulk spam"' in diff


def test_playbook_pages_save_a_version_and_diff(client: TestClient, container: Container) -> None:
    token = signed_in(client, container, Role.SENIOR_REVIEWER)

    listed = client.get("/playbooks").text
    saved = client.post(
        "/playbooks/queue:fraud", data={"csrf_token": token, "text": "# Fraud\n- [ ] one\n"}
    )
    page = client.get("/playbooks/queue:fraud").text
    diff = client.get("/playbooks/queue:fraud/diff?old=1&new=2").text

    assert 'href="/playbooks/queue:fraud"' in listed
    assert saved.headers["location"] == "/playbooks/queue:fraud"
    assert "v2" in page and "one" in page
    assert "+- [ ] one" in diff
    reviewer_client_denied = client.get("/playbooks/team:x")
    assert reviewer_client_denied.status_code == 400
