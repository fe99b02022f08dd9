"""The worker's periodic watch jobs: trend detection every `trends_interval_seconds`, and the
weekly operations report at `report_weekly_day`/`report_weekly_hour` (UTC) into `report_dir`.

`start_watch_jobs` runs them in a background thread of `garrison worker` until `stop` is set
(with `--once`, one pass in the foreground). A failed job is logged and tried again next tick.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path

from garrison.adapters.report_html import render_weekly
from garrison.bootstrap import Container
from garrison.domain.errors import GarrisonError

log = logging.getLogger("garrison.worker.watch")
TICK_SECONDS = 30.0


def weekly_report_path(folder: Path, until: datetime) -> Path:
    return folder / f"weekly-{until:%Y-%m-%d}.html"


class WatchJobs:
    def __init__(self, container: Container) -> None:
        self._container = container
        self._last_scan: datetime | None = None

    def run_due(self) -> list[str]:
        """Run every job that is due now; the names of those that ran."""
        ran = []
        if self._scan_due():
            report = self._container.watch.trends.scan()
            self._last_scan = self._container.clock.now()
            log.info("trend scan: %d raised, %d extended", len(report.raised), len(report.extended))
            ran.append("trends")
        written = self._weekly_due()
        if written is not None:
            ran.append(f"weekly report {written}")
        return ran

    def _scan_due(self) -> bool:
        interval = self._container.settings.trends_interval_seconds
        if interval <= 0:
            return False
        now = self._container.clock.now()
        return self._last_scan is None or now - self._last_scan >= timedelta(seconds=interval)

    def _weekly_due(self) -> Path | None:
        settings = self._container.settings
        now = self._container.clock.now()
        folder = settings.report_dir
        if folder is None or now.weekday() != settings.report_weekly_day:
            return None
        if now.hour < settings.report_weekly_hour:
            return None
        until = now.replace(hour=0, minute=0, second=0, microsecond=0)
        path = weekly_report_path(folder, until)
        if path.exists():
            return None
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(render_weekly(self._container.watch.reports.weekly(until)))
        log.info("weekly report written to %s", path)
        return path


def _loop(jobs: WatchJobs, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            jobs.run_due()
        except (GarrisonError, OSError) as error:
            log.warning("watch job failed, retrying next tick: %s", error)
        stop.wait(TICK_SECONDS)


def start_watch_jobs(
    container: Container, stop: threading.Event, *, once: bool = False
) -> threading.Thread | None:
    """Run the watch jobs: in a daemon thread until `stop`, or one pass now with `once`."""
    jobs = WatchJobs(container)
    if once:
        jobs.run_due()
        return None
    thread = threading.Thread(target=_loop, args=(jobs, stop), name="watch-jobs", daemon=True)
    thread.start()
    return thread
