"""Review operations: claim leases, claim order and escalation tiers on cases, queue playbook
and wellness keys, user reports, reporters and routing rules.

Revision ID: 0005_reviewcore
Revises: 0004_events_by_time
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_reviewcore"
down_revision: str | Sequence[str] | None = "0004_events_by_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)
HARM_SECONDS_PER_POINT = 60  # domain.cases at the time of this migration


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _int(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    for name in ("lease_expires_at", "queued_at", "rank_at"):
        op.add_column("cases", sa.Column(name, STAMP, nullable=True))
    op.add_column("cases", _text("tier", nullable=True))
    op.add_column("cases", sa.Column("escalations", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("cases", _text("merged_into", nullable=True))
    op.create_index("ix_cases_claim_order", "cases", ["queue", "rank_at"])
    _backfill_cases()
    op.add_column("queues", _text("playbook", nullable=True))
    op.add_column("queues", _text("wellness", nullable=True))
    _reports()
    _notes()
    op.create_table(
        "reporters",
        sa.Column("id", KEY, nullable=False),
        _text("kind"),
        _int("upheld"),
        _int("rejected"),
        sa.Column("muted", sa.Boolean(), nullable=False),
        _text("muted_reason"),
        sa.PrimaryKeyConstraint("id", name="pk_reporters"),
    )
    op.create_table(
        "routing_rules",
        sa.Column("name", KEY, nullable=False),
        _int("position"),
        _text("queue"),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _text("description"),
        sa.PrimaryKeyConstraint("name", name="pk_routing_rules"),
    )


def _reports() -> None:
    op.create_table(
        "reports",
        sa.Column("id", KEY, nullable=False),
        sa.Column("reporter", KEY, nullable=False),
        _text("reporter_kind"),
        _text("subject_kind"),
        _text("subject_id"),
        _text("report_type"),
        _text("text"),
        sa.Column("received_at", STAMP, nullable=False),
        _text("status"),
        _text("content_ref", nullable=True),
        _text("language", nullable=True),
        sa.Column("case_id", KEY, nullable=True),
        _int("priority"),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_case", "reports", ["case_id", "received_at"])
    op.create_index("ix_reports_reporter", "reports", ["reporter", "received_at"])


def _notes() -> None:
    op.create_table(
        "case_comments",
        sa.Column("id", KEY, nullable=False),
        sa.Column("case_id", KEY, nullable=False),
        _text("author"),
        _text("text"),
        sa.Column("at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_comments"),
    )
    op.create_index("ix_case_comments_case", "case_comments", ["case_id", "at"])
    op.create_table(
        "case_evidence",
        sa.Column("id", KEY, nullable=False),
        sa.Column("case_id", KEY, nullable=False),
        _text("name"),
        _text("media_type"),
        _int("size"),
        _text("sha256"),
        _text("added_by"),
        sa.Column("at", STAMP, nullable=False),
        _text("url", nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_evidence"),
    )
    op.create_index("ix_case_evidence_case", "case_evidence", ["case_id", "at"])


def _backfill_cases() -> None:
    """Claim order of the existing cases (they entered their queue when they were created)."""
    cases = sa.table(
        "cases",
        sa.column("id", sa.String()),
        sa.column("priority", sa.Integer()),
        sa.column("created_at", STAMP),
        sa.column("rank_at", STAMP),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(cases.c.id, cases.c.priority, cases.c.created_at)).all()
    for case_id, priority, created_at in rows:
        rank_at = created_at - timedelta(seconds=HARM_SECONDS_PER_POINT * priority)
        bind.execute(cases.update().where(cases.c.id == case_id).values(rank_at=rank_at))


def downgrade() -> None:
    for table in ("case_evidence", "case_comments"):
        op.drop_index(f"ix_{table}_case", table_name=table)
        op.drop_table(table)
    op.drop_table("routing_rules")
    op.drop_table("reporters")
    op.drop_index("ix_reports_reporter", table_name="reports")
    op.drop_index("ix_reports_case", table_name="reports")
    op.drop_table("reports")
    op.drop_column("queues", "wellness")
    op.drop_column("queues", "playbook")
    op.drop_index("ix_cases_claim_order", table_name="cases")
    for name in ("merged_into", "escalations", "tier", "rank_at", "queued_at", "lease_expires_at"):
        op.drop_column("cases", name)
