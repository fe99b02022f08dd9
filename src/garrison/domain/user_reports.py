"""User reports: what people (and automated flaggers) on the host platform tell us.

A reporter's reputation is the share of their past reports that were upheld, smoothed by a
Beta(1, 1) prior so a newcomer scores 0.5 (neutral). Reputation scales the harm a report
claims, which sets the priority of the case it lands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import CaseId, ReportId
from garrison.domain.policies import Severity

PRIOR_UPHELD = 1.0
PRIOR_REJECTED = 1.0
REPORT_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SEVERITY_POINTS: dict[Severity, int] = {
    Severity.LOW: 60,
    Severity.MEDIUM: 120,
    Severity.HIGH: 200,
    Severity.SEVERE: 300,
}
REPORT_SEVERITY: dict[str, Severity] = {
    "child_safety": Severity.SEVERE,
    "violent_threat": Severity.SEVERE,
    "self_harm": Severity.HIGH,
    "hate": Severity.HIGH,
    "fraud": Severity.HIGH,
    "scam": Severity.HIGH,
    "malware": Severity.HIGH,
    "harassment": Severity.MEDIUM,
    "impersonation": Severity.MEDIUM,
    "sexual_content": Severity.MEDIUM,
    "payment_abuse": Severity.MEDIUM,
    "account_resale": Severity.MEDIUM,
    "spam": Severity.LOW,
    "ip_infringement": Severity.LOW,
    "other": Severity.LOW,
}
"""Known report types and the harm they claim; any other type counts as `other`."""


class ReporterKind(StrEnum):
    PERSON = "person"
    AUTOMATED = "automated"


class ReportStatus(StrEnum):
    PENDING = "pending"
    """In a case that is not resolved yet."""
    UPHELD = "upheld"
    REJECTED = "rejected"
    MUTED = "muted"
    """Recorded only: the reporter is muted, so no case was opened or raised."""


@dataclass(frozen=True, slots=True)
class Reporter:
    """Someone (or something) on the host platform who files reports, with their record."""

    id: str
    kind: ReporterKind
    upheld: int = 0
    rejected: int = 0
    muted: bool = False
    muted_reason: str = ""

    @property
    def reputation(self) -> float:
        return reputation(self.upheld, self.rejected)

    def settle(self, upheld: bool) -> Reporter:
        if upheld:
            return replace(self, upheld=self.upheld + 1)
        return replace(self, rejected=self.rejected + 1)

    def mute(self, reason: str) -> Reporter:
        if not reason.strip():
            raise InvalidInput("muting a reporter needs a reason", field="reason")
        return replace(self, muted=True, muted_reason=reason.strip())

    def unmute(self) -> Reporter:
        return replace(self, muted=False, muted_reason="")


@dataclass(frozen=True, slots=True)
class Report:
    id: ReportId
    reporter: str
    reporter_kind: ReporterKind
    subject: EntityRef
    report_type: str
    text: str
    received_at: datetime
    status: ReportStatus
    content_ref: str | None = None
    language: str | None = None
    case_id: CaseId | None = None
    priority: int = 0

    @property
    def severity(self) -> Severity:
        return severity_of(self.report_type)

    def settle(self, upheld: bool) -> Report:
        return replace(self, status=ReportStatus.UPHELD if upheld else ReportStatus.REJECTED)


def reputation(upheld: int, rejected: int) -> float:
    """Posterior mean of the upheld share under a Beta(1, 1) prior: 0.5 with no history."""
    return (upheld + PRIOR_UPHELD) / (upheld + rejected + PRIOR_UPHELD + PRIOR_REJECTED)


def severity_of(report_type: str) -> Severity:
    return REPORT_SEVERITY.get(report_type, REPORT_SEVERITY["other"])


def report_priority(report_type: str, reporter_reputation: float) -> int:
    """The harm a report claims, scaled by 2 x reputation (a neutral reporter scales by 1)."""
    return round(SEVERITY_POINTS[severity_of(report_type)] * 2 * reporter_reputation)


def check_report_type(report_type: str) -> str:
    if not REPORT_TYPE.match(report_type):
        raise InvalidInput(
            f"bad report type {report_type!r}: lower-case letters, digits and _",
            field="report_type",
        )
    return report_type
