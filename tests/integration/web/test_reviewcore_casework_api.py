"""Working a case over the API: comments, evidence, timeline, reopen, merge, split."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from starlette.testclient import TestClient

from garrison.domain.access import Role

Auth = Any


def report(client: TestClient, auth: Auth, subject: str = "content:post_1", **more: Any) -> Any:
    body = {"reporter": "u1", "subject": subject, "report_type": "harassment", **more}
    return client.post("/v1/reports", json=body, headers=auth(Role.INGEST)).json()


def test_comments_evidence_and_the_timeline(client: TestClient, auth: Auth) -> None:
    case_id = report(client, auth)["case_id"]
    rev = auth(Role.REVIEWER)
    said = client.post(
        f"/v1/cases/{case_id}/comments", json={"text": "same user as last week"}, headers=rev
    )
    assert said.status_code == 201, said.text
    blob = b"screenshot bytes"
    filed = client.post(
        f"/v1/cases/{case_id}/evidence",
        json={
            "name": "shot.png",
            "media_type": "image/png",
            "content_base64": base64.b64encode(blob).decode(),
        },
        headers=rev,
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["sha256"] == hashlib.sha256(blob).hexdigest()
    assert filed.json()["content_base64"] is None
    link = client.post(
        f"/v1/cases/{case_id}/evidence",
        json={"name": "thread", "url": "https://host.test/t/9"},
        headers=rev,
    )
    assert link.status_code == 201
    read = client.get(f"/v1/cases/{case_id}/evidence/{filed.json()['id']}", headers=rev).json()
    assert base64.b64decode(read["content_base64"]) == blob

    client.post(f"/v1/cases/{case_id}/claim", headers=rev)
    client.post(f"/v1/cases/{case_id}/escalate", json={"reason": "repeat offender"}, headers=rev)
    entries = client.get(f"/v1/cases/{case_id}/timeline", headers=rev).json()["entries"]
    kinds = [e["kind"] for e in entries]
    assert kinds[:2] == ["created", "report"]
    assert {"comment", "evidence", "change"} <= set(kinds)
    summaries = [e["summary"] for e in entries if e["kind"] == "change"]
    assert "claim" in summaries
    assert any("escalate" in s and "repeat offender" in s for s in summaries)


def test_bad_evidence_is_refused_and_nothing_is_kept(client: TestClient, auth: Auth) -> None:
    case_id = report(client, auth)["case_id"]
    rev = auth(Role.REVIEWER)
    path = f"/v1/cases/{case_id}/evidence"
    big = base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()
    cases = [
        ({"name": "big.bin", "content_base64": big}, "content"),
        ({"name": "bad", "content_base64": "***"}, "content_base64"),
        ({"name": "bad", "url": "ftp://x"}, "url"),
        ({"name": "a/b", "url": "https://x.test"}, "name"),
    ]
    for body, field in cases:
        refused = client.post(path, json=body, headers=rev)
        assert (refused.status_code, refused.json()["error"]["field"]) == (422, field), body
    assert (
        client.post("/v1/cases/case_404/comments", json={"text": "x"}, headers=rev).status_code
        == 404
    )
    timeline = client.get(f"/v1/cases/{case_id}/timeline", headers=rev).json()["entries"]
    assert "evidence" not in {e["kind"] for e in timeline}


def test_reopen_a_resolved_case(client: TestClient, auth: Auth) -> None:
    case_id = report(client, auth)["case_id"]
    rev = auth(Role.REVIEWER)
    refused = client.post(f"/v1/cases/{case_id}/reopen", json={"reason": "x"}, headers=rev)
    assert refused.status_code == 409
    client.post(f"/v1/cases/{case_id}/claim", headers=rev)
    client.post(f"/v1/cases/{case_id}/resolve", json={"outcome": "not_violating"}, headers=rev)
    reopened = client.post(
        f"/v1/cases/{case_id}/reopen", json={"reason": "new evidence"}, headers=rev
    )
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["resolution"]) == ("open", None)


def test_merge_and_split(client: TestClient, auth: Auth) -> None:
    first = report(client, auth, "content:post_1")
    second = report(client, auth, "account:acct_9", report_type="spam")
    rev = auth(Role.REVIEWER)
    merged = client.post(
        f"/v1/cases/{second['case_id']}/merge",
        json={"into": first["case_id"], "reason": "same author"},
        headers=rev,
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["id"] == first["case_id"]
    reports = client.get(f"/v1/cases/{first['case_id']}/reports", headers=rev).json()["reports"]
    assert {r["id"] for r in reports} == {first["report"]["id"], second["report"]["id"]}
    again = client.post(
        f"/v1/cases/{second['case_id']}/merge",
        json={"into": first["case_id"], "reason": "twice"},
        headers=rev,
    )
    assert again.status_code == 409

    split = client.post(
        f"/v1/cases/{first['case_id']}/split",
        json={
            "subject": "account:acct_9",
            "report_ids": [second["report"]["id"]],
            "reason": "other subject",
        },
        headers=rev,
    )
    assert split.status_code == 201, split.text
    new_id = split.json()["id"]
    moved = client.get(f"/v1/cases/{new_id}/reports", headers=rev).json()["reports"]
    assert [r["id"] for r in moved] == [second["report"]["id"]]
    bad = client.post(
        f"/v1/cases/{first['case_id']}/split",
        json={"subject": "account:acct_10", "decision_ids": ["dec_x"], "reason": "r"},
        headers=rev,
    )
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "decision_ids")
