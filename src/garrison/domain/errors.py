"""The one error hierarchy, translated to HTTP statuses and CLI messages in one place each."""

from __future__ import annotations


class GarrisonError(Exception):
    """Base of every expected failure. `code` is stable and machine-readable."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(GarrisonError):
    """The input is malformed or breaks a rule of the domain; nothing was written."""

    code = "invalid_input"


class NotFound(GarrisonError):
    code = "not_found"


class Conflict(GarrisonError):
    """The request contradicts stored state (a reused id with another body, a taken case)."""

    code = "conflict"


class InvalidTransition(Conflict):
    """A state machine refused a move (resolving a case nobody claimed, for example)."""

    code = "invalid_transition"


class Unauthenticated(GarrisonError):
    code = "unauthenticated"


class PermissionDenied(GarrisonError):
    code = "permission_denied"
