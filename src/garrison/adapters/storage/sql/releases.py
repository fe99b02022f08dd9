"""Rule releases, the live pointer, and the demotions and snoozes applied to a running release."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import RowMapping, func, select, tuple_

from garrison.adapters.storage.sql.codecs import Row
from garrison.adapters.storage.sql.driver import Sql
from garrison.adapters.storage.sql.tables import live_release, releases, rule_demotions, snoozes
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.releases import LiveRelease, ReleaseStatus, StoredRelease
from garrison.domain.rule_controls import Demotion, Snooze, SnoozeId

_LIVE_KEY = Sql("SELECT version, revision FROM live_release WHERE id = 1")


class SqlReleases:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, release: StoredRelease) -> None:
        self._tx.insert_new(releases, [_release_row(release)], what=f"release {release.version}")

    def get(self, version: int) -> StoredRelease | None:
        row = self._tx.row(select(releases).where(releases.c.version == version))
        return _release_of(row) if row is not None else None

    def save(self, release: StoredRelease) -> None:
        self._tx.upsert(releases, _release_row(release))

    def list(self, *, limit: int, status: ReleaseStatus | None = None) -> list[StoredRelease]:
        stmt = select(releases).order_by(releases.c.version.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(releases.c.status == status.value)
        return [_release_of(row) for row in self._tx.rows(stmt)]

    def last_version(self) -> int:
        return int(self._tx.scalar(select(func.coalesce(func.max(releases.c.version), 0))))

    def live(self) -> LiveRelease | None:
        row = self._tx.row(select(live_release).where(live_release.c.id == 1))
        return _live_of(row) if row is not None else None

    def live_key(self) -> tuple[int, int] | None:
        # Fixed SQL on the DBAPI cursor (see `driver`): this read runs on every evaluation.
        rows = self._tx.driver.fetch(_LIVE_KEY, ())
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    def point(self, version: int, at: datetime) -> LiveRelease | None:
        stmt = select(live_release).where(live_release.c.id == 1)
        if self._tx.dialect == "postgresql":
            stmt = stmt.with_for_update()
        row = self._tx.row(stmt)
        previous = _live_of(row) if row is not None else None
        values = {"id": 1, "version": version, "changed_at": at}
        insert = self._tx.insert(live_release).values(revision=1, **values)
        self._tx.conn.execute(
            insert.on_conflict_do_update(
                index_elements=["id"],
                set_={
                    "version": version,
                    "revision": live_release.c.revision + 1,
                    "changed_at": at,
                },
            )
        )
        return previous

    def touch(self, at: datetime) -> None:
        self._tx.conn.execute(
            live_release.update()
            .where(live_release.c.id == 1)
            .values(revision=live_release.c.revision + 1, changed_at=at)
        )


class SqlRuleControls:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def demote(self, demotion: Demotion) -> bool:
        stmt = (
            self._tx.insert(rule_demotions)
            .values(_demotion_row(demotion))
            .on_conflict_do_nothing()
            .returning(rule_demotions.c.rule)
        )
        return self._tx.conn.execute(stmt).first() is not None

    def demotions(self, release_version: int, *, active_only: bool = True) -> list[Demotion]:
        stmt = (
            select(rule_demotions)
            .where(rule_demotions.c.release_version == release_version)
            .order_by(rule_demotions.c.demoted_at, rule_demotions.c.rule)
        )
        if active_only:
            stmt = stmt.where(rule_demotions.c.restored_at.is_(None))
        return [_demotion_of(row) for row in self._tx.rows(stmt)]

    def restore(self, release_version: int, rule: str, *, at: datetime, by: str) -> int:
        result = self._tx.conn.execute(
            rule_demotions.update()
            .where(rule_demotions.c.release_version == release_version)
            .where(rule_demotions.c.rule == rule)
            .where(rule_demotions.c.restored_at.is_(None))
            .values(restored_at=at, restored_by=by)
        )
        return int(result.rowcount)

    def add_snooze(self, snooze: Snooze) -> None:
        self._tx.insert_new(snoozes, [_snooze_row(snooze)], what=f"snooze {snooze.id}")

    def get_snooze(self, snooze_id: SnoozeId) -> Snooze | None:
        row = self._tx.row(select(snoozes).where(snoozes.c.id == snooze_id))
        return _snooze_of(row) if row is not None else None

    def save_snooze(self, snooze: Snooze) -> None:
        self._tx.upsert(snoozes, _snooze_row(snooze))

    def snoozes(self, *, active_at: datetime | None, rule: str | None, limit: int) -> list[Snooze]:
        stmt = select(snoozes).order_by(snoozes.c.created_at.desc(), snoozes.c.id.desc())
        if active_at is not None:
            stmt = stmt.where(snoozes.c.until > active_at)
        if rule is not None:
            stmt = stmt.where(snoozes.c.rule == rule)
        return [_snooze_of(row) for row in self._tx.rows(stmt.limit(limit))]

    def snoozed(self, entities: Sequence[EntityRef], now: datetime) -> frozenset[str]:
        if not entities:
            return frozenset()
        pairs = [(ref.kind.value, ref.id) for ref in entities]
        stmt = (
            select(snoozes.c.rule)
            .distinct()
            .where(tuple_(snoozes.c.entity_kind, snoozes.c.entity_id).in_(pairs))
            .where(snoozes.c.until > now)
        )
        return frozenset(self._tx.conn.execute(stmt).scalars())

    def snooze_horizon(self, rules: Sequence[str]) -> datetime | None:
        if not rules:
            return None
        latest: datetime | None = self._tx.scalar(
            select(func.max(snoozes.c.until)).where(snoozes.c.rule.in_(set(rules)))
        )
        return latest


def _release_row(release: StoredRelease) -> Row:
    return {
        "version": release.version,
        "text": release.text,
        "content_hash": release.content_hash,
        "author": release.author,
        "created_at": release.created_at,
        "status": release.status.value,
        "notes": release.notes,
        "approved_by": release.approved_by,
        "rejected_by": release.rejected_by,
        "published_at": release.published_at,
        "superseded_at": release.superseded_at,
    }


def _release_of(row: RowMapping) -> StoredRelease:
    return StoredRelease(
        version=int(row["version"]),
        text=row["text"],
        content_hash=row["content_hash"],
        author=row["author"],
        created_at=row["created_at"],
        status=ReleaseStatus(row["status"]),
        notes=row["notes"],
        approved_by=row["approved_by"],
        rejected_by=row["rejected_by"],
        published_at=row["published_at"],
        superseded_at=row["superseded_at"],
    )


def _live_of(row: RowMapping) -> LiveRelease:
    return LiveRelease(int(row["version"]), int(row["revision"]), row["changed_at"])


def _demotion_row(demotion: Demotion) -> Row:
    return {
        "release_version": demotion.release_version,
        "rule": demotion.rule,
        "day": demotion.day,
        "reason": demotion.reason,
        "demoted_at": demotion.demoted_at,
        "restored_at": demotion.restored_at,
        "restored_by": demotion.restored_by,
    }


def _demotion_of(row: RowMapping) -> Demotion:
    return Demotion(
        release_version=int(row["release_version"]),
        rule=row["rule"],
        day=row["day"],
        reason=row["reason"],
        demoted_at=row["demoted_at"],
        restored_at=row["restored_at"],
        restored_by=row["restored_by"],
    )


def _snooze_row(snooze: Snooze) -> Row:
    return {
        "id": snooze.id,
        "rule": snooze.rule,
        "entity_kind": snooze.entity.kind.value,
        "entity_id": snooze.entity.id,
        "until": snooze.until,
        "actor": snooze.actor,
        "reason": snooze.reason,
        "created_at": snooze.created_at,
    }


def _snooze_of(row: RowMapping) -> Snooze:
    return Snooze(
        id=SnoozeId(row["id"]),
        rule=row["rule"],
        entity=EntityRef(EntityKind(row["entity_kind"]), row["entity_id"]),
        until=row["until"],
        actor=row["actor"],
        reason=row["reason"],
        created_at=row["created_at"],
    )
