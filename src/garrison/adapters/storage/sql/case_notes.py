"""Comments and evidence on cases, in SQL (evidence files as bytes: they are capped small)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql.tables import case_comments, case_evidence
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.case_notes import Comment, Evidence
from garrison.domain.ids import CaseId, NoteId

_LISTED = [c for c in case_evidence.c if c.name != "content"]


class SqlCaseNotes:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add_comment(self, comment: Comment) -> None:
        row = {
            "id": comment.id,
            "case_id": comment.case_id,
            "author": comment.author,
            "text": comment.text,
            "at": comment.at,
        }
        self._tx.insert_new(case_comments, [row], what=f"comment {comment.id}")

    def comments(self, case_id: CaseId) -> list[Comment]:
        stmt = (
            select(case_comments)
            .where(case_comments.c.case_id == case_id)
            .order_by(case_comments.c.at, case_comments.c.id)
        )
        return [
            Comment(NoteId(r["id"]), CaseId(r["case_id"]), r["author"], r["text"], r["at"])
            for r in self._tx.rows(stmt)
        ]

    def add_evidence(self, evidence: Evidence) -> None:
        self._tx.insert_new(case_evidence, [_row(evidence)], what=f"evidence {evidence.id}")

    def evidence(self, case_id: CaseId) -> list[Evidence]:
        stmt = (
            select(*_LISTED)
            .where(case_evidence.c.case_id == case_id)
            .order_by(case_evidence.c.at, case_evidence.c.id)
        )
        return [_of(r, None) for r in self._tx.rows(stmt)]

    def get_evidence(self, note_id: NoteId) -> Evidence | None:
        row = self._tx.row(select(case_evidence).where(case_evidence.c.id == note_id))
        return _of(row, row["content"]) if row is not None else None


def _row(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "case_id": evidence.case_id,
        "name": evidence.name,
        "media_type": evidence.media_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "added_by": evidence.added_by,
        "at": evidence.at,
        "url": evidence.url,
        "content": evidence.content,
    }


def _of(row: RowMapping, content: bytes | None) -> Evidence:
    return Evidence(
        NoteId(row["id"]),
        CaseId(row["case_id"]),
        row["name"],
        row["media_type"],
        row["size"],
        row["sha256"],
        row["added_by"],
        row["at"],
        url=row["url"],
        content=bytes(content) if content is not None else None,
    )
