"""The storage schema as SQLAlchemy Core tables: the rows behind the domain types.

The Alembic migrations in `garrison/adapters/storage/migrations` build exactly this schema; a
contract test compares the two on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as UTC and read back as aware UTC.

    PostgreSQL keeps `timestamptz`; SQLite keeps fixed-width UTC text, which sorts in time order.
    A naive datetime is refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} (expected timezone-aware)")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


Key = String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
"""Identifiers: compared byte-wise on PostgreSQL too, so ties sort as they do in Python."""


def _id(name: str = "id") -> Column[str]:
    return Column(name, Key, primary_key=True)


events = Table(
    "events",
    metadata,
    _id(),
    Column("type", String, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("entities", JSON, nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("fingerprint", String, nullable=False),
    Column("decision_id", String, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_events_replay", "occurred_at", "received_at", "id"),
)

event_entities = Table(
    "event_entities",
    metadata,
    Column("kind", String, primary_key=True),
    Column("entity_id", String, primary_key=True),
    Column("event_id", Key, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    Index("ix_event_entities_timeline", "kind", "entity_id", "occurred_at", "event_id"),
)

decisions = Table(
    "decisions",
    metadata,
    _id(),
    Column("event_id", String, nullable=False, index=True),
    Column("verdict", String, nullable=False),
    Column("score", Double, nullable=False),
    Column("hits", JSON, nullable=False),
    Column("release_version", String, nullable=False),
    Column("policy_version", String, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("action_ids", JSON, nullable=False),
    # Rules lifecycle (migration 0002_lifecycle): shadow hits, canary calls, snoozed rules.
    Column("lifecycle", JSON(none_as_null=True), nullable=True),
    Index("ix_decisions_decided_at", "decided_at", "release_version"),
)

actions = Table(
    "actions",
    metadata,
    _id(),
    Column("kind", String, nullable=False),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("params", JSON, nullable=False),
    Column("status", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decision_id", String, nullable=True, index=True),
    Column("case_id", String, nullable=True, index=True),
    Column("policy", String, nullable=True),
    Column("actor", String, nullable=False),
    Column("executed_at", UtcDateTime, nullable=True),
    Column("error", String, nullable=True),
    Index("ix_actions_status_created", "status", "created_at", "id"),
    # Enforcement ledger (migration 0005_enforcement): expiry, reversal, idempotency, approval.
    Column("policy_version", String, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("reverses", String, nullable=True),
    Column("reverted_by", String, nullable=True),
    Column("idempotency_key", String, nullable=True),
    Column("approval_id", String, nullable=True),
    Column("approved_by", String, nullable=True),
    Index("ix_actions_expiry", "status", "expires_at"),
    Index("ix_actions_subject", "subject_kind", "subject_id", "created_at"),
    Index("ix_actions_idempotency_key", "idempotency_key", unique=True),
)

appeals = Table(
    "appeals",
    metadata,
    _id(),
    Column("action_id", String, nullable=False, index=True),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("appellant", String, nullable=False),
    Column("reason", String, nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("origin", JSON, nullable=False),
    Column("status", String, nullable=False),
    Column("decided_by", String, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("note", String, nullable=False),
    Column("reversal_ids", JSON, nullable=False),
    Index("ix_appeals_status_due", "status", "due_at", "id"),
)

approvals = Table(
    "approvals",
    metadata,
    _id(),
    Column("action_ids", JSON, nullable=False),
    Column("reason", String, nullable=False),
    Column("requested_by", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("decided_by", String, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("note", String, nullable=False),
    Index("ix_approvals_status_created", "status", "created_at", "id"),
)

cases = Table(
    "cases",
    metadata,
    _id(),
    Column("queue", String, nullable=False),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("status", String, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("decision_ids", JSON, nullable=False),
    Column("assignee", String, nullable=True),
    Column("resolution", JSON(none_as_null=True), nullable=True),
    # Review operations (migration 0005_reviewcore): leases, time in queue, claim order.
    Column("lease_expires_at", UtcDateTime, nullable=True),
    Column("queued_at", UtcDateTime, nullable=True),
    Column("rank_at", UtcDateTime, nullable=True),
    Column("tier", String, nullable=True),
    Column("escalations", JSON(none_as_null=True), nullable=True),
    Column("merged_into", String, nullable=True),
    Index("ix_cases_queue_status", "queue", "status"),
    Index("ix_cases_claim_order", "queue", "rank_at"),
    Index(
        "uq_cases_open_subject",
        "subject_kind",
        "subject_id",
        unique=True,
        sqlite_where=text("status != 'resolved'"),
        postgresql_where=text("status != 'resolved'"),
    ),
)

queues = Table(
    "queues",
    metadata,
    Column("name", Key, primary_key=True),
    Column("description", String, nullable=False),
    Column("sla_seconds", Integer, nullable=False),
    Column("required", String, nullable=False),
    Column("playbook", String, nullable=True),
    Column("wellness", String, nullable=True),
)

reports = Table(
    "reports",
    metadata,
    _id(),
    Column("reporter", Key, nullable=False),
    Column("reporter_kind", String, nullable=False),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("report_type", String, nullable=False),
    Column("text", String, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("content_ref", String, nullable=True),
    Column("language", String, nullable=True),
    Column("case_id", Key, nullable=True),
    Column("priority", Integer, nullable=False),
    Index("ix_reports_case", "case_id", "received_at"),
    Index("ix_reports_reporter", "reporter", "received_at"),
)

reporters = Table(
    "reporters",
    metadata,
    _id(),
    Column("kind", String, nullable=False),
    Column("upheld", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("muted", Boolean, nullable=False),
    Column("muted_reason", String, nullable=False),
)

case_comments = Table(
    "case_comments",
    metadata,
    _id(),
    Column("case_id", Key, nullable=False),
    Column("author", String, nullable=False),
    Column("text", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_case_comments_case", "case_id", "at"),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    _id(),
    Column("case_id", Key, nullable=False),
    Column("name", String, nullable=False),
    Column("media_type", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String, nullable=False),
    Column("added_by", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("url", String, nullable=True),
    Column("content", LargeBinary, nullable=True),
    Index("ix_case_evidence_case", "case_id", "at"),
)

routing_rules = Table(
    "routing_rules",
    metadata,
    Column("name", Key, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("queue", String, nullable=False),
    Column("conditions", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("description", String, nullable=False),
)

labels = Table(
    "labels",
    metadata,
    _id(),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("policy", String, nullable=True),
    Column("value", String, nullable=False),
    Column("provenance", String, nullable=False),
    Column("author", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("case_id", String, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Index("ix_labels_subject", "subject_kind", "subject_id", "created_at"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_hash", String, primary_key=True),
    Column("principal_id", String, nullable=False, index=True),
    Column("principal_kind", String, nullable=False),
    Column("name", String, nullable=False),
    Column("role", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("principal_id", String, primary_key=True),
    Column("email", String, nullable=False, unique=True),
    Column("principal_kind", String, nullable=False),
    Column("name", String, nullable=False),
    Column("role", String, nullable=False),
    Column("password_hash", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False),
)

audit_records = Table(
    "audit_records",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("target", String, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String, nullable=False),
    Column("hash", String, nullable=False),
    Index("ix_audit_records_target", "target", "seq"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

deliveries = Table(
    "deliveries",
    metadata,
    _id(),
    Column("action_id", String, nullable=False, index=True),
    Column("url", String, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("status", String, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_error", String, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Index("ix_deliveries_due", "status", "next_attempt_at", "id"),
    Index("ix_deliveries_created", "created_at", "id"),
)

counters = Table(
    "counters",
    metadata,
    Column("key", String, primary_key=True),
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("count", BigInteger, nullable=False),
)

# Signals (migration 0002_signals): SUM and DISTINCT buckets, value lists, entity labels.
counter_sums = Table(
    "counter_sums",
    metadata,
    Column("key", String, primary_key=True),
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("total", Double, nullable=False),
)

counter_values = Table(
    "counter_values",
    metadata,
    Column("key", String, primary_key=True),
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("value", String, primary_key=True),
)

value_lists = Table(
    "value_lists",
    metadata,
    Column("name", Key, primary_key=True),
    Column("kind", String, nullable=False),
    Column("description", String, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("size", Integer, nullable=False),
)

value_list_entries = Table(
    "value_list_entries",
    metadata,
    Column(
        "list_name",
        Key,
        ForeignKey("value_lists.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("value", Key, primary_key=True),
)

sequences = Table(
    "sequences",
    metadata,
    Column("name", Key, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

entity_labels = Table(
    "entity_labels",
    metadata,
    Column("subject_kind", Key, primary_key=True),
    Column("subject_id", Key, primary_key=True),
    Column("name", Key, primary_key=True),
    Column("provenance", String, nullable=False),
    Column("author", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("reference", String, nullable=False),
)

# Rules lifecycle (migration 0002_lifecycle): releases, the live pointer, run-time controls,
# per-rule daily counts, shadow records and alerts.
releases = Table(
    "releases",
    metadata,
    Column("version", BigInteger, primary_key=True, autoincrement=False),
    Column("text", String, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("author", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String, nullable=False),
    Column("notes", String, nullable=False),
    Column("approved_by", String, nullable=True),
    Column("rejected_by", String, nullable=True),
    Column("published_at", UtcDateTime, nullable=True),
    Column("superseded_at", UtcDateTime, nullable=True),
    Index("ix_releases_status", "status", "version"),
)

live_release = Table(
    "live_release",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
    Column("revision", BigInteger, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

rule_demotions = Table(
    "rule_demotions",
    metadata,
    Column("release_version", BigInteger, primary_key=True, autoincrement=False),
    Column("rule", Key, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reason", String, nullable=False),
    Column("demoted_at", UtcDateTime, nullable=False),
    Column("restored_at", UtcDateTime, nullable=True),
    Column("restored_by", String, nullable=True),
)

snoozes = Table(
    "snoozes",
    metadata,
    _id(),
    Column("rule", String, nullable=False),
    Column("entity_kind", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("until", UtcDateTime, nullable=False),
    Column("actor", String, nullable=False),
    Column("reason", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_snoozes_entity", "entity_kind", "entity_id", "until"),
    Index("ix_snoozes_rule", "rule", "until"),
)

rule_day_counts = Table(
    "rule_day_counts",
    metadata,
    Column("day", Date, primary_key=True),
    Column("rule", Key, primary_key=True),
    Column("hits", BigInteger, nullable=False),
    Column("acted", BigInteger, nullable=False),
)

shadow_records = Table(
    "shadow_records",
    metadata,
    Column("decision_id", Key, primary_key=True),
    Column("rule", Key, primary_key=True),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("release_version", String, nullable=False),
    Column("run_as", String, nullable=False),
    Column("subject_kind", String, nullable=True),
    Column("subject_id", String, nullable=True),
    Column("verdict_without", String, nullable=False),
    Column("verdict_with", String, nullable=False),
    Index("ix_shadow_records_decided_at", "decided_at"),
)

alerts = Table(
    "alerts",
    metadata,
    _id(),
    Column("kind", String, nullable=False),
    Column("rule", String, nullable=False),
    Column("details", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("acknowledged", Boolean, nullable=False),
    Column("acknowledged_by", String, nullable=True),
    Index("ix_alerts_created", "created_at", "id"),
)

# Investigations (migration 0002_links): identity links and the rings found in them.
links = Table(
    "links",
    metadata,
    Column("account_id", Key, primary_key=True),
    Column("identifier_kind", Key, primary_key=True),
    Column("identifier_id", Key, primary_key=True),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("events", BigInteger, nullable=False),
    Index("ix_links_identifier", "identifier_kind", "identifier_id", "account_id"),
)

rings = Table(
    "rings",
    metadata,
    _id(),
    Column("size", Integer, nullable=False),
    Column("risk", Double, nullable=False),
    Column("detected_at", UtcDateTime, nullable=False),
    Column("flagged_at", UtcDateTime, nullable=True),
    Column("body", JSON, nullable=False),
    Index("ix_rings_rank", "risk", "size", "id"),
)

ring_members = Table(
    "ring_members",
    metadata,
    Column("account_id", Key, primary_key=True),
    Column("ring_id", Key, nullable=False, index=True),
)

# Trends and incidents (migration 0005_trends).
trend_alerts = Table(
    "trend_alerts",
    metadata,
    _id(),
    Column("segment", String, nullable=False),
    Column("status", String, nullable=False),
    Column("detected_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_trend_alerts_segment", "segment", "last_seen_at"),
    Index("ix_trend_alerts_detected", "detected_at", "id"),
)

incidents = Table(
    "incidents",
    metadata,
    _id(),
    Column("status", String, nullable=False),
    Column("declared_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_incidents_declared", "declared_at", "id"),
)

# Measured quality (migration 0005_quality): QA items next to cases, calibration sessions.
qa_items = Table(
    "qa_items",
    metadata,
    _id(),
    Column("kind", String, nullable=False),
    Column("key", Key, nullable=False),
    Column("case_id", Key, nullable=False, index=True),
    Column("queue", String, nullable=False),
    Column("subject_kind", String, nullable=False),
    Column("subject_id", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expected", String, nullable=True),
    Column("expected_policy", String, nullable=True),
    Column("segment", String, nullable=True),
    Column("rate", Double, nullable=True),
    Column("source", String, nullable=True),
    Column("score", Double, nullable=True),
    Index("uq_qa_items_kind_key", "kind", "key", unique=True),
    Index("ix_qa_items_created", "created_at", "id"),
)

calibration_sessions = Table(
    "calibration_sessions",
    metadata,
    _id(),
    Column("name", String, nullable=False),
    Column("subjects", JSON, nullable=False),
    Column("participants", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String, nullable=False),
)

calibration_answers = Table(
    "calibration_answers",
    metadata,
    Column("session_id", Key, primary_key=True),
    Column("subject_kind", Key, primary_key=True),
    Column("subject_id", Key, primary_key=True),
    Column("reviewer", Key, primary_key=True),
    Column("value", String, nullable=False),
    Column("policy", String, nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

Index("ix_labels_created", labels.c.created_at, labels.c.id)

# Policies, playbooks, notices and reviewer wellness (migration 0005_policies).
policy_taxonomies = Table(
    "policy_taxonomies",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("text", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("author", String, nullable=False),
    Column("note", String, nullable=False),
)

playbooks = Table(
    "playbooks",
    metadata,
    Column("key", Key, primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("text", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("author", String, nullable=False),
)

notices = Table(
    "notices",
    metadata,
    _id(),
    Column("action_id", Key, nullable=False),
    Column("body", JSON, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Index("ix_notices_action_id", "action_id", unique=True),
    Index("ix_notices_issued", "issued_at", "id"),
)

reviewer_settings = Table(
    "reviewer_settings",
    metadata,
    Column("reviewer", Key, primary_key=True),
    Column("opted_out", JSON, nullable=False),
    Column("reveal_by_default", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    Column("streak_started_at", UtcDateTime, nullable=True),
    Column("streak_items", Integer, nullable=False),
)

reviewer_exposures = Table(
    "reviewer_exposures",
    metadata,
    Column("reviewer", Key, primary_key=True),
    Column("day", Key, primary_key=True),
    Column("category", Key, primary_key=True),
    Column("seen", Integer, nullable=False),
)

# Model registry (migration 0005_models): versions and shadow scores.
model_versions = Table(
    "model_versions",
    metadata,
    Column("name", Key, primary_key=True),
    Column("version", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String, nullable=False),
    Column("status", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_model_versions_status", "status", "name"),
)

model_scores = Table(
    "model_scores",
    metadata,
    Column("name", Key, primary_key=True),
    Column("version", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", Key, primary_key=True),
    Column("score", Double, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("scored_at", UtcDateTime, nullable=False),
    Index("ix_model_scores_recent", "name", "version", "occurred_at"),
)

# Investigations (migration 0005_investigations): saved searches and retroactive actions.
saved_queries = Table(
    "saved_queries",
    metadata,
    _id(),
    Column("owner", String, nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_saved_queries_owner", "owner", "created_at"),
)

retro_actions = Table(
    "retro_actions",
    metadata,
    _id(),
    Column("status", String, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_retro_actions_created", "created_at", "id"),
)

ALL_TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)
