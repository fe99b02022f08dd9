"""`POST /v1/moderations` with a small trained model, through HTTP and the official client."""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from conftest import memory_container
from starlette.testclient import TestClient

from garrison.adapters.ml.text.corpus import read_corpus
from garrison.adapters.ml.text.training import TrainingOptions, train_text_model
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app

SEXUAL = ["explicit sexual roleplay now", "nude sexual photos for sale", "erotic sexual chat"]
NEUTRAL = ["the weather is mild", "our meeting moved", "I baked bread", "the train was late"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("text")
    rng = random.Random(3)
    rows = []
    for i in range(80):
        text = rng.choice(NEUTRAL) + " " + rng.choice(NEUTRAL)
        positive = i % 3 == 0
        rows.append(
            {"t": rng.choice(SEXUAL) + " " + text if positive else text, "S": int(positive)}
        )
    (root / "d.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    corpus = read_corpus(root / "d.jsonl", "t", ["S"])
    train_text_model(corpus, TrainingOptions("t", blocks=("chars",), target_precision=0.8)).save(
        root / "model"
    )
    return root / "model"


def _client(model_dir: Path | None) -> tuple[TestClient, dict[str, str]]:
    container = memory_container(text_model_dir=model_dir)
    key = container.access.create_api_key("k", Role.INGEST, actor="test").key
    return TestClient(create_app(container)), {"Authorization": f"Bearer {key}"}


def test_openai_shape(model_dir: Path) -> None:
    client, headers = _client(model_dir)
    body = {"input": ["explicit sexual roleplay now please", "I baked bread"]}
    response = client.post("/v1/moderations", json=body, headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["id"].startswith("modr-") and data["model"].startswith("garrison-text")
    first, second = data["results"]
    assert first["flagged"] and first["categories"]["sexual"]
    assert first["category_scores"]["sexual"] > second["category_scores"]["sexual"]
    assert not second["flagged"] and "self-harm/instructions" in second["categories"]
    one = client.post("/v1/moderations", json={"input": "hello"}, headers=headers)
    assert len(one.json()["results"]) == 1


def test_errors(model_dir: Path) -> None:
    client, headers = _client(model_dir)
    assert client.post("/v1/moderations", json={"input": "x"}).status_code == 401
    empty = client.post("/v1/moderations", json={"input": []}, headers=headers)
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "input"
    image = {"input": [{"type": "image_url", "image_url": {"url": "x"}}]}
    assert client.post("/v1/moderations", json=image, headers=headers).status_code == 422
    bare, bare_headers = _client(None)
    none = bare.post("/v1/moderations", json={"input": "x"}, headers=bare_headers)
    assert none.status_code == 503 and none.json()["error"]["code"] == "model_unavailable"
    broken, broken_headers = _client(model_dir.parent)
    corrupt = broken.post("/v1/moderations", json={"input": "x"}, headers=broken_headers)
    assert corrupt.status_code == 503 and "cannot be loaded" in corrupt.json()["error"]["message"]


@pytest.fixture
def live(model_dir: Path) -> Iterator[tuple[str, str]]:
    container = memory_container(text_model_dir=model_dir)
    key = container.access.create_api_key("k", Role.INGEST, actor="test").key
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/v1", key
    finally:
        server.should_exit = True
        thread.join(10)


def test_official_openai_client(live: tuple[str, str]) -> None:
    openai = pytest.importorskip("openai")
    base_url, key = live
    client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)
    answer = client.moderations.create(input="explicit sexual roleplay now please")
    result = answer.results[0]
    assert result.flagged and result.categories.sexual
    assert result.category_scores.sexual > 0.5
    assert result.category_scores.hate == 0.0


def test_moderations_recorded_as_events(model_dir: Path) -> None:
    from garrison.domain.entities import EntityKind, EntityRef
    from garrison.services.moderation_events import content_id

    container = memory_container(text_model_dir=model_dir, moderation_record_events=True)
    key = container.access.create_api_key("k", Role.INGEST, actor="test").key
    client = TestClient(create_app(container))
    text = "explicit sexual roleplay now please"
    body = {"input": [text, "I baked bread"]}
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post("/v1/moderations", json=body, headers=headers)
    assert response.status_code == 200, response.text
    with container.uow() as uow:
        events = uow.events.for_entity(EntityRef(EntityKind.CONTENT, content_id(text)), 10)
    assert len(events) == 1
    event = events[0]
    assert event.type == "content.submitted" and event.attributes["text"] == text
    assert event.attributes["flagged"] is True and event.attributes["category"] == "sexual"
    scores = response.json()["results"][0]["category_scores"]
    assert event.attributes["moderation_score"] == max(scores.values())
    assert event.attributes["category_scores"] == scores
    assert EntityKind.API_KEY in event.entities


def test_moderations_not_recorded_by_default(model_dir: Path) -> None:
    from garrison.domain.entities import EntityKind, EntityRef
    from garrison.services.moderation_events import content_id

    container = memory_container(text_model_dir=model_dir)
    key = container.access.create_api_key("k", Role.INGEST, actor="test").key
    client = TestClient(create_app(container))
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post("/v1/moderations", json={"input": "I baked bread"}, headers=headers)
    assert response.status_code == 200, response.text
    with container.uow() as uow:
        ref = EntityRef(EntityKind.CONTENT, content_id("I baked bread"))
        assert uow.events.for_entity(ref, 10) == []
