"""Browser tests: a real uvicorn server over a migrated SQLite database, driven by Chromium.

Playwright's own browser downloads are never used (`playwright install` is not needed): tests
launch `/usr/bin/chromium`. Without it they skip locally and fail in CI (`CI` set). A failing
test leaves a screenshot; its path is printed in the failure report.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from browser_world import ADMIN, REVIEWER, LiveServer, build_app, build_container, serve
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path(os.environ.get("GARRISON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(
    os.environ.get("GARRISON_BROWSER_ARTIFACTS", Path(tempfile.gettempdir()) / "garrison-browser")
)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One seeded server for the whole session (seeding runs the simulator through ingest)."""
    container = build_container(tmp_path_factory.mktemp("garrison"))
    try:
        with serve(build_app(container)) as url:
            yield LiveServer(url, container, {"reviewer": REVIEWER, "admin": ADMIN})
    finally:
        container.close()


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1360, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    opened = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and isinstance(opened, Page):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{item.name}.png"
        opened.screenshot(path=str(path), full_page=True)
        report.sections.append(("browser", f"screenshot: {path}\nurl: {opened.url}"))
    return report
