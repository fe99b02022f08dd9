"""Policies and playbooks: read, publish new versions, diff any two versions.

Nothing is edited in place: publishing a taxonomy or saving a playbook stores the next version,
audited. The first start seeds the shipped taxonomy and playbooks as version 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.domain.ids import QueueName
from garrison.domain.playbooks import (
    Playbook,
    PlaybookKey,
    PlaybookScope,
    check_playbook_text,
    text_diff,
)
from garrison.domain.policies import (
    Taxonomy,
    TaxonomyDiff,
    diff_taxonomies,
    lineage,
    map_moderation_scores,
    parse_policies,
)
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork, UnitOfWorkFactory

MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class TaxonomyChanges:
    diff: TaxonomyDiff
    lines: tuple[str, ...]
    """A unified diff of the two canonical texts."""


class PolicyService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def taxonomy(self, principal: Principal, version: int | None = None) -> Taxonomy:
        """The given version, or the newest."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return _taxonomy(uow, version)

    def versions(self, principal: Principal, limit: int = 100) -> list[Taxonomy]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.taxonomies.versions(limit)

    def publish(
        self, principal: Principal, text: str, note: str = "", *, base: int | None = None
    ) -> Taxonomy:
        """Store `text` as the next version. `base`, when given, must be the newest version
        (so two editors cannot overwrite each other's change unseen)."""
        principal.require(Permission.MANAGE_POLICIES)
        policies = parse_policies(text)
        if len(note) > MAX_NOTE:
            raise InvalidInput(f"a note is at most {MAX_NOTE} characters", field="note")
        with self._uow() as uow:
            latest = uow.taxonomies.latest()
            if base is not None and (latest is None or latest.version != base):
                newest = latest.version if latest else 0
                raise Conflict(f"version {newest} is newer than {base}", field="base")
            if latest is not None and latest.policies == policies:
                raise InvalidInput("nothing changed since the newest version", field="text")
            made = Taxonomy(
                (latest.version if latest else 0) + 1,
                policies,
                self._clock.now(),
                principal.actor,
                note.strip(),
            )
            try:
                uow.taxonomies.add(made)
            except DuplicateKey:
                raise Conflict("someone published a version at the same time") from None
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="policies.publish",
                target=f"policies:{made.version}",
                details={"note": made.note, "policies": len(policies)},
            )
            uow.commit()
        return made

    def diff(self, principal: Principal, old: int, new: int) -> TaxonomyChanges:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            before, after = _taxonomy(uow, old, "old"), _taxonomy(uow, new, "new")
        lines = text_diff(before.text, after.text, f"version {old}", f"version {new}")
        return TaxonomyChanges(diff_taxonomies(before, after), lines)

    def map_moderation(
        self, principal: Principal, scores: Mapping[str, float], version: int | None = None
    ) -> dict[str, float]:
        """Moderation category scores as policy scores under one taxonomy version."""
        return map_moderation_scores(self.taxonomy(principal, version).policies, scores)

    def playbooks(self, principal: Principal) -> list[Playbook]:
        """The newest version of every playbook."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.playbooks.current()

    def playbook(
        self, principal: Principal, key: PlaybookKey, version: int | None = None
    ) -> Playbook:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return _playbook(uow, key, version)

    def history(self, principal: Principal, key: PlaybookKey) -> list[Playbook]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            found = uow.playbooks.history(key)
        if not found:
            raise NotFound(f"no playbook {key}", field="playbook")
        return found

    def save_playbook(self, principal: Principal, key: PlaybookKey, text: str) -> Playbook:
        """Store `text` as the playbook's next version (the first, for a new playbook)."""
        principal.require(Permission.MANAGE_POLICIES)
        cleaned = check_playbook_text(text)
        with self._uow() as uow:
            _check_target(uow, key)
            latest = uow.playbooks.latest(key)
            if latest is not None and latest.text == cleaned:
                raise InvalidInput("nothing changed since the newest version", field="text")
            made = Playbook(
                key,
                (latest.version if latest else 0) + 1,
                cleaned,
                self._clock.now(),
                principal.actor,
            )
            try:
                uow.playbooks.add(made)
            except DuplicateKey:
                raise Conflict("someone saved this playbook at the same time") from None
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="playbooks.save",
                target=f"playbook:{key}",
                details={"version": made.version},
            )
            uow.commit()
        return made

    def playbook_diff(
        self, principal: Principal, key: PlaybookKey, old: int, new: int
    ) -> tuple[str, ...]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            before, after = _playbook(uow, key, old), _playbook(uow, key, new)
        return text_diff(before.text, after.text, f"{key} v{old}", f"{key} v{new}")

    def for_case(
        self, principal: Principal, queue: QueueName, policies: Iterable[str]
    ) -> list[Playbook]:
        """The playbooks to show beside a case: its queue's, then each named policy's (or its
        nearest ancestor's), without repeats."""
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            taxonomy = uow.taxonomies.latest()
            keys = [_queue_playbook(uow, queue)]
            for policy in policies:
                keys.extend(PlaybookKey(PlaybookScope.POLICY, p) for p in lineage(taxonomy, policy))
            found: dict[PlaybookKey, Playbook] = {}
            for key in keys:
                playbook = uow.playbooks.latest(key)
                if playbook is not None and key not in found:
                    found[key] = playbook
                    if key.scope is PlaybookScope.POLICY:
                        break
            return list(found.values())


def _queue_playbook(uow: UnitOfWork, name: QueueName) -> PlaybookKey:
    """The queue's own playbook key: its `playbook` setting (a key, or a queue name), else its
    name."""
    queue = uow.queues.get(name)
    named = queue.playbook if queue is not None and queue.playbook else name
    if ":" in named:
        return PlaybookKey.parse(named, field="queue.playbook")
    return PlaybookKey(PlaybookScope.QUEUE, named)


def _taxonomy(uow: UnitOfWork, version: int | None, field: str = "version") -> Taxonomy:
    found = uow.taxonomies.latest() if version is None else uow.taxonomies.get(version)
    if found is None:
        what = "no policy taxonomy yet" if version is None else f"no taxonomy version {version}"
        raise NotFound(what, field=field)
    return found


def _playbook(uow: UnitOfWork, key: PlaybookKey, version: int | None) -> Playbook:
    found = uow.playbooks.latest(key) if version is None else uow.playbooks.get(key, version)
    if found is None:
        suffix = "" if version is None else f" version {version}"
        raise NotFound(f"no playbook {key}{suffix}", field="playbook")
    return found


def _check_target(uow: UnitOfWork, key: PlaybookKey) -> None:
    if key.scope is PlaybookScope.QUEUE:
        if uow.queues.get(QueueName(key.target)) is None:
            raise InvalidInput(f"no queue named {key.target!r}", field="playbook")
        return
    latest = uow.taxonomies.latest()
    if latest is None or latest.get(key.target) is None:
        raise InvalidInput(f"no policy {key.target!r} in the taxonomy", field="playbook")


def ensure_taxonomy(uow_factory: UnitOfWorkFactory, clock: Clock, text: str) -> None:
    """Seed `text` as version 1 when no taxonomy is stored yet."""
    with uow_factory() as uow:
        if uow.taxonomies.latest() is not None:
            return
        uow.taxonomies.add(Taxonomy(1, parse_policies(text), clock.now(), "system:garrison"))
        uow.commit()


def ensure_playbooks(
    uow_factory: UnitOfWorkFactory, clock: Clock, shipped: Sequence[tuple[PlaybookKey, str]]
) -> None:
    """Seed each shipped playbook as version 1 of its key, unless that key has one."""
    with uow_factory() as uow:
        added = False
        for key, text in shipped:
            if uow.playbooks.latest(key) is None:
                playbook = Playbook(
                    key, 1, check_playbook_text(text), clock.now(), "system:garrison"
                )
                uow.playbooks.add(playbook)
                added = True
        if added:
            uow.commit()
