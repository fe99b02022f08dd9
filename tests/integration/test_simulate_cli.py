"""`garrison simulate` end to end: files on disk, and a real HTTP server on localhost."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typer
from typer.testing import CliRunner

from garrison.entrypoints.cli.simulate import simulate
from garrison.simulator import SCENARIOS

app = typer.Typer()
app.command("simulate")(simulate)


@app.command("version")
def _version() -> None:
    """A second command, so that `simulate` is a subcommand as in the real CLI."""


runner = CliRunner()


def _invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["simulate", *args], env=env or {"GARRISON_API_KEY": ""})


def test_file_mode_writes_traffic_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "traffic.jsonl"
    result = _invoke("--out", str(out), "--duration", "2m", "--rate", "20", "--seed", "3")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in out.read_text().splitlines()]
    truth = json.loads((tmp_path / "traffic.truth.json").read_text())
    assert truth["simulation"]["events"] == len(events)
    assert set(truth["summary"]) == set(SCENARIOS)
    assert events[0]["occurred_at"].startswith("2026-01-01T00:00")
    assert f"{len(events)} events written" in result.output
    for abuse in SCENARIOS:
        assert abuse in result.output


def test_file_mode_is_reproducible_and_gzips(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.jsonl.gz", "b.jsonl.gz"):
        result = _invoke("--out", str(tmp_path / name), "--duration", "30s", "--seed", "9")
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert gzip.decompress(outputs[0]).startswith(b'{"id":"evt_')
    assert (tmp_path / "a.truth.json").read_text() == (tmp_path / "b.truth.json").read_text()


def test_start_and_truth_can_be_chosen(tmp_path: Path) -> None:
    out, truth = tmp_path / "new" / "t.jsonl", tmp_path / "other" / "elsewhere.json"
    args = ["--out", str(out), "--truth", str(truth), "--duration", "10s"]
    result = _invoke(*args, "--start", "2026-06-01T12:00:00Z")
    assert result.exit_code == 0, result.output
    first = json.loads(out.read_text().splitlines()[0])
    assert first["occurred_at"].startswith("2026-06-01T12:00:")
    assert json.loads(truth.read_text())["simulation"]["start"] == "2026-06-01T12:00:00.000Z"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "exactly one of --target"),
        (["--out", "x.jsonl", "--target", "http://localhost:1"], "exactly one of --target"),
        (["--target", "http://localhost:1"], "--api-key"),
        (["--out", "x.jsonl", "--duration", "soon"], "--duration"),
        (["--out", "x.jsonl", "--start", "yesterday"], "--start"),
        (["--out", "x.jsonl", "--abuse-share", "0.9"], "--abuse-share"),
        (["--out", "x.jsonl", "--rate", "0"], "--rate"),
    ],
)
def test_bad_usage_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.jsonl").exists()


class Handler(BaseHTTPRequestHandler):
    status: ClassVar[int] = 200
    received: ClassVar[list[tuple[str, str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, self.headers["Authorization"], body))
        reply: dict[str, Any] = {"results": [{"status": 200} for _ in body["events"]]}
        if self.status != 200:
            reply = {"error": {"code": "unauthenticated", "message": "unknown API key"}}
        data = json.dumps(reply).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    Handler.received = []
    Handler.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_target_mode_posts_live_batches(server: str, tmp_path: Path) -> None:
    truth = tmp_path / "live.truth.json"
    args = ["--target", server, "--duration", "1s", "--rate", "30", "--truth", str(truth)]
    result = _invoke(*args, env={"GARRISON_API_KEY": "gk_live"})
    assert result.exit_code == 0, result.output
    assert Handler.received
    assert {path for path, _, _ in Handler.received} == {"/v1/events/batch"}
    assert {auth for _, auth, _ in Handler.received} == {"Bearer gk_live"}
    sent = [e for _, _, body in Handler.received for e in body["events"]]
    document = json.loads(truth.read_text())
    assert document["simulation"]["events"] == len(sent)
    assert set(document["summary"]) == set(SCENARIOS)
    assert f"{len(sent)} events written" in result.output


def test_target_refusal_shows_the_server_error(server: str, tmp_path: Path) -> None:
    Handler.status = 401
    truth = tmp_path / "refused.truth.json"
    args = ["--target", server, "--api-key", "wrong", "--duration", "1s", "--truth", str(truth)]
    result = _invoke(*args)
    assert result.exit_code == 1
    assert "HTTP 401" in result.output
    assert "unknown API key" in result.output
    assert "Traceback" not in result.output
    assert truth.exists()


def test_backfill_sends_past_traffic_at_once(server: str, tmp_path: Path) -> None:
    truth = tmp_path / "backfill.truth.json"
    args = ["--target", server, "--backfill", "10m", "--duration", "10m", "--rate", "5"]
    result = _invoke(*args, "--truth", str(truth), env={"GARRISON_API_KEY": "gk_live"})
    assert result.exit_code == 0, result.output
    sent = [e for _, _, body in Handler.received for e in body["events"]]
    assert len(sent) > 2000  # ten minutes of history at 5 events/s, not paced
    newest = max(datetime.fromisoformat(e["occurred_at"]) for e in sent)
    assert newest <= datetime.now(UTC)


def test_backfill_needs_a_target(tmp_path: Path) -> None:
    result = _invoke("--out", str(tmp_path / "x.jsonl"), "--backfill", "10m")
    assert result.exit_code == 2
    assert "--backfill goes with --target" in result.output
