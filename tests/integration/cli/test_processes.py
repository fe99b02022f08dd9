"""The real console script in subprocesses: pipes, the worker, a dead database, the demo.

Kept few because each start costs about a second.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from garrison.bootstrap import Container
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import ActionId

GARRISON = str(Path(sys.executable).parent / "garrison")


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GARRISON, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.usefixtures("migrated")
def test_piping_keys_create_through_tail_captures_the_key(container: Container) -> None:
    piped = subprocess.run(
        f"{GARRISON} keys create pipeline --role ingest | tail -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    key = piped.stdout.strip()
    assert container.access.authenticate_key(key).name == "pipeline"


@pytest.mark.usefixtures("migrated")
def test_worker_once_performs_planned_actions(container: Container) -> None:
    subject = EntityRef(EntityKind.ACCOUNT, "acct_worker")
    planned = Action(
        ActionId("act_worker_1"),
        ActionKind.ENQUEUE_REVIEW,
        subject,
        {"queue": "default"},
        ActionStatus.PLANNED,
        datetime.now(UTC),
    )
    with container.uow() as uow:
        uow.actions.add([planned])
        uow.commit()

    result = _run("worker", "--once")

    assert result.returncode == 0, result.stderr
    logged = [json.loads(line) for line in result.stderr.splitlines()]
    passes = [line for line in logged if line.get("logger") == "garrison.worker"]
    assert [line["performed"] for line in passes] == [1]
    with container.uow() as uow:
        action = uow.actions.get(planned.id)
        case = uow.cases.open_for(subject)
    assert action is not None and action.status is ActionStatus.EXECUTED
    assert case is not None


def test_unreachable_database_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GARRISON_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")

    result = _run("audit", "verify")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: database unavailable: ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_ready(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the demo exited before serving"
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the demo did not serve within a minute")


def _wait_for_banner(lines: list[str], timeout: float = 60) -> None:
    """The demo prints its banner just after it sees the server ready; wait for the banner's end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any("Ctrl-C" in line for line in lines):
            return
        time.sleep(0.1)
    pytest.fail("the demo did not print its banner within a minute")


def test_demo_serves_prints_logins_and_stops_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GARRISON_")}
    port = _free_port()
    process = subprocess.Popen(
        [GARRISON, "demo", "--port", str(port), "--rate", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    errors: list[str] = []
    # Both pipes are drained by threads of their own: `communicate` would race the stdout reader.
    readers = [
        threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, ""))),
        threading.Thread(target=lambda: errors.extend(iter(process.stderr.readline, ""))),
    ]
    for reader in readers:
        reader.start()
    try:
        _wait_ready(f"http://127.0.0.1:{port}", process)
        _wait_for_banner(lines)
        credentials = (tmp_path / "var" / "demo-credentials.txt").read_text()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        for reader in readers:
            reader.join(timeout=30)
        process.stdout.close()
        process.stderr.close()
    stdout, stderr = "".join(lines), "".join(errors)

    assert process.returncode == 0, stderr
    assert (tmp_path / "var" / "demo.db").exists()
    key = next(line for line in credentials.splitlines() if line.startswith("ingest_key="))
    assert key.removeprefix("ingest_key=") in stdout
    assert "admin@garrison.local" in stdout and "reviewer@garrison.local" in stdout
    assert stdout.rstrip().endswith("demo stopped")
