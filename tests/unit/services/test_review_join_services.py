"""Review joined with the ledger (strike ladder), QA (provenance, blind double review) and
routing (the dispatcher's cases)."""

from datetime import timedelta

import pytest
from service_world import T0, World, build_world, make_event, person

from garrison.adapters.shipped_policies import shipped_taxonomy
from garrison.domain.access import Principal, Role
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.cases import Case, CaseStatus, Outcome
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import PermissionDenied
from garrison.domain.ids import ActionId, CaseId, DecisionId, LabelId, QueueName
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.strikes import STRIKE_PARAM, StrikeLadders
from garrison.domain.verdicts import Verdict
from garrison.services.policies import ensure_taxonomy
from garrison.services.qa import QaIntake
from garrison.services.review import ReviewService
from garrison.services.unit_of_work import StoredEvent

ALICE = person(Role.REVIEWER, "alice@x.test")
BOB = person(Role.REVIEWER, "bob@x.test")
LEAD = person(Role.ADMIN, "lead@x.test")
LADDERS = StrikeLadders.parse("warn, suspend_account:7d", {"fraud": "rate_limit:1h"})


def laddered(world: World) -> ReviewService:
    return ReviewService(world.store.uow, world.clock, world.ids, ladders=LADDERS)


def open_case(world: World, n: int, account: str = "a1", queue: str = "default") -> CaseId:
    case_id = CaseId(f"case_{n}")
    subject = EntityRef(EntityKind.ACCOUNT, account)
    case = Case(case_id, QueueName(queue), subject, CaseStatus.OPEN, 0, T0, T0)
    with world.store.uow() as uow:
        uow.cases.add(case)
        uow.commit()
    return case_id


def resolve(review: ReviewService, who: Principal, case_id: CaseId, policy: str | None) -> None:
    review.claim(who, case_id)
    outcome = Outcome.VIOLATING if policy else Outcome.NOT_VIOLATING
    review.resolve(who, case_id, outcome=outcome, policy=policy, actions=(), note="")


def planned(world: World, case_id: CaseId) -> list[Action]:
    with world.store.uow() as uow:
        return uow.actions.for_source(decision_ids=(), case_id=case_id)


def test_violating_resolution_without_actions_takes_the_next_strike() -> None:
    world = build_world()
    review = laddered(world)
    first, other = open_case(world, 1), open_case(world, 3, "a2")
    resolve(review, ALICE, first, "spam")
    [strike] = planned(world, first)
    assert (strike.kind, strike.params[STRIKE_PARAM], strike.policy) == (ActionKind.WARN, 1, "spam")
    assert strike.actor == ALICE.actor and strike.status is ActionStatus.PLANNED
    second = open_case(world, 2)  # the subject's next case, once the first is closed
    resolve(review, ALICE, second, "spam")
    [again] = planned(world, second)
    assert (again.kind, again.params[STRIKE_PARAM]) == (ActionKind.SUSPEND_ACCOUNT, 2)
    resolve(review, ALICE, other, "fraud")
    assert [a.kind for a in planned(world, other)] == [ActionKind.RATE_LIMIT]


def test_no_strike_without_ladders_or_for_a_benign_outcome() -> None:
    world = build_world()
    case_id = open_case(world, 1)
    resolve(world.review, ALICE, case_id, "spam")  # the world's review has no ladders
    assert planned(world, case_id) == []
    benign = open_case(world, 2, "a2")
    resolve(laddered(world), ALICE, benign, None)
    assert planned(world, benign) == []


def double_review(world: World) -> tuple[CaseId, CaseId]:
    """A case Alice resolved, and its blind second review."""
    first = open_case(world, 1)
    resolve(world.review, ALICE, first, "spam")
    intake = QaIntake(world.store.uow, world.clock, world.ids)
    sweep = intake.sample_double_reviews(LEAD, rate=1.0, seed="s")
    return first, sweep.enqueued[0].case_id


def test_blind_double_review_refuses_the_first_reviewer_and_hides_the_first_answer() -> None:
    world = build_world()
    _, second = double_review(world)
    with pytest.raises(PermissionDenied):
        world.review.claim(ALICE, second)
    assert world.review.next_case(ALICE, QueueName("default")) is None
    found = world.review.case_file(BOB, second)
    assert found.blind and found.labels == ()
    taken = world.review.next_case(BOB, QueueName("default"))
    assert taken is not None and taken.id == second
    world.review.resolve(
        BOB, second, outcome=Outcome.NOT_VIOLATING, policy=None, actions=(), note=""
    )
    with world.store.uow() as uow:
        labels = uow.labels.for_subject(EntityRef(EntityKind.ACCOUNT, "a1"))
    assert sorted(label.provenance for label in labels) == sorted(
        [Provenance.REVIEW, Provenance.QA_SAMPLE]
    )


def test_a_violating_second_review_takes_no_second_strike() -> None:
    world = build_world()
    review = laddered(world)
    first = open_case(world, 1)
    resolve(review, ALICE, first, "spam")
    intake = QaIntake(world.store.uow, world.clock, world.ids)
    second = intake.sample_double_reviews(LEAD, rate=1.0, seed="s").enqueued[0].case_id
    resolve(review, BOB, second, "spam")
    assert [a.kind for a in planned(world, first)] == [ActionKind.WARN]
    assert planned(world, second) == []


def test_ordinary_case_file_shows_the_subjects_labels() -> None:
    world = build_world()
    case_id = open_case(world, 1)
    label = Label(
        LabelId("lbl_1"),
        EntityRef(EntityKind.ACCOUNT, "a1"),
        "spam",
        LabelValue.VIOLATING,
        Provenance.REVIEW,
        "person:x",
        T0,
    )
    with world.store.uow() as uow:
        uow.labels.add(label)
        uow.commit()
    found = world.review.case_file(ALICE, case_id)
    assert not found.blind and found.labels == (label,)


def test_next_case_skips_cases_the_filter_refuses() -> None:
    world = build_world()
    skipped = open_case(world, 1)
    wanted = open_case(world, 2, "a2")
    taken = world.review.next_case(ALICE, QueueName("default"), accept=lambda c: c.id != skipped)
    assert taken is not None and taken.id == wanted
    assert world.review.next_case(BOB, QueueName("default"), accept=lambda c: False) is None


def enqueue(world: World, n: int, verdict: Verdict, *, policy: str | None, **attrs: object) -> None:
    event = make_event(n, account=f"acc{n}", **attrs)
    decision = Decision(DecisionId(f"dec_{n}"), event.id, verdict, 0.5, (), "r1", "p1", T0)
    action = Action(
        ActionId(f"act_{n}"),
        ActionKind.ENQUEUE_REVIEW,
        EntityRef(EntityKind.ACCOUNT, f"acc{n}"),
        {},
        ActionStatus.PLANNED,
        T0,
        decision_id=decision.id,
        policy=policy,
    )
    with world.store.uow() as uow:
        uow.events.add(StoredEvent(event, f"fp{n}", decision.id, T0))
        uow.decisions.add(decision)
        uow.actions.add([action])
        uow.commit()


def test_dispatcher_routes_cases_for_reviews_that_name_no_queue() -> None:
    world = build_world()
    enqueue(world, 1, Verdict.REVIEW, policy="fraud.card_testing")
    enqueue(world, 2, Verdict.REVIEW, policy="spam", tier="enterprise")
    enqueue(world, 3, Verdict.REVIEW, policy="spam")
    world.clock.advance(300)
    assert world.dispatcher.run_once().cases_opened == 3
    with world.store.uow() as uow:
        cases = {str(c.subject): c for c in uow.cases.list(queue=None, status=None, limit=10)}
    queues = {subject: case.queue for subject, case in cases.items()}
    assert queues == {
        "account:acc1": "fraud",
        "account:acc2": "sensitive",
        "account:acc3": "default",
    }
    assert {case.queued_at for case in cases.values()} == {T0 + timedelta(minutes=5)}


def test_actions_a_review_plans_name_the_taxonomy_version_in_force() -> None:
    world = build_world()
    review = laddered(world)
    unversioned = open_case(world, 1)
    resolve(review, ALICE, unversioned, "spam")
    assert [a.policy_version for a in planned(world, unversioned)] == [None]
    ensure_taxonomy(world.store.uow, world.clock, shipped_taxonomy())
    versioned = open_case(world, 2)
    resolve(review, ALICE, versioned, "spam")
    assert [a.policy_version for a in planned(world, versioned)] == ["taxonomy v1"]
