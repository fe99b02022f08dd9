"""The dispatcher inside the web server: a daemon thread that runs it every few moments.

Used when `dispatch_in_server` is on (the default for a single process); `garrison worker` runs
the same loop as a process of its own. A failed run is logged and the loop carries on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from garrison.bootstrap import Container
from garrison.services.dispatch import DispatchReport

MIN_INTERVAL_SECONDS = 0.01
logger = logging.getLogger("garrison.dispatch")


class DispatchLoop:
    """Calls `run_once` until stopped; right away again while there is work, else after a pause."""

    def __init__(self, run_once: Callable[[], DispatchReport], interval_seconds: float) -> None:
        self._run_once = run_once
        self._interval = max(MIN_INTERVAL_SECONDS, interval_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0
        self.failures = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="garrison-dispatch", daemon=True)
        self._thread.start()

    def stop(self, timeout_seconds: float = 10.0) -> None:
        """Ask the loop to stop and wait for the run in progress to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_seconds)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._tick():
                self._stop.wait(self._interval)

    def _tick(self) -> bool:
        """One run; whether it found work (so the next should not wait)."""
        self.runs += 1
        try:
            report = self._run_once()
        except Exception:
            self.failures += 1
            logger.exception("dispatcher run failed")
            return False
        if report.errors:
            logger.warning(
                "dispatcher run had %d failed deliveries",
                len(report.errors),
                extra={"performed": report.performed, "dead": report.dead},
            )
        return report.busy


def lifespan_for(
    container: Container,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: start the dispatch loop (when configured) and stop it on shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = container.settings
        loop = DispatchLoop(container.dispatcher.run_once, settings.dispatch_interval_seconds)
        app.state.dispatch_loop = loop
        if settings.dispatch_in_server:
            loop.start()
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(loop.stop)

    return lifespan
