"""What every command needs from its surroundings: settings, the container, an actor, signals."""

from __future__ import annotations

import getpass
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from pydantic import ValidationError

from garrison.adapters import telemetry
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.errors import InvalidInput


def load_settings(**overrides: Any) -> Settings:
    """Settings from `GARRISON_` variables; a bad value is an expected failure, not a traceback."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        name = "_".join(str(part) for part in first["loc"]).upper()
        raise InvalidInput(f"setting GARRISON_{name}: {first['msg']}", field=name.lower()) from None


@contextmanager
def open_container(settings: Settings | None = None) -> Iterator[Container]:
    """Build the container and release its connections when the command ends."""
    container = bootstrap(settings or load_settings())
    try:
        yield container
    finally:
        container.close()


def cli_actor() -> str:
    """How the audit log names whoever runs a command: `cli:<login name>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def configure_logging(settings: Settings) -> None:
    """Logs to stderr, JSON or plain, at the configured level."""
    telemetry.configure_logging(settings.log_level, settings.log_json)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set `stop` on SIGINT or SIGTERM instead of raising; the old handlers come back after."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
