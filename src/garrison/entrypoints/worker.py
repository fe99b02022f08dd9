"""The worker process: runs the dispatcher in a loop, apart from the web server.

Each pass performs planned actions and sends due webhooks, and a busy pass is logged as one JSON
line (with JSON logging on). A busy pass is followed at once by another, to drain a backlog; an
idle one waits `interval` seconds. Setting `stop` ends the loop after the current pass, so SIGINT
and SIGTERM never cut a transaction in half.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import OperationalError

from garrison.bootstrap import Container
from garrison.services.dispatch import DispatchReport

log = logging.getLogger("garrison.worker")


def log_report(report: DispatchReport) -> None:
    """One line per busy pass with its counts; one warning per dead-lettered webhook."""
    log.info(
        "dispatch pass: %d performed, %d delivered, %d retried, %d dead",
        report.performed,
        report.delivered,
        report.retried,
        report.dead,
        extra={
            "performed": report.performed,
            "cases_opened": report.cases_opened,
            "delivered": report.delivered,
            "retried": report.retried,
            "dead": report.dead,
        },
    )
    for error in report.errors:
        log.warning("webhook dead-lettered: %s", error)


def run_worker(
    container: Container, interval: float, stop: threading.Event, *, once: bool = False
) -> int:
    """Dispatch until `stop` is set, or with `once` until nothing is due; return the busy passes.

    A database outage is logged and retried after `interval` (with `once` it is raised).
    """
    busy_passes = 0
    while not stop.is_set():
        try:
            report = container.dispatcher.run_once()
        except OperationalError as error:
            if once:
                raise
            log.warning("dispatch pass failed, retrying: %s", error.orig or error)
            stop.wait(interval)
            continue
        if report.busy:
            busy_passes += 1
            log_report(report)
        elif once:
            break
        else:
            stop.wait(interval)
    return busy_passes
