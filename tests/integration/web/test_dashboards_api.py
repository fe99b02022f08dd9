"""Dashboards over the API: volume series, CSV exports of every metric, the weekly report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.services.dashboards import Metric

AuthFor = Callable[[Role], dict[str, str]]
MakeEvent = Callable[..., dict[str, Any]]


@pytest.fixture
def traffic(client: TestClient, container: Container, auth: AuthFor, event: MakeEvent) -> None:
    """Three chargebacks (a rule sends each to the fraud queue) and a signup from VN."""
    for n in range(3):
        body = event(f"evt_cb_{n}", entities={"account": f"acct_{n}"})
        assert client.post("/v1/events", json=body, headers=auth(Role.INGEST)).status_code == 200
    signup = event(
        "evt_su",
        type="account.signup",
        attributes={"country": "VN", "tier": "free"},
        entities={"account": "acct_9"},
    )
    assert client.post("/v1/events", json=signup, headers=auth(Role.INGEST)).status_code == 200
    container.dispatcher.run_once()  # opens the cases


@pytest.mark.usefixtures("traffic")
def test_volume_series_by_dimension(client: TestClient, auth: AuthFor) -> None:
    got = client.get("/v1/dashboards/volumes/type?days=1&bucket=1h", headers=auth(Role.VIEWER))
    assert got.status_code == 200, got.text
    series = got.json()
    assert len(series["starts"]) == 24
    assert sum(series["lines"]["payment.chargeback"]) == 3
    country = client.get("/v1/dashboards/volumes/country?days=1", headers=auth(Role.VIEWER)).json()
    assert sum(country["lines"]["VN"]) == 1


@pytest.mark.usefixtures("traffic")
@pytest.mark.parametrize("metric", list(Metric))
def test_every_metric_exports_as_csv(client: TestClient, auth: AuthFor, metric: Metric) -> None:
    got = client.get(f"/v1/dashboards/metrics/{metric}.csv?days=1", headers=auth(Role.VIEWER))
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows and rows[0]
    if metric is Metric.RULE_HITS:
        assert rows[1][0] == "chargeback_review" and rows[1][1] == "3"
    if metric is Metric.QUEUE_HEALTH:
        fraud = next(r for r in rows if r[0] == "fraud")
        assert fraud[1] == "3"  # three open cases


@pytest.mark.usefixtures("traffic")
def test_weekly_report_is_one_self_contained_html_file(client: TestClient, auth: AuthFor) -> None:
    got = client.get("/v1/dashboards/reports/weekly", headers=auth(Role.VIEWER))
    assert got.status_code == 200
    html = got.text
    assert html.startswith("<!doctype html>") and "<svg" in html and "Queue health" in html
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")


def test_bad_bucket_and_auth(client: TestClient, auth: AuthFor) -> None:
    bad = client.get("/v1/dashboards/volumes/type?bucket=7x", headers=auth(Role.VIEWER))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "bucket"
    assert client.get("/v1/dashboards/volumes/type").status_code == 401
    assert client.get("/v1/dashboards/volumes/colour", headers=auth(Role.VIEWER)).status_code == 422
