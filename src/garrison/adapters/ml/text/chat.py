"""A `ChatClient` for any OpenAI-compatible chat completions endpoint, over httpx."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from garrison.services.judge import ChatReply, JudgeFailed


class HttpChatClient:
    """POST `{base_url}/chat/completions` with temperature 0 and a JSON response format."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 10.0,
        json_mode: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )
        self._json_mode = json_mode

    def complete(self, messages: Sequence[Mapping[str, str]], model: str) -> ChatReply:
        body: dict[str, Any] = {"model": model, "messages": list(messages), "temperature": 0}
        if self._json_mode:
            body["response_format"] = {"type": "json_object"}
        try:
            response = self._http.post("/chat/completions", json=body)
        except httpx.TimeoutException:
            raise JudgeFailed("the judge timed out", field="judge") from None
        except httpx.HTTPError as error:
            raise JudgeFailed(f"the judge is unreachable: {error}", field="judge") from None
        if response.status_code != 200:
            raise JudgeFailed(f"the judge answered HTTP {response.status_code}", field="judge")
        return _reply(response)

    def close(self) -> None:
        self._http.close()


def _reply(response: httpx.Response) -> ChatReply:
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
        usage = data.get("usage") or {}
    except (ValueError, KeyError, IndexError, TypeError):
        raise JudgeFailed("the judge answered no chat completion", field="judge") from None
    if not isinstance(content, str):
        raise JudgeFailed("the judge answered no text", field="judge")
    return ChatReply(
        content,
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
    )
