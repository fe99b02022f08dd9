"""Lists as analysts manage them: create, replace, add, remove, delete. Every write is audited.

A write either stores every change it was given or nothing: entries are all checked first, and a
malformed one (named `entries[i]`) leaves the list as it was. Each write gives the list a new
version; a concurrent write to the same list is refused with Conflict rather than lost.
Permissions are checked at the edge (the API needs MANAGE_RULES to write, READ_DECISIONS to read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from garrison.domain.errors import Conflict, NotFound
from garrison.domain.lists import (
    ListKind,
    ListSummary,
    ValueList,
    check_description,
    check_name,
    normalize_entries,
)
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork, UnitOfWorkFactory


class ListService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def summaries(self) -> list[ListSummary]:
        with self._uow() as uow:
            return uow.lists.summaries()

    def get(self, name: str) -> ValueList:
        with self._uow() as uow:
            return _existing(uow, name)

    def create(
        self,
        name: str,
        kind: ListKind,
        entries: Sequence[str] = (),
        *,
        description: str = "",
        actor: str,
    ) -> ValueList:
        check_name(name)
        check_description(description)
        normal = normalize_entries(kind, entries)
        with self._uow() as uow:
            if uow.lists.get(name) is not None:
                raise Conflict(f"a list named {name!r} exists", field="name")
            created = ValueList(
                name, kind, normal, description, uow.lists.next_version(), self._clock.now()
            )
            try:
                uow.lists.add(created)
            except DuplicateKey:
                raise Conflict(f"a list named {name!r} exists", field="name") from None
            self._audit(uow, actor, "list.create", created, {"kind": kind.value})
            uow.commit()
        return created

    def replace(
        self,
        name: str,
        entries: Sequence[str],
        *,
        description: str | None = None,
        expected_version: int | None = None,
        actor: str,
    ) -> ValueList:
        """Swap every entry for `entries` at once (and the description, if given)."""
        if description is not None:
            check_description(description)
        with self._uow() as uow:
            current = _existing(uow, name)
            if expected_version is not None and current.version != expected_version:
                raise Conflict(
                    f"list {name!r} is at version {current.version}, not {expected_version}",
                    field="version",
                )
            normal = normalize_entries(current.kind, entries)
            changed = replace(
                current,
                entries=normal,
                description=current.description if description is None else description,
            )
            saved = self._save(uow, current, changed)
            self._audit(uow, actor, "list.replace", saved, _diff(current, saved))
            uow.commit()
        return saved

    def add_entries(self, name: str, entries: Sequence[str], *, actor: str) -> ValueList:
        with self._uow() as uow:
            current = _existing(uow, name)
            normal = normalize_entries(current.kind, entries)
            merged = tuple(sorted(set(current.entries) | set(normal)))
            saved = self._save(uow, current, replace(current, entries=merged))
            self._audit(uow, actor, "list.add", saved, _diff(current, saved))
            uow.commit()
        return saved

    def remove_entries(self, name: str, entries: Sequence[str], *, actor: str) -> ValueList:
        """Remove the entries given (written as they were added, or in their normal form)."""
        with self._uow() as uow:
            current = _existing(uow, name)
            gone = set(normalize_entries(current.kind, entries))
            kept = tuple(e for e in current.entries if e not in gone)
            saved = self._save(uow, current, replace(current, entries=kept))
            self._audit(uow, actor, "list.remove", saved, _diff(current, saved))
            uow.commit()
        return saved

    def delete(self, name: str, *, actor: str) -> None:
        with self._uow() as uow:
            current = _existing(uow, name)
            uow.lists.delete(name)
            self._audit(uow, actor, "list.delete", current, {"size": len(current.entries)})
            uow.commit()

    def _save(self, uow: UnitOfWork, current: ValueList, changed: ValueList) -> ValueList:
        saved = replace(changed, version=uow.lists.next_version(), updated_at=self._clock.now())
        if not uow.lists.save(saved, expected_version=current.version):
            raise Conflict(f"list {current.name!r} was changed meanwhile; try again", field="name")
        return saved

    def _audit(
        self,
        uow: UnitOfWork,
        actor: str,
        action: str,
        value_list: ValueList,
        details: dict[str, int | str],
    ) -> None:
        audit.record(
            uow,
            self._clock,
            actor=actor,
            action=action,
            target=f"list:{value_list.name}",
            details={"version": value_list.version, **details},
        )


def ensure_list(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    name: str,
    kind: ListKind,
    entries: Sequence[str],
    description: str,
) -> bool:
    """Create the list unless one of that name exists (edits are kept); True if it made it."""
    with uow_factory() as uow:
        if uow.lists.versions([name]):
            return False
    try:
        ListService(uow_factory, clock).create(
            name, kind, entries, description=description, actor="system:bootstrap"
        )
    except Conflict:
        return False
    return True


def _existing(uow: UnitOfWork, name: str) -> ValueList:
    found = uow.lists.get(name)
    if found is None:
        raise NotFound(f"no list named {name!r}", field="name")
    return found


def _diff(before: ValueList, after: ValueList) -> dict[str, int | str]:
    old, new = set(before.entries), set(after.entries)
    return {"added": len(new - old), "removed": len(old - new), "size": len(after.entries)}
