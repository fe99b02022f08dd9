"""Actions (the outbox) and webhook Deliveries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from contract_samples import T0, Backend, Factory, action, at, delivery

from garrison.domain.actions import ActionStatus
from garrison.domain.ids import ActionId, CaseId, DecisionId, DeliveryId
from garrison.domain.webhooks import DeliveryStatus, RetryPolicy
from garrison.services.unit_of_work import DuplicateKey


def test_action_roundtrip_and_save(uow_factory: Factory) -> None:
    planned = action("act_1", case_id="case_7")
    with uow_factory() as uow:
        uow.actions.add([planned])
        uow.commit()
    with uow_factory() as uow:
        assert uow.actions.get(ActionId("act_1")) == planned
        assert uow.actions.get(ActionId("act_404")) is None
        done = planned.executed(at(5))
        uow.actions.save(done)
        failed = action("act_2").failed(at(6), "host said 503")
        uow.actions.save(failed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.actions.get(ActionId("act_1")) == done
        assert uow.actions.get(ActionId("act_2")) == failed


def test_duplicate_action_leaves_the_batch_out(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.actions.add([action("act_1")])
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateKey):
        uow.actions.add([action("act_2"), action("act_1")])
    with uow_factory() as uow:
        assert uow.actions.get(ActionId("act_2")) is None
        uow.actions.add([])
        assert [a.id for a in uow.actions.planned(10)] == ["act_1"]


def test_planned_oldest_first_within_limit(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.actions.add(
            [
                action("act_c", created=at(10)),
                action("act_b", created=at(0)),
                action("act_a", created=at(0)),
                action("act_done", created=at(-5), status=ActionStatus.EXECUTED),
                action("act_failed", created=at(-5), status=ActionStatus.FAILED),
                action("act_d", created=at(20)),
            ]
        )
        uow.commit()
    with uow_factory() as uow:
        assert [a.id for a in uow.actions.planned(3)] == ["act_a", "act_b", "act_c"]
        assert [a.id for a in uow.actions.planned(10)] == ["act_a", "act_b", "act_c", "act_d"]


def test_for_source(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.actions.add(
            [
                action("act_3", created=at(3), decision_id="dec_2"),
                action("act_1", created=at(1), decision_id="dec_1"),
                action("act_2", created=at(2), decision_id=None, case_id="case_1"),
                action("act_4", created=at(0), decision_id="dec_9"),
            ]
        )
        uow.commit()
    with uow_factory() as uow:
        by_decisions = uow.actions.for_source(
            decision_ids=[DecisionId("dec_2"), DecisionId("dec_1")]
        )
        both = uow.actions.for_source(decision_ids=[DecisionId("dec_1")], case_id=CaseId("case_1"))
        by_case = uow.actions.for_source(case_id=CaseId("case_1"))
        nothing = uow.actions.for_source()
    assert [a.id for a in by_decisions] == ["act_1", "act_3"]
    assert [a.id for a in both] == ["act_1", "act_2"]
    assert [a.id for a in by_case] == ["act_2"]
    assert nothing == []


def test_concurrent_dispatchers_get_disjoint_planned_actions(backend: Backend) -> None:
    if backend.name != "postgres":
        pytest.skip("memory and SQLite run one unit at a time (see test_storage_units)")
    with backend.factory() as uow:
        uow.actions.add([action(f"act_{i}", created=at(i)) for i in range(6)])
        uow.commit()
    both_locked = threading.Barrier(2, timeout=10)

    def take() -> set[str]:
        with backend.factory() as uow:
            got = uow.actions.planned(3)
            both_locked.wait()
            return {a.id for a in got}

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(take), pool.submit(take)
        mine, theirs = first.result(timeout=15), second.result(timeout=15)
    assert len(mine) == len(theirs) == 3
    assert mine.isdisjoint(theirs)
    assert mine | theirs == {f"act_{i}" for i in range(6)}


def test_delivery_roundtrip_and_save(uow_factory: Factory) -> None:
    original = delivery("dlv_1")
    with uow_factory() as uow:
        uow.deliveries.add(original)
        uow.commit()
    with uow_factory() as uow:
        found = uow.deliveries.get(DeliveryId("dlv_1"))
        assert found == original
        assert uow.deliveries.get(DeliveryId("dlv_404")) is None
        retried = original.failed(at(1), "timeout", RetryPolicy())
        uow.deliveries.save(retried)
        uow.commit()
    with uow_factory() as uow:
        assert uow.deliveries.get(DeliveryId("dlv_1")) == retried
        sent = retried.succeeded(at(9))
        uow.deliveries.save(sent)
        uow.commit()
    with uow_factory() as uow:
        found = uow.deliveries.get(DeliveryId("dlv_1"))
    assert found == sent
    assert found is not None and isinstance(found.body, bytes)


def test_duplicate_delivery(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.deliveries.add(delivery("dlv_1"))
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateKey):
        uow.deliveries.add(delivery("dlv_1"))


def test_due_pending_and_oldest_first(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.deliveries.add(delivery("dlv_late", due=at(30)))
        uow.deliveries.add(delivery("dlv_b", due=at(-10)))
        uow.deliveries.add(delivery("dlv_a", due=at(-10)))
        uow.deliveries.add(delivery("dlv_now", due=T0))
        uow.deliveries.add(delivery("dlv_early", due=at(-60)))
        uow.deliveries.add(delivery("dlv_dead", due=at(-99), status=DeliveryStatus.DEAD))
        uow.deliveries.add(delivery("dlv_sent", due=at(-99), status=DeliveryStatus.DELIVERED))
        uow.commit()
    with uow_factory() as uow:
        due = [d.id for d in uow.deliveries.due(T0, 10)]
        first_two = [d.id for d in uow.deliveries.due(T0, 2)]
        later = [d.id for d in uow.deliveries.due(T0 + timedelta(minutes=1), 10)]
    assert due == ["dlv_early", "dlv_a", "dlv_b", "dlv_now"]
    assert first_two == ["dlv_early", "dlv_a"]
    assert later == [*due, "dlv_late"]


def test_list_newest_first_by_status(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.deliveries.add(delivery("dlv_1", created=at(1)))
        uow.deliveries.add(delivery("dlv_3", created=at(3), status=DeliveryStatus.DEAD))
        uow.deliveries.add(delivery("dlv_2", created=at(2)))
        uow.deliveries.add(delivery("dlv_2b", created=at(2)))
        uow.commit()
    with uow_factory() as uow:
        everything = [d.id for d in uow.deliveries.list(status=None, limit=10)]
        pending = [d.id for d in uow.deliveries.list(status=DeliveryStatus.PENDING, limit=2)]
        dead = uow.deliveries.list(status=DeliveryStatus.DEAD, limit=10)
    assert everything == ["dlv_3", "dlv_2b", "dlv_2", "dlv_1"]
    assert pending == ["dlv_2b", "dlv_2"]
    assert dead == [delivery("dlv_3", created=at(3), status=DeliveryStatus.DEAD)]
