"""The models page in Chromium: an admin promotes a shadow version from the Models link."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from browser_world import ADMIN, LiveServer
from playwright.sync_api import Page, expect
from test_console_browser import sign_in, snapshot

from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular

pytestmark = pytest.mark.browser


def test_an_admin_promotes_a_model_and_reads_its_drift(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    rng = np.random.default_rng(2)
    amount = rng.lognormal(3, 1, 1500)
    frame = pl.DataFrame(
        {"attr.amount_usd": amount, "bad": (amount > np.quantile(amount, 0.96)).astype(int)}
    )
    train_tabular(frame, TrainingOptions("bad", max_rounds=30)).save(tmp_path / "m")
    registered = server.container.models.register("browser_amount", str(tmp_path / "m"), actor="t")

    sign_in(page, ADMIN)
    page.get_by_role("link", name="Models", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Models")
    row = page.locator(f'tr[data-model="{registered.key}"]')
    expect(row).to_contain_text("shadow")
    snapshot(page, "models")
    row.get_by_role("button", name="Promote").click()
    expect(page.locator(f'tr[data-model="{registered.key}"]')).to_contain_text("live")

    page.get_by_role("link", name="browser_amount").first.click()
    expect(page.locator('tr[data-quantity="score"]')).to_be_visible()
