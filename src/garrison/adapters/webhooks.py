"""Webhook transport over HTTP with httpx."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from garrison.services.ports import TransportError


class HttpxTransport:
    def __init__(self, timeout_seconds: float, client: httpx.Client | None = None) -> None:
        self._client = client or httpx.Client(timeout=timeout_seconds)

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        try:
            response = self._client.post(url, content=body, headers=dict(headers))
        except httpx.HTTPError as error:
            raise TransportError(f"{type(error).__name__}: {error}") from error
        return response.status_code

    def close(self) -> None:
        self._client.close()
