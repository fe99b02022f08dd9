"""`garrison demo`: a running Garrison with accounts and live traffic, in one command.

Migrates a SQLite database under ./var (unless GARRISON_DATABASE_URL is set), makes sure the
demo accounts exist, serves the app, feeds it with the traffic simulator and prints how to log in.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from sqlalchemy.engine import make_url

from garrison import bootstrap
from garrison.config import Settings
from garrison.entrypoints.cli.demo_accounts import (
    ADMIN_EMAIL,
    REVIEWER_EMAIL,
    DemoAccounts,
    ensure_accounts,
)
from garrison.entrypoints.cli.demo_processes import (
    ServerThread,
    require_free_port,
    simulator_available,
    start_simulator,
    stop_process,
)
from garrison.entrypoints.cli.environment import (
    configure_logging,
    load_settings,
    open_container,
    stop_on_signals,
)
from garrison.entrypoints.cli.errors import FAILURE_EXIT, print_error

DEMO_DATABASE_URL = "sqlite:///./var/demo.db"
CREDENTIALS_PATH = Path("var/demo-credentials.txt")
SIMULATOR_LOG = Path("var/demo-simulator.log")
HOST = "127.0.0.1"


def demo_settings() -> Settings:
    """The environment's settings, with the demo database and quiet logs unless those are set."""
    overrides: dict[str, str] = {}
    if "GARRISON_DATABASE_URL" not in os.environ:
        overrides["database_url"] = DEMO_DATABASE_URL
    if "GARRISON_LOG_LEVEL" not in os.environ:
        overrides["log_level"] = "WARNING"
    return load_settings(**overrides)


def banner(url: str, accounts: DemoAccounts, settings: Settings, traffic: str) -> Panel:
    rows = Table.grid(padding=(0, 2))
    rows.add_row("Console", f"{url}/")
    rows.add_row("Admin", f"{ADMIN_EMAIL}  password {accounts.admin_password}")
    rows.add_row("Reviewer", f"{REVIEWER_EMAIL}  password {accounts.reviewer_password}")
    rows.add_row("Ingest API key", accounts.api_key)
    rows.add_row("API docs", f"{url}/docs  (Authorization: Bearer <key>)")
    rows.add_row("Traffic", traffic)
    rows.add_row("Database", make_url(settings.database_url).render_as_string(hide_password=True))
    rows.add_row("Credentials", str(CREDENTIALS_PATH))
    rows.add_row("Stop", "press Ctrl-C")
    return Panel(rows, title="Garrison demo is running", expand=False, border_style="green")


def _watch(
    server: ServerThread, simulator: subprocess.Popen[bytes] | None, stop: threading.Event
) -> None:
    """Block until `stop` is set (Ctrl-C, SIGTERM); say so once if the simulator ends early."""
    reported = False
    while not stop.wait(1.0):
        if not server.alive:
            print_error("the web server stopped")
            raise typer.Exit(FAILURE_EXIT)
        if simulator is not None and simulator.poll() is not None and not reported:
            reported = True
            typer.echo(f"simulator ended (exit {simulator.returncode}); see {SIMULATOR_LOG}")


def _start_traffic(
    url: str, api_key: str, rate: float, seed: int
) -> subprocess.Popen[bytes] | None:
    if not simulator_available():
        return None
    return start_simulator(url, api_key, rate=rate, seed=seed, log_path=SIMULATOR_LOG)


def _traffic(simulator: subprocess.Popen[bytes] | None, rate: float, seed: int) -> str:
    if simulator is None:
        return "no simulator installed (garrison simulate): send events yourself"
    return f"simulator, {rate:g} events/s, seed {seed}, log {SIMULATOR_LOG}"


def demo(
    seed: Annotated[int, typer.Option(help="Seed of the simulated traffic.")] = 7,
    rate: Annotated[float, typer.Option(help="Simulated events per second.", min=0.1)] = 10.0,
    port: Annotated[int, typer.Option(help="Port to serve on (127.0.0.1).", min=1)] = 8000,
) -> None:
    """Run a demo: database, accounts, web server and live simulated traffic. Ctrl-C stops it."""
    settings = demo_settings()
    configure_logging(settings)
    require_free_port(HOST, port)
    bootstrap.migrate(settings)
    with open_container(settings) as container:
        accounts = ensure_accounts(container, CREDENTIALS_PATH)
        server = ServerThread(container, HOST, port)
        simulator: subprocess.Popen[bytes] | None = None
        stop = threading.Event()
        server.start()
        with stop_on_signals(stop):
            try:
                if server.wait_ready(stop):
                    simulator = _start_traffic(server.url, accounts.api_key, rate, seed)
                    Console(soft_wrap=True).print(
                        banner(server.url, accounts, settings, _traffic(simulator, rate, seed))
                    )
                    _watch(server, simulator, stop)
            finally:
                if simulator is not None:
                    stop_process(simulator)
                server.stop()
    typer.echo("demo stopped")
