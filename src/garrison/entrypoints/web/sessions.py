"""Console sessions: a signed, expiring cookie naming the person, and a CSRF token bound to it.

The cookie holds `{"pid": principal id, "sid": random session id}` signed with the secret key.
The CSRF token is an HMAC of the session id, so it is valid for that session only; forms carry it
in a hidden field and htmx sends it in the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from garrison.domain.ids import PrincipalId

SESSION_COOKIE = "garrison_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True, slots=True)
class Session:
    principal_id: PrincipalId
    session_id: str


class SessionCodec:
    def __init__(self, secret_key: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="garrison.session")
        self._csrf_key = hashlib.sha256(f"csrf:{secret_key}".encode()).digest()
        self.max_age_seconds = max_age_seconds

    def issue(self, principal_id: PrincipalId) -> tuple[str, Session]:
        session = Session(principal_id, secrets.token_urlsafe(16))
        value = self._serializer.dumps({"pid": principal_id, "sid": session.session_id})
        return value, session

    def read(self, cookie: str | None) -> Session | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age_seconds)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not {"pid", "sid"} <= data.keys():
            return None
        return Session(PrincipalId(str(data["pid"])), str(data["sid"]))

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._csrf_key, session.session_id.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session), token or "")
