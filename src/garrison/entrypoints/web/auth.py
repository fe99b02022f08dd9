"""Who is calling and what they may do, as FastAPI dependencies.

Machines send `Authorization: Bearer <api key>`. People carry the console's session cookie; a
cookie-authenticated request that changes something (POST, PUT, PATCH, DELETE) must also send the
session's CSRF token in the `X-CSRF-Token` header. A missing or bad credential is 401, a principal
without the permission is 403.

    @router.get("/things")
    def things(principal: Annotated[Principal, require(Permission.READ_CASES)]): ...

`require` is a FastAPI `Security` dependency whose scope is the permission, so the OpenAPI
document lists the permission each operation needs (and the route-walking test reads it there).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from garrison.domain.access import Permission, Principal
from garrison.domain.errors import PermissionDenied, Unauthenticated
from garrison.entrypoints.web.api.deps import web_state
from garrison.entrypoints.web.sessions import CSRF_HEADER, SESSION_COOKIE

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# These two only document the credentials in OpenAPI; `authenticate` reads the request itself.
api_key_scheme = HTTPBearer(
    scheme_name="apiKey", description="An API key (machines).", auto_error=False
)
session_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="The console session (people); writes also need the X-CSRF-Token header.",
    auto_error=False,
)


def authenticate(request: Request, *, csrf_token: str | None = None) -> Principal:
    """The principal behind a request: API key first, then the session cookie.

    `csrf_token` overrides the header (the console passes the token from a form field).
    """
    state = web_state(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise Unauthenticated("expected 'Authorization: Bearer <api key>'")
        return state.container.access.authenticate_key(key.strip())
    session = state.sessions.read(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise Unauthenticated("sign in, or send an API key as 'Authorization: Bearer <key>'")
    if request.method not in SAFE_METHODS:
        token = csrf_token if csrf_token is not None else request.headers.get(CSRF_HEADER)
        if not state.sessions.csrf_ok(session, token):
            raise PermissionDenied("missing or invalid CSRF token", field=CSRF_HEADER)
    return state.container.access.person(session.principal_id)


def current_principal(
    request: Request,
    _api_key: Annotated[HTTPAuthorizationCredentials | None, Depends(api_key_scheme)],
    _session: Annotated[str | None, Depends(session_scheme)],
) -> Principal:
    """Dependency: the authenticated principal (CSRF token read from the header)."""
    return authenticate(request)


class RequirePermission:
    """Dependency: the current principal, refused with 403 unless it holds `permission`."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(
        self, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Principal:
        # async: no I/O here, so FastAPI need not hop to a worker thread for it
        principal.require(self.permission)
        return principal

    def __repr__(self) -> str:
        return f"require({self.permission})"


def require(permission: Permission) -> Any:
    """`Annotated[Principal, require(Permission.X)]`: the principal, if it holds the permission."""
    return Security(RequirePermission(permission), scopes=[permission.value])


Ingester = Annotated[Principal, require(Permission.INGEST_EVENTS)]
CaseReader = Annotated[Principal, require(Permission.READ_CASES)]
ContentReader = Annotated[Principal, require(Permission.READ_CONTENT)]
Reviewer = Annotated[Principal, require(Permission.REVIEW_CASES)]
DecisionReader = Annotated[Principal, require(Permission.READ_DECISIONS)]
AuditReader = Annotated[Principal, require(Permission.READ_AUDIT)]
Operator = Annotated[Principal, require(Permission.OPERATE)]
