"""Authentication and authorisation on every /v1 route, and CSRF for cookie sessions.

The route walk reads each operation's required permission from the OpenAPI document (the
`require` dependency declares it as a security scope), so a new route is covered as soon as it
exists, and a route that declares no permission fails here.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.access import ROLE_PERMISSIONS, Permission, Role
from garrison.entrypoints.web.app import create_app
from garrison.entrypoints.web.sessions import CSRF_HEADER, SESSION_COOKIE, SessionCodec

UNSAFE = {"post", "put", "patch", "delete"}
PASSWORD = "correct horse battery staple"


def _app() -> FastAPI:
    settings = Settings(database_url="memory://", secret_key="test", dispatch_in_server=False)
    return create_app(bootstrap(settings, store=MemoryStore()))


def _route_paths(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, however FastAPI nests included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.165 keeps a flat route list
        routes: list[Any] = list(app.routes)
    else:
        routes = list(iter_route_contexts(app.routes))
    return {
        (method.lower(), route.path)
        for route in routes
        for method in (getattr(route, "methods", None) or ())
        if isinstance(getattr(route, "path", None), str) and route.path.startswith("/v1")
        if method not in {"HEAD", "OPTIONS"}
    }


def _operations() -> list[tuple[str, str, frozenset[Permission]]]:
    spec = _app().openapi()
    operations = []
    for path, methods in spec["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, operation in methods.items():
            scopes = {
                scope
                for need in operation.get("security", [])
                for s in need.values()
                for scope in s
            }
            operations.append((method, path, frozenset(Permission(s) for s in scopes)))
    return sorted(operations, key=lambda op: (op[1], op[0]))


OPERATIONS = _operations()


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    url = re.sub(r"\{[^}]+\}", "nothing", path)
    body: dict[str, Any] = {"json": {}} if method in UNSAFE else {}
    return client.request(method.upper(), url, headers=headers, **body)


def _underprivileged(needed: frozenset[Permission]) -> Role:
    for role in (Role.INGEST, Role.VIEWER, Role.REVIEWER):
        if not needed & ROLE_PERMISSIONS[role]:
            return role
    raise AssertionError(f"no role lacks {needed}")


def test_every_api_route_is_in_the_openapi_document_with_a_permission() -> None:
    app = _app()
    documented = {(method, path) for method, path, _ in OPERATIONS}

    served = _route_paths(app)
    assert len(served) >= 11
    assert served <= documented, "a /v1 route is left out of the OpenAPI document"
    assert all(needed for _, _, needed in OPERATIONS), "a /v1 route declares no permission"


@pytest.mark.parametrize(
    ("method", "path", "needed"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_every_api_route_refuses_strangers_and_the_underprivileged(
    client: TestClient, auth: Any, method: str, path: str, needed: frozenset[Permission]
) -> None:
    anonymous = _call(client, method, path, {})
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert anonymous.json()["error"]["code"] == "unauthenticated"

    refused = _call(client, method, path, auth(_underprivileged(needed)))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    "header", ["Bearer gk_not_a_key", "Basic dXNlcjpwYXNz", "Bearer ", "gk_no_scheme"]
)
def test_a_bad_authorization_header_is_a_401(client: TestClient, header: str) -> None:
    response = client.get("/v1/queues", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.fixture
def session(client: TestClient, container: Container) -> str:
    """Sign a reviewer in on the client; returns the session's CSRF token."""
    person = container.access.create_user("rev@example.com", Role.REVIEWER, PASSWORD, actor="test")
    codec = SessionCodec("test", container.settings.session_max_age_seconds)
    cookie, signed_in = codec.issue(person.id)
    client.cookies.set(SESSION_COOKIE, cookie)
    return codec.csrf_token(signed_in)


@pytest.fixture
def case_id(client: TestClient, container: Container, auth: Any, event: Any) -> str:
    client.post("/v1/events", json=event(), headers=auth(Role.INGEST))
    container.dispatcher.run_once()
    return str(client.get("/v1/cases", headers=auth(Role.VIEWER)).json()["cases"][0]["id"])


def test_a_session_cookie_reads_without_a_csrf_token(client: TestClient, session: str) -> None:
    assert client.get("/v1/queues").status_code == 200


def test_a_cookie_session_write_without_the_csrf_token_is_refused(
    client: TestClient, session: str, case_id: str
) -> None:
    missing = client.post(f"/v1/cases/{case_id}/claim")
    wrong = client.post(f"/v1/cases/{case_id}/claim", headers={CSRF_HEADER: "0" * 64})

    for response in (missing, wrong):
        assert response.status_code == 403
        assert response.json()["error"]["field"] == CSRF_HEADER
    case = client.get(f"/v1/cases/{case_id}").json()["case"]
    assert case["status"] == "open"


def test_a_cookie_session_write_with_the_csrf_token_goes_through(
    client: TestClient, session: str, case_id: str
) -> None:
    response = client.post(f"/v1/cases/{case_id}/claim", headers={CSRF_HEADER: session})

    assert response.status_code == 200
    assert response.json()["status"] == "claimed"


@pytest.mark.parametrize("cookie", ["forged", ""])
def test_a_forged_session_cookie_is_a_401(client: TestClient, cookie: str) -> None:
    client.cookies.set(SESSION_COOKIE, cookie)

    assert client.get("/v1/queues").status_code == 401


def test_a_session_signed_with_another_key_is_a_401(
    client: TestClient, container: Container
) -> None:
    person = container.access.create_user("v@example.com", Role.VIEWER, PASSWORD, actor="test")
    cookie, _ = SessionCodec("another key", 3600).issue(person.id)
    client.cookies.set(SESSION_COOKIE, cookie)

    assert client.get("/v1/queues").status_code == 401


def test_no_warning_is_raised_building_many_apps() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first, second = _app(), _app()
    assert first.state.web.metrics.registry is not second.state.web.metrics.registry
