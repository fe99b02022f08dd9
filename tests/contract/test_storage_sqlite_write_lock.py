"""SQLite units queue on a write lock (threads, stores and processes alike) and the next one
starts as soon as the holder is done, instead of sleeping in SQLite's busy handler."""

from __future__ import annotations

import multiprocessing
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from garrison.adapters.storage.sql import SqlStore
from garrison.adapters.storage.sql.engine import parse_url
from garrison.adapters.storage.sql.writelock import WriteLock, sqlite_write_lock

HOLD_S = 0.3


@pytest.fixture
def database(tmp_path: Path, sqlite_template: Path) -> Path:
    path = tmp_path / "garrison.db"
    shutil.copyfile(sqlite_template, path)
    return path


def test_lock_file_sits_next_to_the_database_and_memory_has_none(tmp_path: Path) -> None:
    on_disk = sqlite_write_lock(parse_url(f"sqlite:///{tmp_path / 'g.db'}"))
    assert on_disk.path == tmp_path / "g.db.lock"
    assert sqlite_write_lock(parse_url("sqlite://")).path is None
    assert sqlite_write_lock(parse_url("sqlite:///:memory:")).path is None


def _count_after_increment(store: SqlStore) -> tuple[int, float]:
    with store.uow() as uow:
        started = time.monotonic()
        uow.counters.increment(["k"], 1)
        found = uow.counters.sums([("k", 1, 1)])[0]
        uow.commit()
    return found, started


def test_a_second_store_waits_for_the_first_and_starts_when_it_is_done(database: Path) -> None:
    first, second = SqlStore(f"sqlite:///{database}"), SqlStore(f"sqlite:///{database}")
    pool = ThreadPoolExecutor(1)
    try:
        with first.uow() as uow:
            uow.counters.increment(["k"], 1)
            later = pool.submit(_count_after_increment, second)
            time.sleep(HOLD_S)
            assert not later.done()
            uow.commit()
            released = time.monotonic()
        found, started = later.result(timeout=15)
        assert found == 2
        assert started - released < 0.05  # no busy-handler sleep (up to 100 ms a try)
    finally:
        pool.shutdown()
        first.dispose()
        second.dispose()


def _hold(path: str, ready: multiprocessing.synchronize.Event, seconds: float) -> None:
    lock = WriteLock(Path(path))
    lock.acquire()
    ready.set()
    time.sleep(seconds)
    lock.release()


def test_processes_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "g.db.lock"
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold, args=(str(path), ready, HOLD_S))
    holder.start()
    try:
        assert ready.wait(timeout=30)
        lock = WriteLock(path)
        began = time.monotonic()
        lock.acquire()
        waited = time.monotonic() - began
        lock.release()
        lock.close()
        assert waited > HOLD_S / 2
    finally:
        holder.join(timeout=30)
    assert holder.exitcode == 0


def test_the_lock_is_reentrant_within_a_thread(tmp_path: Path) -> None:
    lock = WriteLock(tmp_path / "g.db.lock")
    lock.acquire()
    lock.acquire()
    lock.release()
    other = WriteLock(tmp_path / "g.db.lock")

    def take_and_give_back() -> None:
        other.acquire()
        other.release()

    pool = ThreadPoolExecutor(1)
    try:
        waiting = pool.submit(take_and_give_back)
        time.sleep(0.1)
        assert not waiting.done()  # still held: the outer acquire has not been released
        lock.release()
        waiting.result(timeout=15)
    finally:
        pool.shutdown()
        lock.close()
        other.close()


def test_a_reader_neither_waits_for_the_writer_nor_sees_its_uncommitted_work(
    database: Path,
) -> None:
    store = SqlStore(f"sqlite:///{database}")
    pool = ThreadPoolExecutor(1)

    def read() -> int:
        with store.reader() as uow:
            return uow.counters.sums([("k", 1, 1)])[0]

    try:
        with store.uow() as uow:
            uow.counters.increment(["k"], 1)
            assert pool.submit(read).result(timeout=5) == 0  # answered while the writer holds
            uow.commit()
        assert read() == 1
        with store.reader() as uow, pytest.raises(RuntimeError, match="read-only"):
            uow.commit()
    finally:
        pool.shutdown()
        store.dispose()
