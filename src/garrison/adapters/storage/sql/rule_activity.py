"""Per-rule daily counts, shadow records, and alerts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import RowMapping, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import ClauseElement

from garrison.adapters.storage.sql.codecs import Row
from garrison.adapters.storage.sql.driver import Prepared
from garrison.adapters.storage.sql.tables import alerts, decisions, rule_day_counts, shadow_records
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import DecisionId
from garrison.domain.rule_controls import Alert, AlertId, AlertKind
from garrison.domain.shadow import RunAs, ShadowRecord
from garrison.domain.verdicts import Verdict
from garrison.services.release_storage import RuleDay


def _count_upsert(dialect: str) -> ClauseElement:
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(rule_day_counts)
    return insert.on_conflict_do_update(
        index_elements=["day", "rule"],
        set_={
            "hits": rule_day_counts.c.hits + insert.excluded.hits,
            "acted": rule_day_counts.c.acted + insert.excluded.acted,
        },
    ).returning(rule_day_counts.c.rule, rule_day_counts.c.acted)


_COUNT = Prepared(_count_upsert)
"""Runs for every event a rule hit: compiled once (see `driver`)."""


class SqlRuleActivity:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def count(self, day: date, hits: Sequence[str], acted: Sequence[str]) -> dict[str, int]:
        """One upsert per rule, in rule order (concurrent units lock rows in the same order)."""
        if not hits:
            return {}
        acting = Counter(acted)
        driver, totals = self._tx.driver, {}
        for rule, n in sorted(Counter(hits).items()):
            row = {"day": day, "rule": rule, "hits": n, "acted": acting.get(rule, 0)}
            for counted, total in driver.insert(_COUNT, row):
                totals[counted] = int(total)
        return {rule: totals[rule] for rule in acting}

    def day(self, day: date) -> list[RuleDay]:
        stmt = (
            select(rule_day_counts)
            .where(rule_day_counts.c.day == day)
            .order_by(rule_day_counts.c.rule)
        )
        return [
            RuleDay(row["rule"], row["day"], int(row["hits"]), int(row["acted"]))
            for row in self._tx.rows(stmt)
        ]

    def add_records(self, records: Sequence[ShadowRecord]) -> None:
        self._tx.insert_new(
            shadow_records, [_record_row(r) for r in records], what="shadow records"
        )

    def records(self, since: datetime, until: datetime, *, limit: int) -> list[ShadowRecord]:
        stmt = (
            select(shadow_records)
            .where(shadow_records.c.decided_at >= since)
            .where(shadow_records.c.decided_at <= until)
            .order_by(
                shadow_records.c.decided_at, shadow_records.c.decision_id, shadow_records.c.rule
            )
            .limit(limit)
        )
        return [_record_of(row) for row in self._tx.rows(stmt)]

    def decisions_by_release(self, since: datetime, until: datetime) -> dict[str, int]:
        stmt = (
            select(decisions.c.release_version, func.count())
            .where(decisions.c.decided_at >= since)
            .where(decisions.c.decided_at <= until)
            .group_by(decisions.c.release_version)
        )
        return {version: int(n) for version, n in self._tx.conn.execute(stmt)}


class SqlAlerts:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, alert: Alert) -> None:
        self._tx.insert_new(alerts, [_alert_row(alert)], what=f"alert {alert.id}")

    def get(self, alert_id: AlertId) -> Alert | None:
        row = self._tx.row(select(alerts).where(alerts.c.id == alert_id))
        return _alert_of(row) if row is not None else None

    def save(self, alert: Alert) -> None:
        self._tx.upsert(alerts, _alert_row(alert))

    def list(self, *, acknowledged: bool | None, limit: int) -> list[Alert]:
        stmt = select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc())
        if acknowledged is not None:
            stmt = stmt.where(alerts.c.acknowledged.is_(acknowledged))
        return [_alert_of(row) for row in self._tx.rows(stmt.limit(limit))]


def _record_row(record: ShadowRecord) -> Row:
    subject = record.subject
    return {
        "decision_id": record.decision_id,
        "rule": record.rule,
        "decided_at": record.decided_at,
        "release_version": record.release_version,
        "run_as": record.run_as.value,
        "subject_kind": subject.kind.value if subject is not None else None,
        "subject_id": subject.id if subject is not None else None,
        "verdict_without": record.verdict_without.value,
        "verdict_with": record.verdict_with.value,
    }


def _record_of(row: RowMapping) -> ShadowRecord:
    kind = row["subject_kind"]
    return ShadowRecord(
        decision_id=DecisionId(row["decision_id"]),
        rule=row["rule"],
        decided_at=row["decided_at"],
        release_version=row["release_version"],
        run_as=RunAs(row["run_as"]),
        subject=EntityRef(EntityKind(kind), row["subject_id"]) if kind is not None else None,
        verdict_without=Verdict(row["verdict_without"]),
        verdict_with=Verdict(row["verdict_with"]),
    )


def _alert_row(alert: Alert) -> Row:
    return {
        "id": alert.id,
        "kind": alert.kind.value,
        "rule": alert.rule,
        "details": dict(alert.details),
        "created_at": alert.created_at,
        "acknowledged": alert.acknowledged,
        "acknowledged_by": alert.acknowledged_by,
    }


def _alert_of(row: RowMapping) -> Alert:
    return Alert(
        id=AlertId(row["id"]),
        kind=AlertKind(row["kind"]),
        rule=row["rule"],
        details=row["details"],
        created_at=row["created_at"],
        acknowledged=bool(row["acknowledged"]),
        acknowledged_by=row["acknowledged_by"],
    )
