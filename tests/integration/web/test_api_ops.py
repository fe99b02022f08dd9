"""Operational endpoints, the error shape for routing and unexpected failures, metrics and logs."""

from __future__ import annotations

import dataclasses
import logging
from importlib.metadata import version
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from garrison.adapters.telemetry import JsonFormatter
from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.entrypoints.web.app import create_app
from garrison.services.unit_of_work import UnitOfWork


class BrokenStore:
    def uow(self) -> UnitOfWork:
        raise ConnectionError("database is down")


def test_healthz_and_readyz_answer_without_credentials(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}


def test_readyz_is_503_when_storage_does_not_answer(container: Container) -> None:
    broken = dataclasses.replace(container, store=BrokenStore())

    response = TestClient(create_app(broken)).get("/readyz")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"


def test_openapi_names_the_product_and_its_version(client: TestClient) -> None:
    info = client.get("/openapi.json").json()["info"]

    assert info["title"] == "Garrison"
    assert info["version"] == version("garrison")


def test_an_unknown_api_route_is_a_404_in_the_error_shape(client: TestClient, auth: Any) -> None:
    response = client.get("/v1/nothing/here", headers=auth(Role.ADMIN))

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "no such route", "field": None}
    }


def test_a_wrong_method_on_an_api_route_is_a_405_in_the_error_shape(client: TestClient) -> None:
    response = client.delete("/v1/queues")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unexpected_exception_is_a_logged_500_without_a_traceback(
    app: FastAPI, auth: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def explode() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/v1/explode", explode)
    client = TestClient(app)

    with caplog.at_level(logging.ERROR, logger="garrison.web.request"):
        response = client.get("/v1/explode")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    [logged] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged.exc_info is not None
    assert getattr(logged, "route", None) == "/v1/explode"


def test_metrics_count_requests_by_route_template_and_decisions_by_verdict(
    client: TestClient, auth: Any, event: Any
) -> None:
    headers = auth(Role.INGEST)
    client.post("/v1/events", json=event(), headers=headers)
    client.post("/v1/events", json=event(), headers=headers)
    client.post("/v1/events", json=event("evt_2", type="account.login"), headers=headers)
    client.post("/v1/events", json=event("evt_3", occurred_at="soon"), headers=headers)
    client.get("/v1/cases/case_x", headers=auth(Role.REVIEWER))

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'garrison_http_requests_total{method="POST",route="/v1/events",status="200"} 3.0' in text
    assert 'garrison_http_requests_total{method="POST",route="/v1/events",status="422"} 1.0' in text
    assert 'route="/v1/cases/{case_id}",status="404"' in text
    assert "case_x" not in text
    assert 'garrison_http_request_duration_seconds_bucket{le="0.005",method="POST"' in text
    assert 'garrison_decisions_total{verdict="review"} 1.0' in text
    assert 'garrison_decisions_total{verdict="allow"} 1.0' in text
    assert 'garrison_ingest_events_total{result="decided"} 2.0' in text
    assert 'garrison_ingest_events_total{result="replayed"} 1.0' in text
    assert 'garrison_ingest_events_total{result="rejected"} 1.0' in text


def test_request_logs_carry_the_route_template_and_no_personal_data(
    client: TestClient, auth: Any, event: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = event(entities={"email": "victim@example.com", "ip": "198.51.100.77"})

    with caplog.at_level(logging.INFO, logger="garrison.web.request"):
        client.post(
            "/v1/events?who=victim@example.com",
            json=body,
            headers={**auth(Role.INGEST), "X-Forwarded-For": "198.51.100.77"},
        )

    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "garrison.web.request"]
    assert len(lines) == 1
    assert '"route":"/v1/events"' in lines[0]
    assert '"status":200' in lines[0]
    assert '"duration_ms":' in lines[0]
    assert "victim@example.com" not in lines[0]
    assert "198.51.100.77" not in lines[0]
    assert "testclient" not in lines[0]
