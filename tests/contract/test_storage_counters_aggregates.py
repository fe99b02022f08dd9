"""SUM and DISTINCT velocity buckets: totals and distinct counts over inclusive bucket ranges."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from contract_samples import Factory


def test_totals_over_inclusive_bucket_ranges(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.add([("spend:a", 100, 10.5), ("spend:b", 100, 1.0)])
        uow.counters.add([("spend:a", 100, 2.0), ("spend:a", 101, 0.25), ("spend:a", 105, -3.0)])
        uow.counters.add([])
        uow.commit()
    with uow_factory() as uow:
        found = uow.counters.totals(
            [
                ("spend:a", 100, 100),
                ("spend:a", 100, 105),
                ("spend:a", 102, 104),
                ("spend:b", 0, 1_000),
                ("unknown", 0, 1_000),
                ("spend:a", 105, 100),
            ]
        )
        assert uow.counters.totals([]) == []
    assert found == [12.5, 9.75, 0.0, 1.0, 0.0, 0.0]


def test_amounts_for_one_bucket_in_one_call_add_up(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.add([("k", 7, 1.5), ("k", 7, 2.5)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.counters.totals([("k", 7, 7)]) == [4.0]


def test_distinct_values_over_the_union_of_buckets(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.mark([("cards:a", 100, "c1"), ("cards:a", 100, "c2"), ("cards:b", 100, "c1")])
        uow.counters.mark([("cards:a", 101, "c1"), ("cards:a", 101, "c3"), ("cards:a", 100, "c1")])
        uow.counters.mark([])
        uow.commit()
    with uow_factory() as uow:
        found = uow.counters.distinct(
            [
                ("cards:a", 100, 100, None),
                ("cards:a", 100, 101, None),
                ("cards:a", 101, 101, None),
                ("cards:a", 100, 101, "c3"),
                ("cards:a", 100, 101, "c9"),
                ("unknown", 0, 1_000, None),
                ("unknown", 0, 1_000, "c1"),
            ]
        )
        assert uow.counters.distinct([]) == []
    assert found == [2, 3, 2, 3, 4, 0, 1]


def test_uncommitted_aggregates_are_not_kept(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.add([("k", 1, 5.0)])
        uow.counters.mark([("k", 1, "v")])
    with uow_factory() as uow:
        assert uow.counters.totals([("k", 1, 1)]) == [0.0]
        assert uow.counters.distinct([("k", 1, 1, None)]) == [0]


def test_many_windows_in_one_call(uow_factory: Factory) -> None:
    keys = [f"key:{i}" for i in range(450)]
    with uow_factory() as uow:
        uow.counters.add([(key, 3, float(i)) for i, key in enumerate(keys)])
        uow.counters.mark([(key, 3, f"v{i % 2}") for i, key in enumerate(keys)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.counters.totals([(key, 0, 5) for key in keys]) == [float(i) for i in range(450)]
        assert uow.counters.distinct([(key, 0, 5, "v1") for key in keys]) == [2, 1] * 225


def test_concurrent_amounts_and_marks_are_not_lost(uow_factory: Factory) -> None:
    def bump(worker: int) -> None:
        for n in range(10):
            with uow_factory() as uow:
                uow.counters.add([("hot", 1, 1.0)])
                uow.counters.mark([("seen", 1, f"{worker}-{n}"), ("seen", 1, "shared")])
                uow.commit()

    with ThreadPoolExecutor(6) as pool:
        for done in [pool.submit(bump, w) for w in range(6)]:
            done.result(timeout=60)
    with uow_factory() as uow:
        assert uow.counters.totals([("hot", 1, 1)]) == [60.0]
        assert uow.counters.distinct([("seen", 0, 2, None)]) == [61]


def test_a_unit_reads_its_own_writes_before_and_after_it_commits(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.counters.increment(["c", "c"], 1)
        uow.counters.add([("s", 1, 2.5)])
        uow.counters.mark([("d", 1, "a")])
        uow.commit()
    with uow_factory() as uow:
        uow.counters.increment(["c", "other"], 2)
        uow.counters.increment(["c"], 9)
        uow.counters.add([("s", 2, 1.0), ("s", 9, 7.0)])
        uow.counters.mark([("d", 2, "a"), ("d", 2, "b")])
        assert uow.counters.sums([("c", 1, 2), ("c", 3, 9), ("other", 0, 5)]) == [3, 1, 1]
        assert uow.counters.totals([("s", 1, 2)]) == [3.5]
        assert uow.counters.distinct([("d", 1, 2, None), ("d", 1, 2, "z")]) == [2, 3]
        uow.commit()
        uow.counters.increment(["c"], 2)  # the unit goes on after its commit
        assert uow.counters.sums([("c", 1, 2)]) == [4]
        uow.commit()
    with uow_factory() as uow:
        assert uow.counters.sums([("c", 0, 9)]) == [5]
        assert uow.counters.totals([("s", 0, 9)]) == [10.5]
        assert uow.counters.distinct([("d", 0, 9, None)]) == [2]
