"""What the demo runs: the web server in a thread of this process, the simulator as a child."""

from __future__ import annotations

import errno
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from garrison.bootstrap import Container
from garrison.domain.errors import Conflict, GarrisonError

SIMULATE_MODULE = "garrison.entrypoints.cli.simulate"
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


def require_free_port(host: str, port: int) -> None:
    """Fail early and clearly when something already listens on the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise Conflict(f"port {port} is already in use; pass --port", field="port") from None


class ServerThread:
    """uvicorn serving the app in a background thread; `stop` asks it to finish and waits."""

    def __init__(self, container: Container, host: str, port: int) -> None:
        from garrison.entrypoints.web.app import create_app

        config = uvicorn.Config(
            create_app(container),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="garrison-server")
        self.url = f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait_ready(self, stop: threading.Event, timeout: float = READY_TIMEOUT_SECONDS) -> bool:
        """Poll /readyz until it answers 200 (True) or `stop` is set (False).

        Fails if the server dies or takes longer than `timeout`.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise GarrisonError(f"the web server stopped while starting on {self.url}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1.0).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            if stop.wait(0.2):
                return False
        raise GarrisonError(f"the web server was not ready within {timeout:.0f} s")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT_SECONDS)


def simulator_available() -> bool:
    return importlib.util.find_spec(SIMULATE_MODULE) is not None


def start_simulator(
    target: str, api_key: str, *, rate: float, seed: int, log_path: Path
) -> subprocess.Popen[bytes]:
    """`garrison simulate` in its own session (Ctrl-C reaches only us), output to `log_path`.

    The key travels in the environment (GARRISON_API_KEY), not on the command line, which
    other local users can read.
    """
    command = [
        sys.executable,
        "-m",
        "garrison.entrypoints.cli.main",
        "simulate",
        "--target",
        target,
        "--rate",
        str(rate),
        "--duration",
        "4h",
        "--backfill",
        "20m",
        "--seed",
        str(seed),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "GARRISON_API_KEY": api_key},
        )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not exited within the timeout."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
