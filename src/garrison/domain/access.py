"""Who may do what: roles, permissions and principals."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from garrison.domain.errors import PermissionDenied
from garrison.domain.ids import PrincipalId


class Role(StrEnum):
    VIEWER = "viewer"
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    INVESTIGATOR = "investigator"
    RULES_EDITOR = "rules_editor"
    ADMIN = "admin"
    INGEST = "ingest"


class Permission(StrEnum):
    INGEST_EVENTS = "ingest_events"
    READ_CASES = "read_cases"
    READ_CONTENT = "read_content"
    REVIEW_CASES = "review_cases"
    REVIEW_ESCALATIONS = "review_escalations"
    READ_AUDIT = "read_audit"
    READ_DECISIONS = "read_decisions"
    MANAGE_RULES = "manage_rules"
    MANAGE_ACCESS = "manage_access"
    OPERATE = "operate"
    READ_PII = "read_pii"
    """See personal data (email and IP addresses) in full; every reveal is audited."""
    MANAGE_QUEUES = "manage_queues"
    """Edit queue settings (SLA, role, playbook, wellness) and the routing rules."""
    MUTE_REPORTERS = "mute_reporters"
    """Mute or unmute abusive reporters: their reports are kept but open no case."""
    REVIEW_POLICY_LEGAL = "review_policy_legal"
    """Work the policy/legal queue, the top escalation tier (admins by default)."""
    TAKE_ACTIONS = "take_actions"
    """Take, reverse or bulk enforcement actions by hand (outside a case resolution)."""
    FILE_APPEALS = "file_appeals"
    """File an appeal against an action (the host platform, or staff on an account's behalf)."""
    DECIDE_APPEALS = "decide_appeals"
    """Uphold or overturn an appeal of an action someone else took."""
    APPROVE_ACTIONS = "approve_actions"
    """Approve or reject a high-impact action someone else asked for (second approver)."""
    MANAGE_POLICIES = "manage_policies"
    """Publish new versions of the policy taxonomy and of playbooks."""
    EXPORT_TRANSPARENCY = "export_transparency"
    """Export statements of reasons (DSA Transparency Database format)."""
    MANAGE_QUALITY = "manage_quality"
    """Seed golden items, run QA samples, open calibration sessions, import labels."""
    ADJUDICATE_LABELS = "adjudicate_labels"
    """Settle conflicting labels: the adjudicated label wins over them."""
    MANAGE_MODELS = "manage_models"
    """Register, promote and retire model versions (what `score("name")` reads)."""
    MANAGE_INCIDENTS = "manage_incidents"
    """Declare and run incidents, acknowledge trend alerts, run trend scans and reports."""


_VIEW = {Permission.READ_CASES, Permission.READ_DECISIONS}
_REVIEW = _VIEW | {Permission.READ_CONTENT, Permission.REVIEW_CASES}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEW),
    Role.REVIEWER: frozenset(_REVIEW),
    Role.SENIOR_REVIEWER: frozenset(
        _REVIEW | {Permission.REVIEW_ESCALATIONS, Permission.MUTE_REPORTERS}
    ),
    Role.INVESTIGATOR: frozenset(_REVIEW | {Permission.READ_AUDIT, Permission.READ_PII}),
    Role.RULES_EDITOR: frozenset(_VIEW | {Permission.MANAGE_RULES}),
    Role.ADMIN: frozenset(Permission) - {Permission.INGEST_EVENTS},
    Role.INGEST: frozenset({Permission.INGEST_EVENTS}),
}

# Enforcement ledger, appeals and approvals (granted on top of the roles above).
_ENFORCEMENT_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.REVIEWER: frozenset(
        {Permission.TAKE_ACTIONS, Permission.FILE_APPEALS, Permission.DECIDE_APPEALS}
    ),
    Role.SENIOR_REVIEWER: frozenset(
        {
            Permission.TAKE_ACTIONS,
            Permission.FILE_APPEALS,
            Permission.DECIDE_APPEALS,
            Permission.APPROVE_ACTIONS,
        }
    ),
    Role.INVESTIGATOR: frozenset({Permission.TAKE_ACTIONS}),
    Role.INGEST: frozenset({Permission.FILE_APPEALS}),
}
for _role, _granted in _ENFORCEMENT_GRANTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted

# Policies and playbooks: senior reviewers keep the playbooks they work by.
ROLE_PERMISSIONS[Role.SENIOR_REVIEWER] |= {Permission.MANAGE_POLICIES}

# Measured quality: senior reviewers run reviewer QA and settle conflicting labels.
ROLE_PERMISSIONS[Role.SENIOR_REVIEWER] |= {Permission.MANAGE_QUALITY, Permission.ADJUDICATE_LABELS}

# Model registry: rules editors promote the models their rules read.
ROLE_PERMISSIONS[Role.RULES_EDITOR] |= {Permission.MANAGE_MODELS}

# Trends and incidents: investigators, senior reviewers and rules editors run incidents.
for _role in (Role.INVESTIGATOR, Role.SENIOR_REVIEWER, Role.RULES_EDITOR):
    ROLE_PERMISSIONS[_role] |= {Permission.MANAGE_INCIDENTS}


class PrincipalKind(StrEnum):
    PERSON = "person"
    MACHINE = "machine"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated actor: a person (email + password) or a machine (API key)."""

    id: PrincipalId
    kind: PrincipalKind
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        return f"{self.kind}:{self.name}"

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"role {self.role} may not {permission.replace('_', ' ')}")


SYSTEM = Principal(PrincipalId("system"), PrincipalKind.SYSTEM, "garrison", Role.ADMIN)
