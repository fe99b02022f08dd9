"""Who is looking at the console: the session cookie, the person behind it, and CSRF checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from garrison.domain.access import Permission, Principal
from garrison.domain.errors import PermissionDenied, Unauthenticated
from garrison.entrypoints.web.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Session,
    SessionCodec,
)
from garrison.services.access import AccessService

CSRF_REFUSED = (
    "This form has expired or was not sent by the console. Reload the page and try again."
)


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, htmx requests get `HX-Redirect`."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person and the CSRF token their forms must carry."""

    principal: Principal
    csrf_token: str

    def can(self, permission: Permission) -> bool:
        return self.principal.can(permission)


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token of a request: the `X-CSRF-Token` header (htmx) or the form field."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


class Gate:
    """FastAPI dependencies that admit signed-in people (and, for writes, valid CSRF tokens)."""

    def __init__(self, access: AccessService, codec: SessionCodec) -> None:
        self._access = access
        self.codec = codec

    def viewer(self, request: Request) -> Viewer:
        return self._admit(request)[1]

    def writer(
        self,
        request: Request,
        token: Annotated[str | None, Depends(submitted_csrf)],
    ) -> Viewer:
        """A viewer whose request carries the CSRF token of their own session."""
        session, viewer = self._admit(request)
        if not self.codec.csrf_ok(session, token):
            raise PermissionDenied(CSRF_REFUSED, field="csrf_token")
        return viewer

    def _admit(self, request: Request) -> tuple[Session, Viewer]:
        session = self.codec.read(request.cookies.get(SESSION_COOKIE))
        if session is None:
            raise LoginRequired
        try:
            principal = self._access.person(session.principal_id)
        except Unauthenticated:
            raise LoginRequired from None
        viewer = Viewer(principal, self.codec.csrf_token(session))
        request.state.viewer = viewer
        return session, viewer
