"""The case page joined with the rest of review: lease-based next case (wellness still applies),
escalation with a reason, release, comments, evidence links, the case timeline, user reports with
their reporters' reputation, and blindness on a double review."""

from __future__ import annotations

import re

from console_world import TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import SYSTEM, Principal, PrincipalKind, Role
from garrison.domain.cases import Case, CaseStatus, Outcome
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import CaseId, PrincipalId
from garrison.domain.user_reports import ReporterKind
from garrison.services.user_reports import ReportIn

HOST = Principal(PrincipalId("key_host"), PrincipalKind.MACHINE, "host", Role.INGEST)


def reviewer(client: TestClient, container: Container, email: str = "rj@example.com") -> str:
    make_user(container, email, Role.REVIEWER)
    sign_in(client, email)
    return csrf_token(client.get("/queues").text)


def stored(container: Container, case_id: CaseId) -> Case:
    with container.uow() as uow:
        found = uow.cases.get(case_id)
    assert found is not None
    return found


def claim_actions(container: Container, case_id: CaseId) -> list[str]:
    with container.uow() as uow:
        records = uow.audit.recent(limit=50, target=f"case:{case_id}")
    return [r.action for r in records if r.action.startswith("case.claim")]


def test_next_case_takes_a_lease(client: TestClient, container: Container) -> None:
    case = content_case(container)
    token = reviewer(client, container)

    answer = client.post("/queues/content/next", data={"csrf_token": token})

    assert answer.headers["location"] == f"/cases/{case.id}"
    leased = stored(container, case.id)
    assert leased.status is CaseStatus.CLAIMED and leased.lease_expires_at is not None
    assert claim_actions(container, case.id) == ["case.claim_next"]


def test_next_case_still_routes_opted_out_work_elsewhere(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    token = reviewer(client, container)
    client.post("/me/wellness", data={"csrf_token": token, "opted_out": ["content"]})

    answer = client.post("/queues/content/next", data={"csrf_token": token})

    assert answer.headers["location"] == "/queues/content"
    assert stored(container, case.id).status is CaseStatus.OPEN
    assert claim_actions(container, case.id) == []


def test_escalate_needs_a_reason_and_records_it(client: TestClient, container: Container) -> None:
    case = content_case(container)
    token = reviewer(client, container)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    page = client.get(f"/cases/{case.id}").text
    assert 'action="/cases/' + case.id + '/escalate"' in page
    assert 'name="reason"' in page and 'value="escalate"' not in page  # not a resolve outcome

    refused = client.post(f"/cases/{case.id}/escalate", data={"csrf_token": token, "reason": " "})
    assert refused.status_code == 400 and "reason" in refused.text
    assert stored(container, case.id).queue == "content"

    client.post(
        f"/cases/{case.id}/escalate", data={"csrf_token": token, "reason": "credible threat"}
    )
    moved = stored(container, case.id)
    assert (moved.queue, moved.status, moved.assignee) == ("escalations", CaseStatus.OPEN, None)
    assert [e.reason for e in moved.escalations] == ["credible threat"]


def test_release_gives_the_lease_back(client: TestClient, container: Container) -> None:
    case = content_case(container)
    token = reviewer(client, container)
    client.post("/queues/content/next", data={"csrf_token": token})
    page = client.get(f"/cases/{case.id}").text
    assert 'id="release-form"' in page

    answer = client.post(f"/cases/{case.id}/release", data={"csrf_token": token})

    assert answer.headers["location"] == f"/cases/{case.id}"
    released = stored(container, case.id)
    assert (released.status, released.assignee) == (CaseStatus.OPEN, None)
    assert "Case released to its queue." in client.get(f"/cases/{case.id}").text


def test_comments_evidence_and_timeline_on_the_case_page(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    token = reviewer(client, container)
    client.post(f"/cases/{case.id}/claim", data={"csrf_token": token})

    client.post(f"/cases/{case.id}/comments", data={"csrf_token": token, "text": "same as last"})
    client.post(
        f"/cases/{case.id}/evidence",
        data={"csrf_token": token, "name": "archive", "url": "https://archive.test/x"},
    )
    empty = client.post(f"/cases/{case.id}/comments", data={"csrf_token": token, "text": ""})
    page = client.get(f"/cases/{case.id}").text

    assert empty.status_code == 400
    comments = re.search(r'data-testid="comments".*?</section>', page, re.S)
    assert comments is not None and "same as last" in comments.group(0)
    evidence = re.search(r'data-testid="evidence".*?</section>', page, re.S)
    assert evidence is not None and 'href="https://archive.test/x"' in evidence.group(0)
    timeline = re.search(r'data-testid="case-timeline".*?</section>', page, re.S)
    assert timeline is not None
    kinds = re.findall(r'data-entry="(\w+)"', timeline.group(0))
    assert kinds[0] == "created" and {"decision", "comment", "evidence", "change"} <= set(kinds)


def test_reports_and_reporter_reputation_on_the_case_page(
    client: TestClient, container: Container
) -> None:
    subject = EntityRef(EntityKind.ACCOUNT, "acct_reported")
    for n, who in enumerate(("rep_good", "rep_new")):
        filed = ReportIn(who, ReporterKind.PERSON, subject, "harassment", f"report {n}")
        container.user_reports.file(HOST, filed)
    with container.uow() as uow:
        case = uow.cases.open_for(subject)
        good = uow.reporters.get("rep_good")
        assert case is not None and good is not None
        uow.reporters.save(good.settle(True).settle(True).settle(True))
        uow.commit()
    reviewer(client, container)

    page = client.get(f"/cases/{case.id}").text

    section = re.search(r'data-testid="case-reports".*?</section>', page, re.S)
    assert section is not None
    rows = dict(
        re.findall(
            r"<code>(rep_\w+)</code>.*?data-testid=\"reputation\">([\d.]+)<",
            section.group(0),
            re.S,
        )
    )
    assert set(rows) == {"rep_good", "rep_new"}
    assert float(rows["rep_good"]) > float(rows["rep_new"])


def test_blind_double_review_hides_the_first_answer(
    client: TestClient, container: Container
) -> None:
    first = content_case(container)
    alice = Principal(PrincipalId("usr_first"), PrincipalKind.PERSON, "first", Role.REVIEWER)
    container.review.claim(alice, first.id)
    container.review.resolve(
        alice, first.id, outcome=Outcome.NOT_VIOLATING, policy=None, actions=(), note=""
    )
    sweep = container.quality.intake.sample_double_reviews(SYSTEM, rate=1.0, seed="s")
    second = sweep.enqueued[0].case_id
    reviewer(client, container)

    page = client.get(f"/cases/{second}").text

    assert "Hidden: this is a blind second review" in page
    assert f"/cases/{first.id}" not in page  # neither a related case nor a history row
