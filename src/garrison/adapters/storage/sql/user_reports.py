"""User reports, their reporters' records, and the routing rules, in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, select

from garrison.adapters.storage.sql.codecs import ref_columns, ref_of
from garrison.adapters.storage.sql.tables import reporters, reports, routing_rules
from garrison.adapters.storage.sql.tx import Tx
from garrison.domain.entities import Tier
from garrison.domain.ids import CaseId, QueueName, ReportId
from garrison.domain.policies import Severity
from garrison.domain.routing import RoutingRule, WorkSource
from garrison.domain.user_reports import Report, Reporter, ReporterKind, ReportStatus


class SqlReports:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def add(self, report: Report) -> None:
        self._tx.insert_new(reports, [_report_row(report)], what=f"report {report.id}")

    def get(self, report_id: ReportId) -> Report | None:
        row = self._tx.row(select(reports).where(reports.c.id == report_id))
        return _report_of(row) if row is not None else None

    def save(self, report: Report) -> None:
        self._tx.upsert(reports, _report_row(report))

    def for_case(self, case_id: CaseId) -> list[Report]:
        stmt = (
            select(reports)
            .where(reports.c.case_id == case_id)
            .order_by(reports.c.received_at, reports.c.id)
        )
        return [_report_of(row) for row in self._tx.rows(stmt)]

    def for_reporter(self, reporter: str, limit: int) -> list[Report]:
        stmt = (
            select(reports)
            .where(reports.c.reporter == reporter)
            .order_by(reports.c.received_at.desc(), reports.c.id.desc())
            .limit(limit)
        )
        return [_report_of(row) for row in self._tx.rows(stmt)]


class SqlReporters:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def get(self, reporter_id: str) -> Reporter | None:
        row = self._tx.row(select(reporters).where(reporters.c.id == reporter_id))
        return _reporter_of(row) if row is not None else None

    def save(self, reporter: Reporter) -> None:
        self._tx.upsert(
            reporters,
            {
                "id": reporter.id,
                "kind": reporter.kind.value,
                "upheld": reporter.upheld,
                "rejected": reporter.rejected,
                "muted": reporter.muted,
                "muted_reason": reporter.muted_reason,
            },
        )

    def list(self, *, muted: bool | None, limit: int) -> list[Reporter]:
        stmt = select(reporters)
        if muted is not None:
            stmt = stmt.where(reporters.c.muted == muted)
        rows = self._tx.rows(stmt.order_by(reporters.c.id).limit(limit))
        return [_reporter_of(row) for row in rows]


class SqlRoutingRules:
    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def list(self) -> list[RoutingRule]:
        stmt = select(routing_rules).order_by(routing_rules.c.position, routing_rules.c.name)
        return [_rule_of(row) for row in self._tx.rows(stmt)]

    def get(self, name: str) -> RoutingRule | None:
        row = self._tx.row(select(routing_rules).where(routing_rules.c.name == name))
        return _rule_of(row) if row is not None else None

    def save(self, rule: RoutingRule) -> None:
        self._tx.upsert(routing_rules, _rule_row(rule))

    def delete(self, name: str) -> bool:
        stmt = routing_rules.delete().where(routing_rules.c.name == name)
        return self._tx.conn.execute(stmt).rowcount == 1


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "reporter": report.reporter,
        "reporter_kind": report.reporter_kind.value,
        **ref_columns(report.subject),
        "report_type": report.report_type,
        "text": report.text,
        "received_at": report.received_at,
        "status": report.status.value,
        "content_ref": report.content_ref,
        "language": report.language,
        "case_id": report.case_id,
        "priority": report.priority,
    }


def _report_of(row: RowMapping) -> Report:
    case_id = row["case_id"]
    return Report(
        id=ReportId(row["id"]),
        reporter=row["reporter"],
        reporter_kind=ReporterKind(row["reporter_kind"]),
        subject=ref_of(row),
        report_type=row["report_type"],
        text=row["text"],
        received_at=row["received_at"],
        status=ReportStatus(row["status"]),
        content_ref=row["content_ref"],
        language=row["language"],
        case_id=CaseId(case_id) if case_id is not None else None,
        priority=row["priority"],
    )


def _reporter_of(row: RowMapping) -> Reporter:
    return Reporter(
        id=row["id"],
        kind=ReporterKind(row["kind"]),
        upheld=row["upheld"],
        rejected=row["rejected"],
        muted=bool(row["muted"]),
        muted_reason=row["muted_reason"],
    )


def _rule_row(rule: RoutingRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "position": rule.position,
        "queue": rule.queue,
        "conditions": {
            "policies": list(rule.policies),
            "min_severity": rule.min_severity.value if rule.min_severity else None,
            "tiers": [t.value for t in rule.tiers],
            "report_types": list(rule.report_types),
            "languages": list(rule.languages),
            "sources": [s.value for s in rule.sources],
        },
        "enabled": rule.enabled,
        "description": rule.description,
    }


def _rule_of(row: RowMapping) -> RoutingRule:
    when = row["conditions"]
    floor = when.get("min_severity")
    return RoutingRule(
        name=row["name"],
        queue=QueueName(row["queue"]),
        position=row["position"],
        policies=tuple(when.get("policies", ())),
        min_severity=Severity(floor) if floor else None,
        tiers=tuple(Tier(t) for t in when.get("tiers", ())),
        report_types=tuple(when.get("report_types", ())),
        languages=tuple(when.get("languages", ())),
        sources=tuple(WorkSource(s) for s in when.get("sources", ())),
        enabled=bool(row["enabled"]),
        description=row["description"],
    )
