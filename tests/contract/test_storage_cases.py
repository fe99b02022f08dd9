"""Cases (one unresolved case per subject), Queues and Labels."""

from __future__ import annotations

from dataclasses import replace

import pytest
from contract_samples import ACCOUNT, T0, Backend, Factory, at, case, label, resolution

from garrison.domain.access import Permission
from garrison.domain.cases import DEFAULT_QUEUES, CaseStatus, Queue
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import CaseId, DecisionId, LabelId, PrincipalId, QueueName
from garrison.services.unit_of_work import DuplicateKey

OTHER = EntityRef(EntityKind.ACCOUNT, "acct_2")
REVIEWER = PrincipalId("usr_1")


def test_case_roundtrip_through_its_lifecycle(uow_factory: Factory) -> None:
    opened = case("case_1")
    with uow_factory() as uow:
        uow.cases.add(opened)
        uow.commit()
    with uow_factory() as uow:
        assert uow.cases.get(CaseId("case_1")) == opened
        assert uow.cases.get(CaseId("case_404")) is None
        claimed = opened.attach(DecisionId("dec_3"), 250, at(1)).claim(REVIEWER, at(2))
        uow.cases.save(claimed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.cases.get(CaseId("case_1")) == claimed
        resolved = claimed.resolve(resolution())
        uow.cases.save(resolved)
        uow.commit()
    with uow_factory() as uow:
        found = uow.cases.get(CaseId("case_1"))
    assert found == resolved
    assert found is not None and found.resolution is not None
    assert found.resolution.actions[1].target == EntityRef(EntityKind.API_KEY, "k1")


def test_one_open_case_per_subject(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.cases.add(case("case_1"))
        uow.cases.add(case("case_other", subject=OTHER))
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateKey):
        uow.cases.add(case("case_2"))
    with uow_factory() as uow:
        first = uow.cases.open_for(ACCOUNT)
        assert first is not None and first.id == "case_1"
        assert uow.cases.open_for(EntityRef(EntityKind.ACCOUNT, "acct_404")) is None
        resolved = first.claim(REVIEWER, at(1)).resolve(resolution())
        uow.cases.save(resolved)
        assert uow.cases.open_for(ACCOUNT) is None
        uow.cases.add(case("case_2"))
        uow.commit()
    with uow_factory() as uow:
        second = uow.cases.open_for(ACCOUNT)
        assert second is not None and second.id == "case_2"


def test_duplicate_case_id(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.cases.add(case("case_1"))
        with pytest.raises(DuplicateKey):
            uow.cases.add(case("case_1", subject=OTHER))
        uow.commit()
    with uow_factory() as uow:
        assert uow.cases.open_for(OTHER) is None


def test_sql_save_cannot_reopen_a_second_case(backend: Backend) -> None:
    if not backend.is_sql:
        pytest.skip("the memory store checks open cases on add only")
    with backend.factory() as uow:
        uow.cases.add(case("case_1", status=CaseStatus.RESOLVED))
        uow.cases.add(case("case_2"))
        uow.commit()
    with backend.factory() as uow:
        reopened = replace(case("case_1"), priority=999)
        with pytest.raises(DuplicateKey):
            uow.cases.save(reopened)
        uow.cases.add(case("case_3", subject=OTHER))
        uow.commit()
    with backend.factory() as uow:
        kept = uow.cases.get(CaseId("case_1"))
        assert kept is not None and kept.status is CaseStatus.RESOLVED
        assert uow.cases.open_for(OTHER) is not None


def test_list_orders_filters_and_pages(uow_factory: Factory) -> None:
    subjects = [EntityRef(EntityKind.ACCOUNT, f"acct_{i}") for i in range(6)]
    with uow_factory() as uow:
        uow.cases.add(case("case_low", subject=subjects[0], priority=10))
        uow.cases.add(case("case_b", subject=subjects[1], priority=300, created=at(5)))
        uow.cases.add(case("case_a", subject=subjects[2], priority=300, created=at(5)))
        uow.cases.add(case("case_old", subject=subjects[3], priority=300, created=at(-5)))
        uow.cases.add(case("case_dflt", subject=subjects[4], queue="default", priority=900))
        claimed = case("case_mine", subject=subjects[5], priority=50).claim(REVIEWER, at(1))
        uow.cases.add(claimed)
        uow.commit()
    with uow_factory() as uow:
        fraud = [c.id for c in uow.cases.list(queue=QueueName("fraud"), status=None, limit=10)]
        page = uow.cases.list(queue=QueueName("fraud"), status=None, limit=2, offset=1)
        everything = uow.cases.list(queue=None, status=None, limit=10)
        claimed_only = uow.cases.list(queue=None, status=CaseStatus.CLAIMED, limit=10)
        open_fraud = uow.cases.list(queue=QueueName("fraud"), status=CaseStatus.OPEN, limit=10)
        beyond = uow.cases.list(queue=None, status=None, limit=10, offset=50)
    assert fraud == ["case_old", "case_a", "case_b", "case_mine", "case_low"]
    assert [c.id for c in page] == ["case_a", "case_b"]
    assert [c.id for c in everything] == ["case_dflt", *fraud]
    assert claimed_only == [claimed]
    assert [c.id for c in open_fraud] == ["case_old", "case_a", "case_b", "case_low"]
    assert beyond == []


def test_counts_per_queue_and_status(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.cases.counts() == {}
        for i, (queue, status) in enumerate(
            [
                ("fraud", CaseStatus.OPEN),
                ("fraud", CaseStatus.OPEN),
                ("fraud", CaseStatus.RESOLVED),
                ("default", CaseStatus.CLAIMED),
            ]
        ):
            subject = EntityRef(EntityKind.ACCOUNT, f"acct_{i}")
            uow.cases.add(case(f"case_{i}", subject=subject, queue=queue, status=status))
        uow.commit()
    with uow_factory() as uow:
        counts = uow.cases.counts()
    assert counts == {
        QueueName("fraud"): {CaseStatus.OPEN: 2, CaseStatus.RESOLVED: 1},
        QueueName("default"): {CaseStatus.CLAIMED: 1},
    }
    assert all(isinstance(status, CaseStatus) for per in counts.values() for status in per)


def test_queues_list_get_save(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.queues.list() == []
        for queue in reversed(DEFAULT_QUEUES):
            uow.queues.save(queue)
        uow.commit()
    changed = Queue(QueueName("fraud"), "Payments only", 3600, Permission.REVIEW_ESCALATIONS)
    with uow_factory() as uow:
        assert uow.queues.list() == sorted(DEFAULT_QUEUES, key=lambda q: q.name)
        assert uow.queues.get(QueueName("content")) == DEFAULT_QUEUES[2]
        assert uow.queues.get(QueueName("nope")) is None
        uow.queues.save(changed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.queues.get(QueueName("fraud")) == changed
        assert len(uow.queues.list()) == len(DEFAULT_QUEUES)


def test_labels_newest_first_per_subject(uow_factory: Factory) -> None:
    bare = replace(label("lab_bare", created=at(-1)), policy=None, case_id=None, expires_at=None)
    with uow_factory() as uow:
        uow.labels.add(label("lab_1", created=T0))
        uow.labels.add(label("lab_3", created=at(10)))
        uow.labels.add(label("lab_2", created=T0))
        uow.labels.add(bare)
        uow.labels.add(label("lab_other", created=at(99), subject=OTHER))
        uow.commit()
    with uow_factory() as uow:
        found = uow.labels.for_subject(ACCOUNT)
        assert uow.labels.for_subject(EntityRef(EntityKind.EMAIL, "x@y.z")) == []
    assert [lab.id for lab in found] == ["lab_3", "lab_2", "lab_1", "lab_bare"]
    assert found[0] == label("lab_3", created=at(10))
    assert found[-1] == bare


def test_duplicate_label(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.labels.add(label("lab_1"))
        with pytest.raises(DuplicateKey):
            uow.labels.add(label("lab_1", subject=OTHER))
        uow.commit()
    with uow_factory() as uow:
        assert uow.labels.for_subject(OTHER) == []
        assert [lab.id for lab in uow.labels.for_subject(ACCOUNT)] == [LabelId("lab_1")]
