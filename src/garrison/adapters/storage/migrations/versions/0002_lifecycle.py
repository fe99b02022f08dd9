"""Rules lifecycle: releases, the live pointer, demotions, snoozes, per-rule daily counts,
shadow records, alerts, and what decisions record about shadow and canary rules.

Revision ID: 0002_lifecycle
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_lifecycle"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in tables.py (identifiers compare byte-wise on PostgreSQL).
KEY = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
STAMP = sa.DateTime(timezone=True)


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _stamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, STAMP, nullable=nullable)


def _big(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), autoincrement=False, nullable=False)


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=f"pk_{table}")


def upgrade() -> None:
    _decisions()
    _releases()
    _controls()
    _activity()


def _decisions() -> None:
    op.add_column("decisions", sa.Column("lifecycle", sa.JSON(none_as_null=True), nullable=True))
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at", "release_version"])


def _releases() -> None:
    op.create_table(
        "releases",
        _big("version"),
        _text("text"),
        _text("content_hash"),
        _text("author"),
        _stamp("created_at"),
        _text("status"),
        _text("notes"),
        _text("approved_by", nullable=True),
        _text("rejected_by", nullable=True),
        _stamp("published_at", nullable=True),
        _stamp("superseded_at", nullable=True),
        _pk("releases", "version"),
    )
    op.create_index("ix_releases_status", "releases", ["status", "version"])
    op.create_table(
        "live_release",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        _big("version"),
        _big("revision"),
        _stamp("changed_at"),
        sa.CheckConstraint("id = 1", name="ck_live_release_single_row"),
        _pk("live_release", "id"),
    )


def _controls() -> None:
    op.create_table(
        "rule_demotions",
        _big("release_version"),
        sa.Column("rule", KEY, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _text("reason"),
        _stamp("demoted_at"),
        _stamp("restored_at", nullable=True),
        _text("restored_by", nullable=True),
        _pk("rule_demotions", "release_version", "rule", "day"),
    )
    op.create_table(
        "snoozes",
        sa.Column("id", KEY, nullable=False),
        _text("rule"),
        _text("entity_kind"),
        _text("entity_id"),
        _stamp("until"),
        _text("actor"),
        _text("reason"),
        _stamp("created_at"),
        _pk("snoozes", "id"),
    )
    op.create_index("ix_snoozes_entity", "snoozes", ["entity_kind", "entity_id", "until"])
    op.create_index("ix_snoozes_rule", "snoozes", ["rule", "until"])
    op.create_table(
        "alerts",
        sa.Column("id", KEY, nullable=False),
        _text("kind"),
        _text("rule"),
        sa.Column("details", sa.JSON(), nullable=False),
        _stamp("created_at"),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        _text("acknowledged_by", nullable=True),
        _pk("alerts", "id"),
    )
    op.create_index("ix_alerts_created", "alerts", ["created_at", "id"])


def _activity() -> None:
    op.create_table(
        "rule_day_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rule", KEY, nullable=False),
        _big("hits"),
        _big("acted"),
        _pk("rule_day_counts", "day", "rule"),
    )
    op.create_table(
        "shadow_records",
        sa.Column("decision_id", KEY, nullable=False),
        sa.Column("rule", KEY, nullable=False),
        _stamp("decided_at"),
        _text("release_version"),
        _text("run_as"),
        _text("subject_kind", nullable=True),
        _text("subject_id", nullable=True),
        _text("verdict_without"),
        _text("verdict_with"),
        _pk("shadow_records", "decision_id", "rule"),
    )
    op.create_index("ix_shadow_records_decided_at", "shadow_records", ["decided_at"])


def downgrade() -> None:
    for table in (
        "shadow_records",
        "rule_day_counts",
        "alerts",
        "snoozes",
        "rule_demotions",
        "live_release",
        "releases",
    ):
        op.drop_table(table)
    op.drop_index("ix_decisions_decided_at", table_name="decisions")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("lifecycle")
