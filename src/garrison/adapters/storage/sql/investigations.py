"""Saved searches and retroactive actions: a few indexed columns and a JSON body each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, or_, select

from garrison.adapters.storage.sql.tables import retro_actions, saved_queries
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId
from garrison.domain.retroactive import (
    RetroAction,
    RetroActionId,
    RetroStatus,
    Target,
    TargetKind,
)
from garrison.domain.saved_queries import SavedQuery, SavedQueryId

_Q = saved_queries.c
_A = retro_actions.c


class SqlSavedQueries:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, query: SavedQuery) -> None:
        body = {"name": query.name, "expression": query.expression, "window": query.window}
        row = {"id": query.id, "owner": query.owner, "shared": query.shared}
        self._tx.conn.execute(
            saved_queries.insert(), {**row, "created_at": query.created_at, "body": body}
        )

    def get(self, query_id: SavedQueryId) -> SavedQuery | None:
        row = self._tx.row(select(saved_queries).where(_Q.id == query_id))
        return _query(row) if row is not None else None

    def visible(self, actor: str, limit: int) -> list[SavedQuery]:
        stmt = (
            select(saved_queries)
            .where(or_(_Q.owner == actor, _Q.shared.is_(True)))
            .order_by(_Q.created_at.desc(), _Q.id.desc())
            .limit(limit)
        )
        return [_query(row) for row in self._tx.rows(stmt)]

    def delete(self, query_id: SavedQueryId) -> bool:
        done = self._tx.conn.execute(saved_queries.delete().where(_Q.id == query_id))
        return bool(done.rowcount)


class SqlRetroActions:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, retro: RetroAction) -> None:
        self._tx.conn.execute(retro_actions.insert(), _retro_row(retro))

    def save(self, retro: RetroAction) -> None:
        row = _retro_row(retro)
        self._tx.conn.execute(
            retro_actions.update().where(_A.id == retro.id),
            {"status": row["status"], "body": row["body"]},
        )

    def get(self, retro_id: RetroActionId) -> RetroAction | None:
        row = self._tx.row(select(retro_actions).where(_A.id == retro_id))
        return _retro(row) if row is not None else None

    def recent(self, limit: int) -> list[RetroAction]:
        stmt = select(retro_actions).order_by(_A.created_at.desc(), _A.id.desc()).limit(limit)
        return [_retro(row) for row in self._tx.rows(stmt)]


def _query(row: RowMapping) -> SavedQuery:
    body = row["body"]
    return SavedQuery(
        SavedQueryId(row["id"]),
        body["name"],
        body["expression"],
        body["window"],
        row["owner"],
        bool(row["shared"]),
        row["created_at"],
    )


def _stamp(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _retro_row(retro: RetroAction) -> dict[str, Any]:
    t = retro.target
    body = {
        "target": {
            "kind": t.kind.value,
            "ref": t.ref,
            "since": _stamp(t.since),
            "until": _stamp(t.until),
        },
        "template": {
            "kind": retro.template.kind.value,
            "params": dict(retro.template.params),
        },
        "subjects": [str(s) for s in retro.subjects],
        "reason": retro.reason,
        "requested_by": retro.requested_by,
        "approved_by": retro.approved_by,
        "action_ids": list(retro.action_ids),
        "undo_ids": list(retro.undo_ids),
        "decided_at": _stamp(retro.decided_at),
        "undone_at": _stamp(retro.undone_at),
        "undone_by": retro.undone_by,
    }
    return {
        "id": retro.id,
        "status": retro.status.value,
        "created_at": retro.created_at,
        "body": body,
    }


def _retro(row: RowMapping) -> RetroAction:
    b = row["body"]
    t = b["target"]
    return RetroAction(
        id=RetroActionId(row["id"]),
        target=Target(TargetKind(t["kind"]), t["ref"], _time(t["since"]), _time(t["until"])),
        template=ActionTemplate(ActionKind(b["template"]["kind"]), b["template"]["params"]),
        subjects=tuple(EntityRef.parse(s) for s in b["subjects"]),
        reason=b["reason"],
        requested_by=b["requested_by"],
        created_at=row["created_at"],
        status=RetroStatus(row["status"]),
        approved_by=b["approved_by"],
        action_ids=tuple(ActionId(a) for a in b["action_ids"]),
        undo_ids=tuple(ActionId(a) for a in b["undo_ids"]),
        decided_at=_time(b["decided_at"]),
        undone_at=_time(b["undone_at"]),
        undone_by=b["undone_by"],
    )
