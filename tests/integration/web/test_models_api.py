"""/v1/models: list, register, promote (permissioned, audited), drift and shadow scoring."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from starlette.testclient import TestClient

from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
from garrison.domain.access import Role

AuthFor = Callable[[Role], dict[str, str]]
MakeEvent = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model of `attr.amount_usd` (what events' features call it): big amounts are bad."""
    rng = np.random.default_rng(0)
    amount = rng.lognormal(3, 1, 2000)
    bad = (amount * rng.lognormal(0, 0.3, 2000) > np.quantile(amount, 0.97)).astype(int)
    frame = pl.DataFrame({"attr.amount_usd": amount, "bad": bad})
    directory = tmp_path_factory.mktemp("models") / "amount"
    train_tabular(frame, TrainingOptions("bad", max_rounds=50)).save(directory)
    return directory


def test_register_promote_and_read(client: TestClient, auth: AuthFor, model_dir: Path) -> None:
    editor = auth(Role.RULES_EDITOR)
    created = client.post(
        "/v1/models", json={"name": "amount", "artifact": str(model_dir)}, headers=editor
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "shadow"
    assert created.json()["features"] == ["attr.amount_usd"]
    promoted = client.post("/v1/models/amount/versions/1/promote", headers=editor)
    assert promoted.status_code == 200
    assert promoted.json()["status"] == "live"
    assert promoted.json()["promoted_by"].endswith("rules_editor-key")
    listed = client.get("/v1/models", headers=auth(Role.VIEWER)).json()["models"]
    assert [(m["name"], m["version"], m["status"]) for m in listed] == [("amount", 1, "live")]
    audit = client.get("/v1/audit", headers=auth(Role.ADMIN)).json()
    assert "model.promote" in str(audit)


def test_viewers_may_not_promote(client: TestClient, auth: AuthFor, model_dir: Path) -> None:
    client.post(
        "/v1/models",
        json={"name": "amount", "artifact": str(model_dir)},
        headers=auth(Role.ADMIN),
    )
    denied = client.post("/v1/models/amount/versions/1/promote", headers=auth(Role.VIEWER))
    assert denied.status_code == 403
    assert (
        client.get("/v1/models/amount/versions/1", headers=auth(Role.VIEWER)).json()["status"]
        == "shadow"
    )


def test_bad_input_names_the_field(client: TestClient, auth: AuthFor, tmp_path: Path) -> None:
    admin = auth(Role.ADMIN)
    (tmp_path / "model.json").write_text("{")
    corrupt = client.post(
        "/v1/models", json={"name": "x", "artifact": str(tmp_path)}, headers=admin
    )
    assert corrupt.status_code == 422
    assert corrupt.json()["error"]["field"] == "model"
    assert client.get("/v1/models", headers=admin).json()["models"] == []
    missing = client.get("/v1/models/x/versions/3", headers=admin)
    assert missing.status_code == 404
    bad_since = client.get("/v1/models/x/versions/3/drift?since=soon", headers=admin)
    assert bad_since.status_code == 422
    assert bad_since.json()["error"]["field"] == "since"


def test_shadow_scores_and_drift_of_recent_events(
    client: TestClient, auth: AuthFor, event: MakeEvent, model_dir: Path
) -> None:
    admin = auth(Role.ADMIN)
    client.post("/v1/models", json={"name": "amount", "artifact": str(model_dir)}, headers=admin)
    ingest = auth(Role.INGEST)
    for n in range(30):
        body = event(f"evt_{n}", attributes={"amount_usd": 5000 + n})
        assert client.post("/v1/events", json=body, headers=ingest).status_code in (200, 201)
    shadow = client.post("/v1/models/amount/versions/1/shadow?since=2d", headers=admin)
    assert shadow.status_code == 200, shadow.text
    assert shadow.json()["scored"] == 30
    assert shadow.json()["mean"] > 0.5
    drift = client.get("/v1/models/amount/versions/1/drift?since=2d", headers=admin).json()
    levels = {d["quantity"]: d["level"] for d in drift["drift"]}
    assert drift["events"] == 30
    assert levels == {"attr.amount_usd": "shifted", "score": "shifted"}
