"""In-memory taxonomies, playbooks, notices and wellness: the reference for the SQL adapters.

`PolicyState` is one field of the memory store's state. Its containers are flat and their
values frozen, so the store's copy-per-unit-of-work keeps uncommitted changes invisible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Self

from garrison.domain.ids import ActionId, PrincipalId
from garrison.domain.notices import Notice
from garrison.domain.playbooks import Playbook, PlaybookKey
from garrison.domain.policies import Taxonomy
from garrison.domain.wellness import ExposureToday, ReviewerSettings
from garrison.services.unit_of_work import DuplicateKey


@dataclass
class PolicyState:
    taxonomies: dict[int, Taxonomy] = field(default_factory=dict)
    playbooks: dict[tuple[PlaybookKey, int], Playbook] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    settings: dict[PrincipalId, ReviewerSettings] = field(default_factory=dict)
    exposures: dict[tuple[PrincipalId, str, str], int] = field(default_factory=dict)

    def __copy__(self) -> Self:
        copied = type(self)()
        for f in fields(self):
            setattr(copied, f.name, getattr(self, f.name).copy())
        return copied


StateOf = Callable[[], PolicyState]


class MemoryTaxonomies:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def latest(self) -> Taxonomy | None:
        found = self._state().taxonomies
        return found[max(found)] if found else None

    def get(self, version: int) -> Taxonomy | None:
        return self._state().taxonomies.get(version)

    def versions(self, limit: int) -> list[Taxonomy]:
        found = self._state().taxonomies
        return [found[v] for v in sorted(found, reverse=True)[:limit]]

    def add(self, taxonomy: Taxonomy) -> None:
        found = self._state().taxonomies
        if taxonomy.version in found:
            raise DuplicateKey(f"taxonomy version {taxonomy.version}")
        found[taxonomy.version] = taxonomy


class MemoryPlaybooks:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def latest(self, key: PlaybookKey) -> Playbook | None:
        history = self.history(key)
        return history[0] if history else None

    def get(self, key: PlaybookKey, version: int) -> Playbook | None:
        return self._state().playbooks.get((key, version))

    def history(self, key: PlaybookKey) -> list[Playbook]:
        found = [p for (k, _), p in self._state().playbooks.items() if k == key]
        return sorted(found, key=lambda p: p.version, reverse=True)

    def current(self) -> list[Playbook]:
        latest: dict[PlaybookKey, Playbook] = {}
        for (key, version), playbook in self._state().playbooks.items():
            if key not in latest or latest[key].version < version:
                latest[key] = playbook
        return [latest[k] for k in sorted(latest, key=str)]

    def add(self, playbook: Playbook) -> None:
        found = self._state().playbooks
        if (playbook.key, playbook.version) in found:
            raise DuplicateKey(f"playbook {playbook.key} version {playbook.version}")
        found[(playbook.key, playbook.version)] = playbook


class MemoryNotices:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def add(self, notice: Notice) -> None:
        found = self._state().notices
        if notice.id in found or self.for_action(notice.action_id) is not None:
            raise DuplicateKey(f"notice {notice.id}")
        found[notice.id] = notice

    def get(self, notice_id: str) -> Notice | None:
        return self._state().notices.get(notice_id)

    def for_action(self, action_id: ActionId) -> Notice | None:
        return next((n for n in self._state().notices.values() if n.action_id == action_id), None)

    def issued(
        self, start: datetime, end: datetime | None, after: Notice | None, limit: int
    ) -> list[Notice]:
        found = [
            n
            for n in self._state().notices.values()
            if n.issued_at >= start and (end is None or n.issued_at < end)
        ]
        found.sort(key=lambda n: (n.issued_at, n.id))
        if after is not None:
            found = [n for n in found if (n.issued_at, n.id) > (after.issued_at, after.id)]
        return found[:limit]


class MemoryWellness:
    def __init__(self, state: StateOf) -> None:
        self._state = state

    def settings(self, reviewer: PrincipalId) -> ReviewerSettings | None:
        return self._state().settings.get(reviewer)

    def save_settings(self, settings: ReviewerSettings) -> None:
        self._state().settings[settings.reviewer] = settings

    def exposure(self, reviewer: PrincipalId, day: str) -> ExposureToday:
        counts = {
            category: count
            for (who, when, category), count in self._state().exposures.items()
            if who == reviewer and when == day
        }
        return ExposureToday(reviewer, day, counts)

    def expose(self, reviewer: PrincipalId, day: str, categories: Sequence[str]) -> None:
        found = self._state().exposures
        for category in dict.fromkeys(categories):
            key = (reviewer, day, category)
            found[key] = found.get(key, 0) + 1
