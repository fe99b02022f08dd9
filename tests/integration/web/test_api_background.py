"""The dispatcher inside the server: it runs with the app, survives failures and stops with it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app
from garrison.entrypoints.web.background import DispatchLoop
from garrison.services.dispatch import DispatchReport

WAIT_SECONDS = 5.0


def _eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def test_the_server_dispatches_in_the_background_and_stops_on_shutdown(
    make_container: Callable[..., Container], event: Any
) -> None:
    container = make_container(dispatch_in_server=True, dispatch_interval_seconds=0.01)
    viewer = container.access.create_api_key("v", Role.VIEWER, actor="test").key
    ingest = container.access.create_api_key("i", Role.INGEST, actor="test").key
    app = create_app(container)

    with TestClient(app) as client:
        loop = app.state.dispatch_loop
        assert loop.running
        client.post("/v1/events", json=event(), headers={"Authorization": f"Bearer {ingest}"})

        def case_opened() -> bool:
            listed = client.get("/v1/cases", headers={"Authorization": f"Bearer {viewer}"})
            return bool(listed.json()["cases"])

        assert _eventually(case_opened)

    assert not loop.running


def test_the_dispatcher_stays_off_when_a_worker_runs_it(container: Container) -> None:
    app = create_app(container)

    with TestClient(app):
        assert not app.state.dispatch_loop.running


def test_a_failing_run_is_logged_and_the_loop_carries_on() -> None:
    calls = 0
    recovered = threading.Event()

    def run_once() -> DispatchReport:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise ConnectionError("database is down")
        recovered.set()
        return DispatchReport()

    loop = DispatchLoop(run_once, interval_seconds=0.01)
    loop.start()
    try:
        assert recovered.wait(WAIT_SECONDS)
    finally:
        loop.stop()

    assert loop.failures == 2
    assert not loop.running


def test_a_busy_run_is_followed_at_once_by_the_next() -> None:
    reports = [DispatchReport(performed=1), DispatchReport(performed=1), DispatchReport()]
    done = threading.Event()

    def run_once() -> DispatchReport:
        if len(reports) == 1:
            done.set()
        return reports.pop(0) if len(reports) > 1 else reports[0]

    loop = DispatchLoop(run_once, interval_seconds=60)
    started = time.monotonic()
    loop.start()
    try:
        assert done.wait(WAIT_SECONDS)
    finally:
        loop.stop()

    assert time.monotonic() - started < WAIT_SECONDS
    assert loop.runs >= 3
