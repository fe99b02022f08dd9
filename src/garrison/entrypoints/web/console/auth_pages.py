"""Signing in and out of the console."""

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from garrison.domain.errors import Unauthenticated
from garrison.entrypoints.web.console.context import Console
from garrison.entrypoints.web.console.routing import safe_next
from garrison.entrypoints.web.console.viewer import LoginRequired
from garrison.entrypoints.web.sessions import SESSION_COOKIE

LOGIN_CSRF_COOKIE = "garrison_login_csrf"
"""Before a session exists, the login form is protected by a double-submit token."""

WRONG_CREDENTIALS = "Wrong email or password."
EXPIRED_FORM = "The sign-in form expired. Please try again."


def router(console: Console) -> APIRouter:
    routes = console.router()
    settings = console.container.settings

    def login_form(
        request: Request,
        *,
        email: str = "",
        next_path: str = "",
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        token = secrets.token_urlsafe(24)
        context = {"email": email, "next": next_path, "error": error, "login_csrf": token}
        response = console.pages.render(
            request, "pages/login.html", context, status_code=status_code
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            path="/login",
            httponly=True,
            samesite="strict",
            secure=settings.cookie_secure,
        )
        return response

    @routes.get("/login")
    def show_login(
        request: Request, next_path: Annotated[str, Query(alias="next")] = ""
    ) -> Response:
        try:
            console.gate.viewer(request)
        except LoginRequired:
            return login_form(request, next_path=next_path)
        return RedirectResponse(safe_next(next_path), status_code=303)

    @routes.post("/login")
    def login(
        request: Request,
        email: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next_path: Annotated[str, Form(alias="next")] = "",
    ) -> Response:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(expected, csrf_token):
            return login_form(
                request, email=email, next_path=next_path, error=EXPIRED_FORM, status_code=403
            )
        try:
            principal = console.container.access.login(email, password)
        except Unauthenticated:
            return login_form(
                request,
                email=email,
                next_path=next_path,
                error=WRONG_CREDENTIALS,
                status_code=401,
            )
        cookie, _ = console.gate.codec.issue(principal.id)
        response = RedirectResponse(safe_next(next_path), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=settings.session_max_age_seconds,
            path="/",
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @routes.post("/logout", dependencies=[Depends(console.gate.writer)])
    def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return routes
