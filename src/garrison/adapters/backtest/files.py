"""Event files for backtests: JSON lines, optionally gzipped, in the wire format.

Each line is checked by the wire parser the caller passes (the one ingestion uses). A bad line
is reported with its number: skipped and remembered (`OnError.SKIP`), or the read stops with an
InvalidInput naming the line (`OnError.STOP`). Progress is reported in bytes read from disk.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

import orjson

from garrison.domain.errors import GarrisonError, InvalidInput
from garrison.domain.events import Event

MAX_PROBLEMS = 1000
"""Skipped lines remembered one by one; beyond that only counted."""


class OnError(StrEnum):
    SKIP = "skip"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class EventFile:
    """The events of one file, read lazily (iterate it once)."""

    def __init__(
        self,
        path: Path,
        parse: Callable[[object], Event],
        *,
        on_error: OnError = OnError.SKIP,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path = path
        self._parse = parse
        self._on_error = on_error
        self._progress = progress
        self.problems: list[LineProblem] = []
        self.skipped = 0

    @property
    def size(self) -> int:
        """Bytes on disk (what progress counts up to)."""
        return self.path.stat().st_size

    def __iter__(self) -> Iterator[Event]:
        try:
            yield from self._read()
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise InvalidInput(f"{self.path}: not a readable gzip file ({error})") from None

    def _read(self) -> Iterator[Event]:
        with self.path.open("rb") as raw:
            stream: IO[bytes] = raw
            if self.path.name.endswith(".gz"):
                stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
            reported = 0
            for number, line in enumerate(stream, start=1):
                if self._progress is not None and number % 1000 == 0:
                    position = raw.tell()
                    self._progress(position - reported)
                    reported = position
                if not line.strip():
                    continue
                event = self._event(line, number)
                if event is not None:
                    yield event
            if self._progress is not None:
                self._progress(raw.tell() - reported)

    def _event(self, line: bytes, number: int) -> Event | None:
        try:
            return self._parse(orjson.loads(line.rstrip(b"\r\n")))
        except orjson.JSONDecodeError as error:
            message = f"not valid JSON ({error})"
        except GarrisonError as error:
            field = f"{error.field}: " if error.field else ""
            message = f"{field}{error.message}"
        if self._on_error is OnError.STOP:
            raise InvalidInput(f"{self.path}:{number}: {message}", field="events")
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(LineProblem(number, message))
        return None
