"""Rendering console pages: the Jinja environment, its filters, and flash messages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from garrison.domain.access import Permission
from garrison.services.ports import Clock

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
FLASH_COOKIE = "garrison_flash"


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def duration(seconds: float) -> str:
    """A short human duration: `45 s`, `12 min`, `3 h`, `2 d 4 h`."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    hours = seconds // 3600
    if hours < 48:
        return f"{hours} h"
    days, rest = divmod(hours, 24)
    return f"{days} d {rest} h" if rest else f"{days} d"


def sentence(text: str) -> str:
    """A message as a sentence: first letter upper-cased (the rest untouched), a final period."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def timestamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


class Pages:
    """Renders templates with the shared context every page needs (viewer, flash, clock)."""

    def __init__(self, clock: Clock, secret_key: str, *, cookie_secure: bool) -> None:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["duration"] = duration
        env.filters["timestamp"] = timestamp
        env.filters["sentence"] = sentence
        env.globals["Permission"] = Permission
        env.globals["since"] = lambda value: (clock.now() - value).total_seconds()
        env.globals["age"] = lambda value: duration((clock.now() - value).total_seconds())
        self.templates = Jinja2Templates(env=env)
        self._flash = URLSafeSerializer(secret_key, salt="garrison.flash")
        self._cookie_secure = cookie_secure

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        *,
        status_code: int = 200,
    ) -> HTMLResponse:
        """Render `name`; shows (and clears) a pending flash message."""
        flash = None if is_htmx(request) else self._read_flash(request)
        values = {"flash": flash, **(context or {})}
        response = self.templates.TemplateResponse(request, name, values, status_code=status_code)
        if flash is not None:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def flash(self, response: Response, message: str, *, kind: str = "success") -> None:
        """Leave a one-time message for the next page this browser renders."""
        response.set_cookie(
            FLASH_COOKIE,
            self._flash.dumps({"message": message, "kind": kind}),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self._cookie_secure,
        )

    def _read_flash(self, request: Request) -> dict[str, str] | None:
        raw = request.cookies.get(FLASH_COOKIE)
        if not raw:
            return None
        try:
            data = self._flash.loads(raw)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        return {"message": str(data.get("message", "")), "kind": str(data.get("kind", "info"))}
