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


_VIEW = {Permission.READ_CASES, Permission.READ_DECISIONS}
_REVIEW = _VIEW | {Permission.READ_CONTENT, Permission.REVIEW_CASES}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEW),
    Role.REVIEWER: frozenset(_REVIEW),
    Role.SENIOR_REVIEWER: frozenset(_REVIEW | {Permission.REVIEW_ESCALATIONS}),
    Role.INVESTIGATOR: frozenset(_REVIEW | {Permission.READ_AUDIT, Permission.READ_PII}),
    Role.RULES_EDITOR: frozenset(_VIEW | {Permission.MANAGE_RULES}),
    Role.ADMIN: frozenset(Permission) - {Permission.INGEST_EVENTS},
    Role.INGEST: frozenset({Permission.INGEST_EVENTS}),
}


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
