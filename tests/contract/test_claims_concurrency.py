"""Claims are leases: many reviewers asking for "next case" at once never share a case.

Runs on memory, SQLite (conditional UPDATE under the write lock) and PostgreSQL (`FOR UPDATE
SKIP LOCKED` plus the conditional UPDATE).
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from contract_samples import T0, Factory, at, case

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.cases import DEFAULT_QUEUES, CaseStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import CaseId, PrincipalId, QueueName
from garrison.services.review import ReviewService, ensure_queues

REVIEWERS = 8
CASES = 40
FRAUD = QueueName("fraud")


def reviewer(n: int) -> Principal:
    return Principal(PrincipalId(f"usr_{n}"), PrincipalKind.PERSON, f"r{n}@x.test", Role.REVIEWER)


def seed(uow_factory: Factory, count: int) -> None:
    ensure_queues(uow_factory, DEFAULT_QUEUES)
    with uow_factory() as uow:
        for i in range(count):
            subject = EntityRef(EntityKind.ACCOUNT, f"acct_{i:03d}")
            uow.cases.add(case(f"case_{i:03d}", subject=subject, priority=i % 7))
        uow.commit()


def test_concurrent_next_never_hands_out_a_case_twice(uow_factory: Factory) -> None:
    seed(uow_factory, CASES)
    review = ReviewService(uow_factory, ManualClock(at(60)), SequentialIds(), lease_seconds=600)
    start = threading.Barrier(REVIEWERS)

    def drain(n: int) -> list[CaseId]:
        me, got = reviewer(n), []
        start.wait()
        while (claimed := review.next_case(me, FRAUD)) is not None:
            assert claimed.assignee == me.id
            got.append(claimed.id)
        return got

    with ThreadPoolExecutor(REVIEWERS) as pool:
        results = list(pool.map(drain, range(REVIEWERS)))

    handed = Counter(case_id for got in results for case_id in got)
    assert [case_id for case_id, n in handed.items() if n > 1] == []
    assert len(handed) == CASES
    with uow_factory() as uow:
        stored = {c.id: c.assignee for c in uow.cases.list(queue=FRAUD, status=None, limit=100)}
    owners = {case_id: reviewer(n).id for n, got in enumerate(results) for case_id in got}
    assert stored == owners


def test_next_serves_harm_and_waiting_time_first(uow_factory: Factory) -> None:
    ensure_queues(uow_factory, DEFAULT_QUEUES)
    with uow_factory() as uow:
        uow.cases.add(case("case_old_low", priority=0, created=T0))
        uow.cases.add(case("case_new_high", subject=_acct("b"), priority=90, created=at(3600)))
        uow.cases.add(case("case_new_low", subject=_acct("c"), priority=0, created=at(3600)))
        uow.commit()
    review = ReviewService(uow_factory, ManualClock(at(7200)), SequentialIds())
    order = [review.next_case(reviewer(n), FRAUD) for n in range(4)]

    # 90 points buy 90 minutes: the new high-harm case outranks one that waited an hour longer.
    assert [c.id if c else None for c in order] == [
        "case_new_high",
        "case_old_low",
        "case_new_low",
        None,
    ]


def test_an_expired_lease_returns_the_case_to_the_pool(uow_factory: Factory) -> None:
    seed(uow_factory, 1)
    clock = ManualClock(at(0))
    review = ReviewService(uow_factory, clock, SequentialIds(), lease_seconds=300)
    first = review.next_case(reviewer(1), FRAUD)
    assert first is not None and first.lease_expires_at == at(300)
    assert review.next_case(reviewer(2), FRAUD) is None

    clock.advance(301)
    again = review.next_case(reviewer(2), FRAUD)

    assert again is not None and again.id == first.id and again.assignee == "usr_2"


def test_a_stale_claim_cannot_overwrite_someone_elses(uow_factory: Factory) -> None:
    seed(uow_factory, 1)
    with uow_factory() as uow:
        stale = uow.cases.get(CaseId("case_000"))
    assert stale is not None
    with uow_factory() as uow:
        mine = stale.claim(PrincipalId("usr_1"), at(1), at(600))
        assert uow.cases.take(mine, PrincipalId("usr_1"), at(1))
        uow.commit()
    with uow_factory() as uow:
        theirs = stale.claim(PrincipalId("usr_2"), at(2), at(600))
        assert not uow.cases.take(theirs, PrincipalId("usr_2"), at(2))
        uow.commit()
    with uow_factory() as uow:
        stored = uow.cases.get(CaseId("case_000"))
        assert stored is not None
        assert (stored.status, stored.assignee) == (CaseStatus.CLAIMED, "usr_1")
        # Past the lease the same write goes through.
        assert uow.cases.take(stale.claim(PrincipalId("usr_2"), at(700)), "usr_2", at(700))


def test_waiting_since_lists_unresolved_cases_by_time_in_queue(uow_factory: Factory) -> None:
    ensure_queues(uow_factory, DEFAULT_QUEUES)
    with uow_factory() as uow:
        uow.cases.add(case("case_a", created=T0))
        uow.cases.add(case("case_b", subject=_acct("b"), created=at(100)))
        uow.cases.add(case("case_c", subject=_acct("c"), created=at(500)))
        uow.cases.add(case("case_d", subject=_acct("d"), created=T0, status=CaseStatus.RESOLVED))
        uow.commit()
    with uow_factory() as uow:
        found = uow.cases.waiting_since(FRAUD, at(100), 10)
        assert [c.id for c in found] == ["case_a", "case_b"]
        assert uow.cases.waiting_since(QueueName("content"), at(100), 10) == []


def _acct(name: str) -> EntityRef:
    return EntityRef(EntityKind.ACCOUNT, name)
