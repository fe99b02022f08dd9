"""The LLM policy judge against a fake OpenAI-compatible chat server on a local port."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from garrison.adapters.ml.text.chat import HttpChatClient
from garrison.services.judge import (
    JudgeFailed,
    PolicyJudge,
    Pricing,
    agreement,
    judge_labelled,
    parse_verdict,
)

POLICY = "No threats of violence against a person."


class FakeChat(BaseHTTPRequestHandler):
    requests: list[dict[str, object]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeChat.requests.append(body)
        content = body["messages"][-1]["content"]
        if "slow" in content:
            time.sleep(1.0)
        if "garbage" in content:
            reply = "I cannot help with that."
        elif "kill" in content:
            reply = '```json\n{"violates": true, "confidence": 0.9, "categories": ["threat"]}\n```'
        else:
            reply = 'Sure. {"violates": "no", "confidence": 0.8, "rationale": "benign"}'
        payload = {
            "choices": [{"message": {"role": "assistant", "content": reply}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20},
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    FakeChat.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeChat)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def make_judge(url: str, timeout: float = 5.0) -> PolicyJudge:
    client = HttpChatClient(url, "secret", timeout=timeout)
    return PolicyJudge(client, "guard-1", POLICY, pricing=Pricing(1.0, 2.0))


def test_verdicts_cost_latency_and_cache(server: str) -> None:
    judge = make_judge(server)
    bad = judge.judge("I will kill you")
    assert bad.violates and bad.confidence == 0.9 and bad.categories == ("threat",)
    assert bad.cost == pytest.approx(0.14) and bad.latency_ms > 0 and not bad.cached
    fine = judge.judge("nice day")
    assert not fine.violates and fine.score == pytest.approx(0.2)
    again = judge.judge("I will kill you")
    assert again.cached and again.violates
    assert len(FakeChat.requests) == 2 and judge.stats.cache_hits == 1
    assert judge.stats.prompt_tokens == 200 and judge.stats.cost == pytest.approx(0.28)
    sent = FakeChat.requests[0]
    assert sent["model"] == "guard-1" and POLICY in str(sent["messages"])


def test_timeout_and_unreadable_answers_fail_uncached(server: str) -> None:
    judge = make_judge(server, timeout=0.2)
    with pytest.raises(JudgeFailed, match="timed out"):
        judge.judge("slow message")
    with pytest.raises(JudgeFailed, match="no verdict"):
        judge.judge("garbage please")
    assert judge.stats.failures == 2
    with pytest.raises(JudgeFailed, match="unreachable"):
        make_judge("http://127.0.0.1:9/v1").judge("x")


def test_agreement_with_reviewer_labels(server: str) -> None:
    judge = make_judge(server)
    items = [("kill him", True), ("hello", False), ("kill time", False), ("garbage", True)]
    pairs = judge_labelled(judge, items)
    assert pairs[3] == (True, None)
    report = agreement(pairs)
    assert report["answered"] == 3 and report["accuracy"] == pytest.approx(2 / 3)
    assert report["precision"] == 0.5 and report["recall"] == 1.0
    assert report["cohen_kappa"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("text", "violates"),
    [
        ('{"verdict": "unsafe", "confidence": "0.7"}', True),
        ("unsafe\nS1", True),
        ("safe", False),
        ('{"flagged": false}', False),
    ],
)
def test_parse_forgiving(text: str, violates: bool) -> None:
    assert parse_verdict(text).violates is violates


def test_parse_refuses_nonsense() -> None:
    with pytest.raises(JudgeFailed):
        parse_verdict('{"violates": "maybe"}')
