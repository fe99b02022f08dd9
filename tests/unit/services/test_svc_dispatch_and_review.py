import json

import pytest
from service_world import World, make_event, person

from garrison.domain.access import Role
from garrison.domain.actions import ActionKind, ActionStatus, ActionTemplate
from garrison.domain.cases import CaseStatus, Outcome
from garrison.domain.errors import InvalidInput, InvalidTransition, PermissionDenied
from garrison.domain.ids import QueueName
from garrison.domain.labels import LabelValue, Provenance
from garrison.domain.webhooks import DeliveryStatus, verify
from garrison.services import audit
from garrison.services.dispatch import DELIVERY_HEADER, DispatchReport

REVIEWER = person(Role.REVIEWER)
SENIOR = person(Role.SENIOR_REVIEWER, "senior@x.test")


def flagged(world: World, n: int, account: str = "a1") -> None:
    world.ingest.process(make_event(n, type_="content.submitted", account=account, flag=True))


def test_enqueue_review_opens_one_case_per_subject_and_attaches_later_decisions(
    world: World,
) -> None:
    flagged(world, 1)
    report = world.dispatcher.run_once()
    assert (report.performed, report.cases_opened) == (1, 1)
    flagged(world, 2)
    flagged(world, 3, account="a2")
    report = world.dispatcher.run_once()
    assert (report.cases_opened, report.cases_extended) == (1, 1)
    cases = world.review.cases(REVIEWER, queue=QueueName("content"))
    by_subject = {str(c.subject): c for c in cases}
    assert len(by_subject["account:a1"].decision_ids) == 2
    assert world.dispatcher.run_once().performed == 0  # nothing is performed twice


def test_enforcement_sends_a_signed_webhook(world: World) -> None:
    for n in range(3):
        world.ingest.process(make_event(n))
    world.dispatcher.run_once()
    [sent] = world.transport.sent
    verify(
        "whsec",
        sent.headers["Garrison-Signature"],
        sent.body,
        now=int(world.clock.now().timestamp()),
    )
    payload = json.loads(sent.body)
    assert payload["action"]["kind"] == "suspend_account"
    assert payload["delivery_id"] == sent.headers[DELIVERY_HEADER]
    with world.store.uow() as uow:
        [delivery] = uow.deliveries.list(status=None, limit=10)
        assert delivery.status is DeliveryStatus.DELIVERED
        assert uow.actions.get(delivery.action_id).status is ActionStatus.EXECUTED  # type: ignore[union-attr]


def test_webhook_retries_with_backoff_then_dead_letters_and_can_be_retried(world: World) -> None:
    world.transport.script = [500, None, 503]
    for n in range(3):
        world.ingest.process(make_event(n))
    report = world.dispatcher.run_once()
    assert report.retried == 1
    assert world.dispatcher.run_once().retried == 0  # not due yet
    world.clock.advance(10)
    assert world.dispatcher.run_once().retried == 1
    world.clock.advance(20)
    report = world.dispatcher.run_once()
    assert report.dead == 1 and "503" in report.errors[0]
    with world.store.uow() as uow:
        [dead] = uow.deliveries.list(status=DeliveryStatus.DEAD, limit=10)
        assert any(r.action == "webhook.dead_lettered" for r in uow.audit.recent(limit=50))
    world.dispatcher.retry_dead(dead.id, actor="person:ops")
    report = DispatchReport()
    world.dispatcher.deliver_due(report)
    assert report.delivered == 1
    assert len(world.transport.sent) == 4


def test_claim_resolve_records_label_actions_and_audit(world: World) -> None:
    flagged(world, 1)
    world.dispatcher.run_once()
    [case] = world.review.cases(REVIEWER)
    world.review.claim(REVIEWER, case.id)
    resolved = world.review.resolve(
        REVIEWER,
        case.id,
        outcome=Outcome.VIOLATING,
        policy="content.harassment",
        actions=[ActionTemplate(ActionKind.WARN)],
        note="clear violation",
    )
    assert resolved.status is CaseStatus.RESOLVED
    with world.store.uow() as uow:
        [label] = uow.labels.for_subject(case.subject)
        planned = uow.actions.for_source(case_id=case.id)
    assert (label.value, label.provenance, label.policy) == (
        LabelValue.VIOLATING,
        Provenance.REVIEW,
        "content.harassment",
    )
    assert [(a.kind, a.status, a.actor) for a in planned] == [
        (ActionKind.WARN, ActionStatus.PLANNED, REVIEWER.actor)
    ]
    world.dispatcher.run_once()
    assert json.loads(world.transport.sent[-1].body)["action"]["case_id"] == case.id
    actions = [r.action for r in audit.recent(world.store.uow, person(Role.ADMIN, "adm"), limit=20)]
    assert "case.resolve" in actions and "case.claim" in actions


def test_case_file_read_is_audited(world: World) -> None:
    flagged(world, 1)
    world.dispatcher.run_once()
    [case] = world.review.cases(REVIEWER)
    found = world.review.case_file(REVIEWER, case.id)
    assert [e.id for e in found.events] == ["evt_1"]
    assert found.decisions[0].verdict == "review"
    with world.store.uow() as uow:
        assert uow.audit.recent(limit=1)[0].action == "case.read"
    with pytest.raises(PermissionDenied):
        world.review.case_file(person(Role.VIEWER, "v"), case.id)


def test_escalation_needs_a_senior_reviewer(world: World) -> None:
    flagged(world, 1)
    world.dispatcher.run_once()
    [case] = world.review.cases(REVIEWER)
    world.review.claim(REVIEWER, case.id)
    world.review.resolve(
        REVIEWER, case.id, outcome=Outcome.ESCALATE, policy=None, actions=[], note=""
    )
    with pytest.raises(PermissionDenied):
        world.review.claim(REVIEWER, case.id)
    world.review.claim(SENIOR, case.id)
    with world.store.uow() as uow:
        assert uow.labels.for_subject(case.subject) == []


def test_bad_resolutions_change_nothing(world: World) -> None:
    flagged(world, 1)
    world.dispatcher.run_once()
    [case] = world.review.cases(REVIEWER)
    with pytest.raises(InvalidTransition):
        world.review.resolve(
            REVIEWER, case.id, outcome=Outcome.NOT_VIOLATING, policy=None, actions=[], note=""
        )
    world.review.claim(REVIEWER, case.id)
    with pytest.raises(InvalidInput):
        world.review.resolve(
            REVIEWER, case.id, outcome=Outcome.VIOLATING, policy=None, actions=[], note=""
        )
    with pytest.raises(InvalidInput):
        world.review.resolve(
            REVIEWER,
            case.id,
            outcome=Outcome.NOT_VIOLATING,
            policy=None,
            actions=[ActionTemplate(ActionKind.BAN_ACCOUNT)],
            note="",
        )
    with world.store.uow() as uow:
        assert uow.cases.get(case.id).status is CaseStatus.CLAIMED  # type: ignore[union-attr]
        assert uow.labels.for_subject(case.subject) == []
