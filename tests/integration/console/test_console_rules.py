"""Rules pages: the live rules with hits and precision, the editor's checks, proposing and
approving releases, the backtest with its charts, and who may do what."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from console_world import NOW, TestClient, content_case, csrf_token, make_user, sign_in
from fastapi import FastAPI

from garrison.adapters.fakes import ManualClock
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import SYSTEM, Role
from garrison.domain.cases import Outcome
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.releases import ReleaseStatus
from garrison.domain.rule_controls import Alert, AlertId, AlertKind, Demotion
from garrison.entrypoints.web import console

GOOD = '''[[rule]]
name = "big_content"
owner = "content-team"
policy = "content.violating"
verdict = "review"
when = """
type == "content.submitted" and attr.moderation_score >= 0.9
"""

[[rule.example]]
name = "high score"
event = { type = "content.submitted", attributes = { moderation_score = 0.95 } }
expect = "fire"
'''
BROKEN = GOOD.replace("attr.moderation_score >= 0.9", "attr.moderation_score >= ")
FAILING_EXAMPLE = GOOD.replace('expect = "fire"', 'expect = "pass"')
EDITOR = "rita@example.com"
SECOND_EDITOR = "sam@example.com"


@pytest.fixture
def container() -> Container:
    return bootstrap(
        Settings(database_url="memory://", secret_key="test", rules_require_approval=True),
        store=MemoryStore(),
        clock=ManualClock(NOW),
    )


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    app = FastAPI()
    console.install(app, container)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def signed_in(client: TestClient, container: Container, email: str, role: Role) -> str:
    """Sign in a new user; the CSRF token of their session."""
    make_user(container, email, role)
    sign_in(client, email)
    return csrf_token(client.get("/rules/editor").text)


def htmx(token: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": token}


def test_rules_page_shows_hits_owner_and_precision_from_review_labels(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    container.review.claim(SYSTEM, case.id)
    container.review.resolve(
        SYSTEM,
        case.id,
        outcome=Outcome.VIOLATING,
        policy="content.violating",
        actions=[],
        note="",
    )
    signed_in(client, container, "vera@example.com", Role.VIEWER)

    page = client.get("/rules")

    assert page.status_code == 200
    row = re.search(r'<tr data-rule="content_high_risk">.*?</tr>', page.text, re.S)
    assert row is not None
    assert "content-team" in row.group(0)
    assert re.search(r'data-testid="hits">1<', row.group(0))
    assert "100%" in row.group(0) and "n=1" in row.group(0)
    other = re.search(r'<tr data-rule="card_testing_ip">.*?</tr>', page.text, re.S)
    assert other is not None and "n/a" in other.group(0)
    assert '<a href="/rules" aria-current="page">Rules</a>' in page.text
    assert "Restore" not in page.text  # nothing demoted, and a viewer has no controls


def test_check_as_you_type_places_errors_and_says_ok(
    client: TestClient, container: Container
) -> None:
    token = signed_in(client, container, "vera@example.com", Role.VIEWER)

    broken = client.post("/rules/check", data={"text": BROKEN}, headers=htmx(token))
    good = client.post("/rules/check", data={"text": GOOD}, headers=htmx(token))

    assert broken.status_code == 200
    assert re.search(r"<code>7:\d+</code>: ", broken.text), broken.text
    assert 'class="caret">^' in broken.text
    assert "attr.moderation_score &gt;= " in broken.text
    assert 'data-testid="check-ok">OK: 1 rule, 1 example<' in good.text


def test_check_needs_the_csrf_token(client: TestClient, container: Container) -> None:
    signed_in(client, container, "vera@example.com", Role.VIEWER)

    refused = client.post("/rules/check", data={"text": GOOD}, headers={"HX-Request": "true"})

    assert refused.status_code == 403


def test_run_examples_reports_each_result(client: TestClient, container: Container) -> None:
    token = signed_in(client, container, "vera@example.com", Role.VIEWER)

    passing = client.post("/rules/test", data={"text": GOOD}, headers=htmx(token))
    failing = client.post("/rules/test", data={"text": FAILING_EXAMPLE}, headers=htmx(token))

    assert "1 of 1 examples and tests passed" in passing.text
    assert "0 of 1 examples and tests passed" in failing.text


def test_propose_then_a_second_editor_approves(client: TestClient, container: Container) -> None:
    token = signed_in(client, container, EDITOR, Role.RULES_EDITOR)
    live = container.rules.release().version

    proposed = client.post(
        "/rules/propose", data={"text": GOOD, "notes": "smaller pack"}, headers=htmx(token)
    )
    version = live + 1
    own = client.post(f"/releases/{version}/approve", data={"csrf_token": token})

    assert 'data-testid="proposed"' in proposed.text and "pending approval" in proposed.text
    assert container.rules.release(version).status is ReleaseStatus.PENDING_APPROVAL
    assert own.status_code == 403
    assert "another editor must approve it" in own.text

    client.cookies.clear()
    token = signed_in(client, container, SECOND_EDITOR, Role.RULES_EDITOR)
    page = client.get(f"/releases/{version}")
    assert "Approve and publish" in page.text
    assert 'class="diff-del">- rule <strong>card_testing_ip' in page.text
    assert "+ rule <strong>big_content</strong>" in page.text
    approved = client.post(f"/releases/{version}/approve", data={"csrf_token": token})

    assert approved.status_code == 303
    assert container.rules.release().version == version
    listing = client.get("/releases")
    row = re.search(rf'<tr data-version="{version}">.*?</tr>', listing.text, re.S)
    assert row is not None
    assert f"person:{EDITOR}" in row.group(0) and f"person:{SECOND_EDITOR}" in row.group(0)


def test_a_broken_proposal_is_refused_and_nothing_is_stored(
    client: TestClient, container: Container
) -> None:
    token = signed_in(client, container, EDITOR, Role.RULES_EDITOR)
    before = len(container.rules.releases())

    refused = client.post("/rules/propose", data={"text": BROKEN}, headers=htmx(token))
    plain = client.post("/rules/propose", data={"text": BROKEN, "csrf_token": token})

    assert refused.status_code == 422
    assert "Not proposed: nothing was stored." in refused.text
    assert plain.status_code == 422 and "Not proposed" in plain.text
    assert len(container.rules.releases()) == before


def test_a_viewer_cannot_propose(client: TestClient, container: Container) -> None:
    token = signed_in(client, container, "vera@example.com", Role.VIEWER)
    before = len(container.rules.releases())

    editor = client.get("/rules/editor")
    refused = client.post("/rules/propose", data={"text": GOOD, "csrf_token": token})

    assert "Propose release" not in editor.text
    assert refused.status_code == 403
    assert "Not allowed" in refused.text
    assert len(container.rules.releases()) == before


def test_backtest_shows_hits_per_rule_and_charts(client: TestClient, container: Container) -> None:
    content_case(container)
    token = signed_in(client, container, "vera@example.com", Role.VIEWER)

    form = client.get("/rules/backtest")
    ran = client.post("/rules/backtest", data={"text": GOOD, "period": "24h", "csrf_token": token})

    assert form.status_code == 200 and "content_high_risk" in form.text
    assert ran.status_code == 200
    assert re.search(r'data-testid="backtest-events">1\b', ran.text)
    row = re.search(r'<tr data-rule="big_content">.*?</tr>', ran.text, re.S)
    assert row is not None
    assert re.search(r'data-testid="rule-hits">1<', row.group(0))
    assert "<svg" in ran.text and 'class="chart-bar"' in ran.text
    assert "0 newly caught, 1 already caught" in ran.text


def test_backtest_of_a_broken_file_shows_the_error(
    client: TestClient, container: Container
) -> None:
    token = signed_in(client, container, "vera@example.com", Role.VIEWER)

    ran = client.post("/rules/backtest", data={"text": BROKEN, "period": "1h", "csrf_token": token})

    assert ran.status_code == 200
    assert 'data-testid="backtest-error"' in ran.text and "rules.toml:7:" in ran.text


def test_shadow_report_page_renders(client: TestClient, container: Container) -> None:
    signed_in(client, container, "vera@example.com", Role.VIEWER)

    page = client.get("/rules/shadow")

    assert page.status_code == 200
    assert "Shadow report" in page.text


def test_editors_restore_lift_and_acknowledge_from_the_rules_page(
    client: TestClient, container: Container
) -> None:
    version = container.rules.release().version
    with container.uow() as uow:
        uow.rule_controls.demote(Demotion(version, "card_testing_ip", NOW.date(), "cap", NOW))
        uow.alerts.add(Alert(AlertId("alr_1"), AlertKind.RULE_DEMOTED, "card_testing_ip", {}, NOW))
        uow.commit()
    snooze = container.rule_controls.snooze(
        "content_high_risk",
        EntityRef(EntityKind.ACCOUNT, "acct_9"),
        NOW + timedelta(hours=2),
        actor="test",
        reason="known tester",
    )
    token = signed_in(client, container, EDITOR, Role.RULES_EDITOR)

    page = client.get("/rules")
    row = re.search(r'<tr data-rule="card_testing_ip">.*?</tr>', page.text, re.S)
    assert row is not None and "demoted" in row.group(0) and "Restore" in row.group(0)
    assert "known tester" in page.text and 'data-alert="alr_1"' in page.text

    restored = client.post("/rules/card_testing_ip/restore", data={"csrf_token": token})
    lifted = client.post(f"/snoozes/{snooze.id}/lift", data={"csrf_token": token})
    acknowledged = client.post("/alerts/alr_1/acknowledge", data={"csrf_token": token})
    forged = client.post("/alerts/alr_1/acknowledge", data={"csrf_token": "nope"})

    assert [r.status_code for r in (restored, lifted, acknowledged)] == [303, 303, 303]
    assert forged.status_code == 403
    after = client.get("/rules")
    row = re.search(r'<tr data-rule="card_testing_ip">.*?</tr>', after.text, re.S)
    assert row is not None and "demoted" not in row.group(0)
    assert "No active snoozes" in after.text and "No open alerts" in after.text
