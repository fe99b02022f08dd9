"""The dashboards, trends and incident pages: charts, alerts, declaring and running incidents."""

from __future__ import annotations

from datetime import timedelta

from console_world import NOW, TestClient, content_case, csrf_token, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.anomaly import FindingKind
from garrison.domain.trend_alerts import TrendAlert, TrendAlertId, TrendAlertStatus


def _alert(container: Container) -> TrendAlert:
    alert = TrendAlert(
        TrendAlertId("tra_1"),
        "type=account.signup,country=VN",
        FindingKind.SPIKE,
        TrendAlertStatus.OPEN,
        NOW - timedelta(hours=2),
        NOW - timedelta(hours=1),
        NOW,
        21,
        0.7,
        20.3,
        'type == "account.signup" and country == "VN"',
        ("evt_1",),
    )
    with container.uow() as uow:
        uow.trend_alerts.add(alert)
        uow.commit()
    return alert


def test_dashboards_page_draws_charts_and_tables(client: TestClient, container: Container) -> None:
    content_case(container)
    make_user(container, "vi@example.com", Role.VIEWER)
    sign_in(client, "vi@example.com")
    page = client.get("/dashboards?days=1&bucket=1h")
    assert page.status_code == 200, page.text
    assert page.text.count('data-testid="chart"') == 5
    assert "/static/vendor/uplot.min.js" in page.text and "/static/js/charts.js" in page.text
    assert 'data-testid="rule-hits"' in page.text and 'data-testid="queue-health"' in page.text
    assert "Appeal overturn rates" in page.text
    assert client.get("/static/vendor/uplot.min.js").status_code == 200
    assert client.get("/dashboards?bucket=9q").status_code == 400


def test_declare_from_alert_then_run_and_close(client: TestClient, container: Container) -> None:
    alert = _alert(container)
    make_user(container, "inv@example.com", Role.INVESTIGATOR)
    sign_in(client, "inv@example.com")
    trends = client.get("/trends")
    assert alert.segment in trends.text and alert.search_url.replace("&", "&amp;") in trends.text
    token = csrf_token(trends.text)
    declared = client.post(
        "/incidents",
        data={"csrf_token": token, "title": "Scam wave", "source": "alert", "source_ref": alert.id},
    )
    assert declared.status_code == 303
    target = declared.headers["location"]
    page = client.get(target)
    assert "Scam wave" in page.text and 'data-link-kind="query"' in page.text
    posted = client.post(f"{target}/updates", data={"csrf_token": token, "text": "on it"})
    assert posted.status_code == 303
    closed = client.post(f"{target}/status", data={"csrf_token": token, "status": "closed"})
    assert closed.status_code == 409
    pm = {"csrf_token": token, "summary": "scam", "items": "catch it :: true"}
    assert client.post(f"{target}/postmortem", data=pm).status_code == 303
    assert (
        client.post(f"{target}/status", data={"csrf_token": token, "status": "closed"}).status_code
        == 303
    )
    final = client.get(target).text
    assert 'data-testid="postmortem"' in final and "badge-closed" in final
    assert (
        client.post(f"{target}/updates", data={"csrf_token": "bad", "text": "x"}).status_code == 403
    )


def test_declare_form_is_prefilled_from_a_case_link(
    client: TestClient, container: Container
) -> None:
    case = content_case(container)
    make_user(container, "inv@example.com", Role.INVESTIGATOR)
    sign_in(client, "inv@example.com")
    page = client.get(f"/incidents?source=case&source_ref={case.id}&title=Harassment+wave")
    assert f'value="{case.id}"' in page.text and 'value="Harassment wave"' in page.text
    token = csrf_token(page.text)
    made = client.post(
        "/incidents",
        data={
            "csrf_token": token,
            "title": "Harassment wave",
            "source": "case",
            "source_ref": case.id,
        },
    )
    incident = client.get(made.headers["location"]).text
    assert f'href="/cases/{case.id}"' in incident
