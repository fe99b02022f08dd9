"""JSON log lines: one object per line, only safe extra fields; metrics on private registries."""

from __future__ import annotations

import logging
import sys

import orjson

from garrison.adapters.telemetry import JsonFormatter, Metrics, configure_logging


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("garrison.test", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    record.__dict__.update(extra)
    return record


def test_a_line_holds_time_level_logger_message_and_safe_fields_only() -> None:
    line = JsonFormatter().format(
        _record(route="/v1/events", status=200, email="a@example.com", client="10.0.0.1")
    )

    data = orjson.loads(line)
    assert "\n" not in line
    assert data["message"] == "hello x"
    assert data["level"] == "INFO"
    assert data["logger"] == "garrison.test"
    assert data["time"].endswith("+00:00")
    assert (data["route"], data["status"]) == ("/v1/events", 200)
    assert "email" not in data and "client" not in data


def test_an_exception_is_written_into_the_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record()
        record.exc_info = sys.exc_info()

    data = orjson.loads(JsonFormatter().format(record))

    assert "ValueError: boom" in data["exception"]


def test_configure_logging_installs_one_json_handler_and_mutes_uvicorn_access() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("warning", json=True)
        assert [type(h.formatter) for h in root.handlers] == [JsonFormatter]
        assert root.level == logging.WARNING
        assert logging.getLogger("uvicorn.access").disabled
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        access = logging.getLogger("uvicorn.access")
        access.disabled, access.propagate = False, True


def test_two_metric_sets_do_not_share_a_registry() -> None:
    first, second = Metrics(), Metrics()
    first.decisions.labels("block").inc()

    assert b'garrison_decisions_total{verdict="block"} 1.0' in first.render()
    assert b"verdict=" not in second.render()
