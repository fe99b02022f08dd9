"""The worker's watch jobs: trend scans every interval, the weekly report once at its hour."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import bootstrap
from garrison.config import Settings
from garrison.entrypoints.watch_jobs import WatchJobs, start_watch_jobs

MONDAY_7AM = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def test_scans_every_interval_and_writes_the_weekly_report_once(tmp_path: Path) -> None:
    clock = ManualClock(MONDAY_7AM)
    settings = Settings(
        database_url="memory://",
        secret_key="t",
        report_dir=tmp_path,
        report_weekly_day=0,
        report_weekly_hour=6,
        trends_interval_seconds=600,
    )
    container = bootstrap(
        settings,
        store=MemoryStore(),
        clock=clock,
        ids=SequentialIds(),
        transport=RecordingTransport(),
    )
    jobs = WatchJobs(container)
    ran = jobs.run_due()
    report = tmp_path / "weekly-2026-01-05.html"
    assert ran == ["trends", f"weekly report {report}"]
    assert report.read_text().startswith("<!doctype html>")
    assert jobs.run_due() == []
    clock.advance(601)
    assert jobs.run_due() == ["trends"]


def test_off_by_settings_and_once_runs_in_the_foreground(tmp_path: Path) -> None:
    settings = Settings(database_url="memory://", secret_key="t", trends_interval_seconds=0)
    container = bootstrap(settings, store=MemoryStore(), clock=ManualClock(MONDAY_7AM))
    assert WatchJobs(container).run_due() == []
    assert start_watch_jobs(container, threading.Event(), once=True) is None
    stop = threading.Event()
    thread = start_watch_jobs(container, stop)
    assert thread is not None and thread.is_alive()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
