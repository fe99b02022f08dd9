"""Velocity Counters in time buckets."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from contract_samples import Factory


def test_sums_over_inclusive_bucket_ranges(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.increment(["ip:1", "acct:1"], 100)
        uow.counters.increment(["ip:1"], 100)
        uow.counters.increment(["ip:1"], 101)
        uow.counters.increment(["ip:1", "ip:1"], 105)
        uow.counters.increment([], 106)
        uow.commit()
    with uow_factory() as uow:
        sums = uow.counters.sums(
            [
                ("ip:1", 100, 100),
                ("ip:1", 100, 105),
                ("ip:1", 101, 104),
                ("ip:1", 106, 200),
                ("acct:1", 0, 1_000),
                ("unknown", 0, 1_000),
                ("ip:1", 105, 100),
            ]
        )
        assert uow.counters.sums([]) == []
    assert sums == [2, 5, 1, 0, 1, 0, 0]


def test_increments_add_up_across_units(uow_factory: Factory) -> None:
    for _ in range(3):
        with uow_factory() as uow:
            uow.counters.increment(["k"], 7)
            uow.commit()
    with uow_factory() as uow:
        uow.counters.increment(["k"], 7)
    with uow_factory() as uow:
        assert uow.counters.sums([("k", 7, 7)]) == [3]


def test_many_sums_in_one_call(uow_factory: Factory) -> None:
    keys = [f"key:{i}" for i in range(450)]
    with uow_factory() as uow:
        for bucket in range(3):
            uow.counters.increment(keys[: 150 * (bucket + 1)], bucket)
        uow.commit()
    with uow_factory() as uow:
        sums = uow.counters.sums([(key, 0, 2) for key in keys])
    assert sums == [3] * 150 + [2] * 150 + [1] * 150


def test_concurrent_increments_are_not_lost(uow_factory: Factory) -> None:
    def bump(times: int) -> None:
        for _ in range(times):
            with uow_factory() as uow:
                uow.counters.increment(["hot", "cold"], 1)
                uow.commit()

    with ThreadPoolExecutor(6) as pool:
        for done in [pool.submit(bump, 15) for _ in range(6)]:
            done.result(timeout=60)
    with uow_factory() as uow:
        assert uow.counters.sums([("hot", 1, 1), ("cold", 0, 2)]) == [90, 90]
