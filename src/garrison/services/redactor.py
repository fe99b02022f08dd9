"""Redaction while a view is built: what is shown, what it hides, and pseudonyms for PII refs."""

from __future__ import annotations

import hashlib
import hmac

from garrison.domain.entities import EntityRef
from garrison.domain.events import JsonValue
from garrison.domain.redaction import is_pii, redact_ref, redact_value


class Redactor:
    """Redacts refs and values, remembering each (redacted, original) pair for a reveal."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._seen: dict[tuple[str, str], None] = {}

    def ref(self, ref: EntityRef) -> str:
        """`kind:id` as it may be shown (the id redacted when it is personal data)."""
        shown = redact_ref(ref)
        if is_pii(ref):
            self._note(str(ref), shown)
        return shown

    def value(self, value: JsonValue) -> JsonValue:
        return redact_value(value, self._note)

    def pseudonym(self, ref: EntityRef) -> str:
        """A stable id for a PII ref that does not reveal it (keyed, so not brute-forceable)."""
        digest = hmac.new(self._key, str(ref).encode(), hashlib.sha256).hexdigest()
        return f"{ref.kind}:~{digest[:16]}"

    def revealed(self) -> tuple[tuple[str, str], ...]:
        """Each (redacted, original) pair met so far, in a stable order."""
        return tuple(sorted(self._seen))

    def _note(self, original: str, shown: str) -> None:
        self._seen[(shown, original)] = None
