"""The live release, read from storage on every evaluation: publishing takes effect at once in
every process, with no stale rules served from a cache.

Each call reads the live pointer (one row, by primary key) inside the caller's unit of work.
Compiled releases are kept per version, and the lineup per (version, revision): a release is
compiled once per process, and rebuilt only when the pointer moved (a publish, a demotion, a
restore, a snooze).
"""

from __future__ import annotations

import threading

from garrison.domain.errors import NotFound
from garrison.domain.lifecycle import Lineup
from garrison.domain.release_check import compile_stored
from garrison.domain.rules import Release
from garrison.services.unit_of_work import UnitOfWork

KEPT_RELEASES = 8
"""Compiled releases kept per process (the oldest versions go first)."""


class StoredReleaseSource:
    def __init__(self) -> None:
        self._compiled: dict[int, Release] = {}
        self._lineup: Lineup | None = None
        self._lock = threading.Lock()

    def current(self, uow: UnitOfWork) -> Release:
        return self.lineup(uow).release

    def lineup(self, uow: UnitOfWork) -> Lineup:
        key = uow.releases.live_key()
        if key is None:
            raise NotFound("no release is published yet: publish one with `garrison rules publish`")
        cached = self._lineup
        if cached is not None and (cached.stored_version, cached.revision) == key:
            return cached
        with self._lock:
            lineup = self._build(uow, *key)
            self._lineup = lineup
        return lineup

    def _build(self, uow: UnitOfWork, version: int, revision: int) -> Lineup:
        release = self._compiled.get(version)
        if release is None:
            stored = uow.releases.get(version)
            if stored is None:
                raise NotFound(f"the live release {version} is not stored", field="version")
            release = self._compiled[version] = compile_stored(stored)
            while len(self._compiled) > KEPT_RELEASES:
                del self._compiled[min(self._compiled)]
        names = [compiled.rule.name for compiled in release.rules]
        demoted = frozenset(d.rule for d in uow.rule_controls.demotions(version))
        return Lineup(
            release,
            stored_version=version,
            revision=revision,
            demoted=demoted,
            snooze_until=uow.rule_controls.snooze_horizon(names),
        )
