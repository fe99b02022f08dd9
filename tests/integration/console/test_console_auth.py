"""Signing in and out, redirects for anonymous visitors, and CSRF refusals."""

from __future__ import annotations

from console_world import PASSWORD, TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.cases import CaseStatus
from garrison.entrypoints.web.sessions import SESSION_COOKIE


def test_login_sets_a_protected_session_cookie_and_redirects(
    client: TestClient, container: Container
) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)

    response = sign_in(client, "Ana@Example.com")

    assert response.status_code == 303
    assert response.headers["location"] == "/queues"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie
    page = client.get("/queues")
    assert page.status_code == 200
    assert "ana@example.com" in page.text
    assert "reviewer" in page.text


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: TestClient, container: Container
) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)

    wrong = sign_in(client, "ana@example.com", "not the password")
    unknown = sign_in(client, "nobody@example.com", PASSWORD)

    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Wrong email or password." in response.text
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert 'value="ana@example.com"' in wrong.text
    assert client.get("/queues").status_code == 303


def test_login_form_without_its_token_is_refused(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)

    response = client.post("/login", data={"email": "ana@example.com", "password": PASSWORD})

    assert response.status_code == 403
    assert "expired" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_anonymous_pages_redirect_to_login_and_come_back(
    client: TestClient, container: Container
) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)

    page = client.get("/queues/fraud?status=open")
    htmx = client.post("/cases/cas_x/claim", headers={"HX-Request": "true"})

    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fqueues%2Ffraud%3Fstatus%3Dopen"
    assert htmx.headers["HX-Redirect"] == "/login"
    form = client.get("/login?next=/queues/fraud")
    assert 'name="next" value="/queues/fraud"' in form.text
    signed_in = client.post(
        "/login",
        data={
            "email": "ana@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_token(form.text),
            "next": "/queues/fraud",
        },
    )
    assert signed_in.headers["location"] == "/queues/fraud"


def test_login_never_redirects_off_site(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    form = client.get("/login")

    response = client.post(
        "/login",
        data={
            "email": "ana@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_token(form.text),
            "next": "//evil.example/phish",
        },
    )

    assert response.headers["location"] == "/queues"


def test_post_without_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, container: Container
) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    case = content_case(container)
    sign_in(client, "ana@example.com")

    missing = client.post(f"/cases/{case.id}/claim")
    forged = client.post(f"/cases/{case.id}/claim", data={"csrf_token": "forged"})
    logout = client.post("/logout")

    for response in (missing, forged, logout):
        assert response.status_code == 403
        assert "This form has expired" in response.text
        assert "<html" in response.text
    with container.uow() as uow:
        stored = uow.cases.get(case.id)
    assert stored is not None and stored.status is CaseStatus.OPEN
    assert client.get("/queues").status_code == 200


def test_logout_ends_the_session(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    sign_in(client, "ana@example.com")
    token = csrf_token(client.get("/queues").text)

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/queues").status_code == 303


def test_home_redirects_to_queues_and_assets_are_local(
    client: TestClient, container: Container
) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    sign_in(client, "ana@example.com")

    home = client.get("/")
    page = client.get("/queues")
    htmx = client.get("/static/vendor/htmx.min.js")
    css = client.get("/static/css/console.css")

    assert home.headers["location"] == "/queues"
    assert '<script src="/static/vendor/htmx.min.js"' in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert htmx.status_code == 200 and "htmx" in htmx.text[:200]
    assert css.status_code == 200 and "--accent" in css.text


def test_signed_in_visitors_skip_the_login_form(client: TestClient, container: Container) -> None:
    make_user(container, "ana@example.com", Role.REVIEWER)
    sign_in(client, "ana@example.com")

    response = client.get("/login?next=/queues/content")

    assert response.status_code == 303
    assert response.headers["location"] == "/queues/content"
