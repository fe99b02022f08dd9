"""Console pages over the in-memory store: a bare FastAPI app with only the console installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from console_world import TestClient, new_container
from fastapi import FastAPI

from garrison.bootstrap import Container
from garrison.entrypoints.web import console


@pytest.fixture
def container() -> Container:
    return new_container()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    app = FastAPI()
    console.install(app, container)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
