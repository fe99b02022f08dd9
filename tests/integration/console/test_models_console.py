"""The models page: versions with metrics, promotion for those allowed, drift of a version."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from console_world import TestClient, csrf_token, make_user, sign_in

from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.models import ModelStatus

EDITOR, VIEWER = "editor@example.test", "viewer@example.test"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(1)
    amount = rng.lognormal(3, 1, 1500)
    bad = (amount > np.quantile(amount, 0.96)).astype(int)
    directory = tmp_path_factory.mktemp("models") / "amount"
    frame = pl.DataFrame({"attr.amount_usd": amount, "bad": bad})
    train_tabular(frame, TrainingOptions("bad", max_rounds=30)).save(directory)
    return directory


def signed_in(client: TestClient, container: Container, email: str, role: Role) -> str:
    make_user(container, email, role)
    sign_in(client, email)
    return csrf_token(client.get("/queues").text)


def test_an_editor_promotes_a_shadow_version(
    client: TestClient, container: Container, model_dir: Path
) -> None:
    container.models.register("amount", str(model_dir), actor="test")
    token = signed_in(client, container, EDITOR, Role.RULES_EDITOR)
    page = client.get("/models")
    assert page.status_code == 200
    assert 'data-model="amount@1"' in page.text and "Promote" in page.text
    assert 'href="/models"' in page.text
    done = client.post("/models/amount/1/promote", data={"csrf_token": token})
    assert done.status_code == 303
    assert container.models.get("amount", 1).status is ModelStatus.LIVE
    assert "Promote" not in client.get("/models").text


def test_a_viewer_sees_versions_and_drift_but_cannot_promote(
    client: TestClient, container: Container, model_dir: Path
) -> None:
    container.models.register("amount", str(model_dir), actor="test")
    token = signed_in(client, container, VIEWER, Role.VIEWER)
    page = client.get("/models")
    assert 'data-model="amount@1"' in page.text and "Promote" not in page.text
    detail = client.get("/models/amount/1?since=24h")
    assert detail.status_code == 200
    assert (
        'data-quantity="score"' in detail.text and 'data-quantity="attr.amount_usd"' in detail.text
    )
    denied = client.post("/models/amount/1/promote", data={"csrf_token": token})
    assert denied.status_code == 403
    assert container.models.get("amount", 1).status is ModelStatus.SHADOW
