"""SQL taxonomies, playbooks, notices and reviewer wellness.

A taxonomy version is stored as its canonical TOML text and parsed back on read; a notice as
one JSON body (it is written once and read whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, func, or_, select

from garrison.adapters.storage.sql.tables import (
    notices,
    playbooks,
    policy_taxonomies,
    reviewer_exposures,
    reviewer_settings,
)
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId, PrincipalId
from garrison.domain.notices import Automation, Notice
from garrison.domain.playbooks import Playbook, PlaybookKey
from garrison.domain.policies import PolicyId, Taxonomy, parse_policies
from garrison.domain.wellness import ExposureToday, ReviewerSettings

_T = policy_taxonomies.c
_P = playbooks.c
_N = notices.c
_E = reviewer_exposures.c


class SqlTaxonomies:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def latest(self) -> Taxonomy | None:
        row = self._tx.row(select(policy_taxonomies).order_by(_T.version.desc()).limit(1))
        return _taxonomy(row) if row else None

    def get(self, version: int) -> Taxonomy | None:
        row = self._tx.row(select(policy_taxonomies).where(_T.version == version))
        return _taxonomy(row) if row else None

    def versions(self, limit: int) -> list[Taxonomy]:
        stmt = select(policy_taxonomies).order_by(_T.version.desc()).limit(limit)
        return [_taxonomy(row) for row in self._tx.rows(stmt)]

    def add(self, taxonomy: Taxonomy) -> None:
        row = {
            "version": taxonomy.version,
            "text": taxonomy.text,
            "created_at": taxonomy.created_at,
            "author": taxonomy.author,
            "note": taxonomy.note,
        }
        self._tx.insert_new(policy_taxonomies, [row], what=f"taxonomy {taxonomy.version}")


def _taxonomy(row: RowMapping) -> Taxonomy:
    policies = parse_policies(row["text"])
    return Taxonomy(row["version"], policies, row["created_at"], row["author"], row["note"])


class SqlPlaybooks:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def latest(self, key: PlaybookKey) -> Playbook | None:
        stmt = select(playbooks).where(_P.key == str(key)).order_by(_P.version.desc()).limit(1)
        row = self._tx.row(stmt)
        return _playbook(row) if row else None

    def get(self, key: PlaybookKey, version: int) -> Playbook | None:
        row = self._tx.row(select(playbooks).where(_P.key == str(key)).where(_P.version == version))
        return _playbook(row) if row else None

    def history(self, key: PlaybookKey) -> list[Playbook]:
        stmt = select(playbooks).where(_P.key == str(key)).order_by(_P.version.desc())
        return [_playbook(row) for row in self._tx.rows(stmt)]

    def current(self) -> list[Playbook]:
        newest = select(_P.key, func.max(_P.version).label("version")).group_by(_P.key).subquery()
        stmt = (
            select(playbooks)
            .join(newest, and_(_P.key == newest.c.key, _P.version == newest.c.version))
            .order_by(_P.key)
        )
        return [_playbook(row) for row in self._tx.rows(stmt)]

    def add(self, playbook: Playbook) -> None:
        row = {
            "key": str(playbook.key),
            "version": playbook.version,
            "text": playbook.text,
            "created_at": playbook.created_at,
            "author": playbook.author,
        }
        with self._tx.guarded(f"playbook {playbook.key} version {playbook.version}"):
            self._tx.conn.execute(playbooks.insert().values(**row))


def _playbook(row: RowMapping) -> Playbook:
    key = PlaybookKey.parse(row["key"])
    return Playbook(key, row["version"], row["text"], row["created_at"], row["author"])


class SqlNotices:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, notice: Notice) -> None:
        row = {
            "id": notice.id,
            "action_id": notice.action_id,
            "body": _notice_body(notice),
            "issued_at": notice.issued_at,
        }
        with self._tx.guarded(f"notice {notice.id}"):
            self._tx.conn.execute(notices.insert().values(**row))

    def get(self, notice_id: str) -> Notice | None:
        row = self._tx.row(select(notices).where(_N.id == notice_id))
        return _notice(row) if row else None

    def for_action(self, action_id: ActionId) -> Notice | None:
        row = self._tx.row(select(notices).where(_N.action_id == action_id))
        return _notice(row) if row else None

    def issued(
        self, start: datetime, end: datetime | None, after: Notice | None, limit: int
    ) -> list[Notice]:
        stmt = select(notices).where(_N.issued_at >= start)
        if end is not None:
            stmt = stmt.where(_N.issued_at < end)
        if after is not None:
            stmt = stmt.where(
                or_(
                    _N.issued_at > after.issued_at,
                    and_(_N.issued_at == after.issued_at, _N.id > after.id),
                )
            )
        stmt = stmt.order_by(_N.issued_at, _N.id).limit(limit)
        return [_notice(row) for row in self._tx.rows(stmt)]


def _notice_body(n: Notice) -> dict[str, Any]:
    return {
        "action_kind": n.action_kind,
        "subject": str(n.subject),
        "policy_id": n.policy_id,
        "policy_version": n.policy_version,
        "facts": n.facts,
        "ground": n.ground,
        "illegal": n.illegal,
        "category": n.category,
        "automation": n.automation.value,
        "reported": n.reported,
        "text": n.text,
        "content_at": n.content_at.isoformat(),
        "ends_at": n.ends_at.isoformat() if n.ends_at else None,
    }


def _notice(row: RowMapping) -> Notice:
    body = row["body"]
    return Notice(
        id=row["id"],
        action_id=ActionId(row["action_id"]),
        action_kind=body["action_kind"],
        subject=EntityRef.parse(body["subject"]),
        policy_id=PolicyId(body["policy_id"]),
        policy_version=int(body["policy_version"]),
        facts=body["facts"],
        ground=body["ground"],
        illegal=bool(body["illegal"]),
        category=body["category"],
        automation=Automation(body["automation"]),
        reported=bool(body["reported"]),
        text=body["text"],
        issued_at=row["issued_at"],
        content_at=datetime.fromisoformat(body["content_at"]),
        ends_at=datetime.fromisoformat(body["ends_at"]) if body["ends_at"] else None,
    )


class SqlWellness:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def settings(self, reviewer: PrincipalId) -> ReviewerSettings | None:
        row = self._tx.row(
            select(reviewer_settings).where(reviewer_settings.c.reviewer == reviewer)
        )
        if row is None:
            return None
        return ReviewerSettings(
            PrincipalId(row["reviewer"]),
            frozenset(row["opted_out"]),
            bool(row["reveal_by_default"]),
            row["updated_at"],
            row["streak_started_at"],
            int(row["streak_items"]),
        )

    def save_settings(self, settings: ReviewerSettings) -> None:
        row = {
            "reviewer": settings.reviewer,
            "opted_out": sorted(settings.opted_out),
            "reveal_by_default": settings.reveal_by_default,
            "updated_at": settings.updated_at,
            "streak_started_at": settings.streak_started_at,
            "streak_items": settings.streak_items,
        }
        self._tx.upsert(reviewer_settings, row)

    def exposure(self, reviewer: PrincipalId, day: str) -> ExposureToday:
        stmt = select(_E.category, _E.seen).where(_E.reviewer == reviewer).where(_E.day == day)
        counts = {row["category"]: int(row["seen"]) for row in self._tx.rows(stmt)}
        return ExposureToday(reviewer, day, counts)

    def expose(self, reviewer: PrincipalId, day: str, categories: Sequence[str]) -> None:
        used = self.exposure(reviewer, day)
        for category in dict.fromkeys(categories):
            row = {
                "reviewer": reviewer,
                "day": day,
                "category": category,
                "seen": used.used(category) + 1,
            }
            self._tx.upsert(reviewer_exposures, row)
