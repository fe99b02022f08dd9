"""One unit of work at a time on a SQLite database, queued without SQLite's sleeping retries.

Every SQLite unit starts with `BEGIN IMMEDIATE`, so units already run one at a time; but a unit
that finds the database busy waits in SQLite's busy handler, which sleeps (up to 100 ms a try)
and retries, so a queue of writers runs far below what the disk allows and the waits grow long
tails. Units take this lock first instead: threads of one process queue on a lock, processes on
an `flock` of `<database>.lock` next to the database file; the kernel and the lock wake the next
waiter the moment the holder is done. `BEGIN IMMEDIATE` stays, for writers that do not take the
lock (migrations, other tools). An in-memory database is one process's: the thread lock only.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from sqlalchemy.engine import URL


class WriteLock:
    """Re-entrant within a thread (a nested unit then fails in SQLite, as it would anyway)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> None:
        self._threads.acquire()
        if self._depth == 0 and self.path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _file(self) -> int:
        """The lock file, opened once per process: a forked child must not share its parent's
        open file (flock locks belong to it, so the two would not exclude each other)."""
        if self._fd is None or self._pid != os.getpid():
            assert self.path is not None
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        with self._threads:
            fd, self._fd = self._fd, None
            if fd is not None and self._pid == os.getpid():
                os.close(fd)


def sqlite_write_lock(url: URL) -> WriteLock:
    """The lock for a SQLite URL: a lock file next to a database file, none for memory."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return WriteLock(None)
    return WriteLock(Path(f"{database}.lock"))
