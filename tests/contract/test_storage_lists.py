"""Value lists: entries kept sorted, versions never reused, optimistic saves, one-query versions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from contract_samples import T0, Factory, at

from garrison.adapters.fakes import ManualClock
from garrison.domain.errors import Conflict
from garrison.domain.lists import ListKind, ListSummary, ValueList
from garrison.services.lists import ListService
from garrison.services.unit_of_work import DuplicateKey


def value_list(name: str, *entries: str, version: int = 1) -> ValueList:
    return ValueList(name, ListKind.EXACT, tuple(sorted(entries)), f"{name} list", version, T0)


def test_add_get_and_summaries(uow_factory: Factory) -> None:
    big = value_list("big", *(f"v{i:05d}" for i in range(12_000)))
    with uow_factory() as uow:
        uow.lists.add(value_list("zeta", "b", "a", "é"))
        uow.lists.add(value_list("alpha"))
        uow.lists.add(big)
        uow.commit()
    with uow_factory() as uow:
        assert uow.lists.get("zeta") == value_list("zeta", "a", "b", "é")
        assert uow.lists.get("big") == big
        assert uow.lists.get("nope") is None
        assert uow.lists.summaries() == [
            ListSummary("alpha", ListKind.EXACT, "alpha list", 1, T0, 0),
            ListSummary("big", ListKind.EXACT, "big list", 1, T0, 12_000),
            ListSummary("zeta", ListKind.EXACT, "zeta list", 1, T0, 3),
        ]


def test_a_taken_name_is_a_duplicate(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.lists.add(value_list("x", "1"))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(DuplicateKey):
            uow.lists.add(value_list("x", "2"))
        assert uow.lists.get("x") == value_list("x", "1")


def test_save_overwrites_only_the_expected_version(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.lists.add(value_list("x", "a", "b", "c", version=3))
        uow.commit()
    changed = replace(value_list("x", "b", "c", "d", version=4), updated_at=at(60))
    with uow_factory() as uow:
        assert uow.lists.save(changed, expected_version=2) is False
        assert uow.lists.save(changed, expected_version=3) is True
        assert uow.lists.save(value_list("nope", version=9), expected_version=8) is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.lists.get("x") == changed
        assert uow.lists.versions(["x", "nope", "y"]) == {"x": 4}
        assert uow.lists.versions([]) == {}


def test_versions_grow_and_are_never_reused(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        first = [uow.lists.next_version() for _ in range(3)]
        uow.commit()
    with uow_factory() as uow:
        uow.lists.next_version()  # rolled back: may be handed out again
    with uow_factory() as uow:
        later = uow.lists.next_version()
        uow.commit()
    assert first == sorted(set(first)) and later > first[-1]


def test_delete_removes_the_list_and_its_entries(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.lists.add(value_list("x", "a"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.lists.delete("x") is True
        assert uow.lists.delete("x") is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.lists.get("x") is None
        uow.lists.add(value_list("x", "z", version=7))
        uow.commit()
    with uow_factory() as uow:
        assert uow.lists.get("x") == value_list("x", "z", version=7)


def test_uncommitted_changes_are_not_kept(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.lists.add(value_list("x", "a"))
        uow.commit()
    with uow_factory() as uow:
        uow.lists.save(value_list("x", "b", version=2), expected_version=1)
        uow.lists.add(value_list("y"))
    with uow_factory() as uow:
        assert uow.lists.get("x") == value_list("x", "a")
        assert uow.lists.get("y") is None


def test_concurrent_writers_lose_no_entry(uow_factory: Factory) -> None:
    lists = ListService(uow_factory, ManualClock(T0))
    lists.create("shared", ListKind.EXACT, actor="test")

    def add(worker: int) -> None:
        for n in range(5):
            while True:
                try:
                    lists.add_entries("shared", [f"{worker}-{n}"], actor="test")
                    break
                except Conflict:
                    continue  # another writer saved first: read again and retry

    with ThreadPoolExecutor(4) as pool:
        for done in [pool.submit(add, w) for w in range(4)]:
            done.result(timeout=60)
    assert len(lists.get("shared").entries) == 20
