"""Where simulated events go: a JSON-lines file (optionally gzipped) or a Garrison server over HTTP.

`deliver` feeds events to a sink in batches; with a `Pacer` it sends each event when its
`occurred_at` comes round in real time, so a server sees live traffic.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol, Self

import httpx

from garrison.domain.errors import GarrisonError

Event = Mapping[str, Any]


class DeliveryRefused(GarrisonError):
    """The server refused a batch; `status` and the server's `body` say why."""

    code = "delivery_refused"

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"the server refused the events (HTTP {status}): {body}", field="target")
        self.status = status
        self.body = body


class DeliveryFailed(GarrisonError):
    """The server could not be reached, or kept failing, after every retry."""

    code = "delivery_failed"


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    conflicts: int = 0
    """Events the server already had with another body (HTTP 409): reported, not fatal."""
    rejected: int = 0
    """Events the server refused one by one inside an accepted batch."""
    first_rejection: str = ""


class Sink(Protocol):
    def send(self, batch: Sequence[Event]) -> None: ...


class FileSink:
    """JSON lines, gzipped when the name ends in `.gz`. Gzip headers carry no time or name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.report = DeliveryReport()
        self._raw = path.open("wb")
        self._out: IO[bytes] | gzip.GzipFile = self._raw
        if path.name.endswith(".gz"):
            self._out = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)

    def send(self, batch: Sequence[Event]) -> None:
        lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in batch]
        self._out.write(("\n".join(lines) + "\n").encode())
        self.report.sent += len(batch)

    def close(self) -> None:
        if self._out is not self._raw:
            self._out.close()
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class HttpSink:
    """Posts batches to `{target}/v1/events/batch` as `{"events": [...]}` with a bearer API key.

    Connection errors, 429 and 5xx are retried with exponential backoff; 409 is counted as a
    conflict; other 4xx raise `DeliveryRefused` with the server's error body.
    """

    def __init__(
        self,
        target: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        retries: int = 5,
        timeout_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = target.rstrip("/") + "/v1/events/batch"
        self.report = DeliveryReport()
        self._retries = retries
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"}
        self._client = httpx.Client(headers=headers, transport=transport, timeout=timeout_s)

    def send(self, batch: Sequence[Event]) -> None:
        response = self._post({"events": list(batch)})
        if response.status_code == 409:
            self.report.conflicts += len(batch)
            return
        if not response.is_success:
            raise DeliveryRefused(response.status_code, response.text[:2000])
        conflicts, rejected, first = _item_failures(response)
        self.report.sent += len(batch) - conflicts - rejected
        self.report.conflicts += conflicts
        self.report.rejected += rejected
        self.report.first_rejection = self.report.first_rejection or first

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        problem = ""
        for attempt in range(self._retries + 1):
            if attempt:
                self._sleep(min(8.0, 0.5 * 2 ** (attempt - 1)))
            try:
                response = self._client.post(self.url, json=body)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
                continue
            if response.status_code != 429 and response.status_code < 500:
                return response
            problem = f"HTTP {response.status_code}: {response.text[:500]}"
        raise DeliveryFailed(
            f"could not deliver to {self.url} after {self._retries + 1} tries ({problem})",
            field="target",
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _item_failures(response: httpx.Response) -> tuple[int, int, str]:
    """Per-event failures inside an accepted batch: (conflicts, other rejections, first rejection).

    Reads `{"results": [{"status": 409, "error": {"code": "conflict", ...}}, ...]}` leniently.
    """
    try:
        body = response.json()
    except ValueError:
        return 0, 0, ""
    items = body.get("results") if isinstance(body, dict) else None
    conflicts, rejected, first = 0, 0, ""
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        error, status = item.get("error"), item.get("status")
        code = error.get("code") if isinstance(error, dict) else None
        if status == 409 or code == "conflict":
            conflicts += 1
        elif error or (isinstance(status, int) and status >= 400):
            rejected += 1
            first = first or json.dumps(item)[:500]
    return conflicts, rejected, first


class Pacer:
    """Waits until each event's `occurred_at` comes round, `start` being now."""

    def __init__(
        self,
        start: datetime,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.start = start
        self.clock = clock
        self.sleep = sleep
        self._origin = clock()

    def due_in(self, event: Event) -> float:
        """Seconds until the event is due (negative when late)."""
        occurred = datetime.fromisoformat(str(event["occurred_at"]))
        return (occurred - self.start).total_seconds() - (self.clock() - self._origin)


def deliver(
    events: Iterable[Event],
    sink: Sink,
    *,
    batch_size: int = 500,
    pacer: Pacer | None = None,
    flush_after_s: float = 0.5,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Send every event in batches; returns how many were handed to the sink.

    With a pacer, a batch is sent once it is full or its oldest event has waited `flush_after_s`.
    """
    batch: list[Event] = []
    opened = 0.0
    total = 0

    def flush() -> None:
        nonlocal total
        if batch:
            sink.send(batch)
            total += len(batch)
            if on_batch is not None:
                on_batch(len(batch))
            batch.clear()

    for event in events:
        if pacer is not None:
            wait = pacer.due_in(event)
            if wait > 0:
                if batch and pacer.clock() + wait - opened >= flush_after_s:
                    flush()
                pacer.sleep(wait)
            if not batch:
                opened = pacer.clock()
        batch.append(event)
        if len(batch) >= batch_size:
            flush()
    flush()
    return total


def truth_path_for(out: Path) -> Path:
    """`traffic.jsonl` and `traffic.jsonl.gz` -> `traffic.truth.json`."""
    name = out.name
    for suffix in (".gz", ".jsonl", ".ndjson", ".json"):
        name = name.removesuffix(suffix)
    return out.with_name(f"{name or out.name}.truth.json")
