"""Event files (JSONL, gzipped, with corrupt lines) and label files (JSONL, CSV, ground truth)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from garrison.adapters.backtest.files import EventFile, OnError
from garrison.adapters.backtest.labels import read_labels
from garrison.domain.errors import InvalidInput
from garrison.entrypoints.web.schemas.events import parse_event
from garrison.services.backtest import GroundLabel

GOOD = {
    "id": "e1",
    "type": "payment.attempt",
    "occurred_at": "2026-01-01T00:00:00Z",
    "entities": {"account": "a1"},
    "attributes": {"amount": 3},
}


def _lines(*items: object) -> bytes:
    return "\n".join(x if isinstance(x, str) else json.dumps(x) for x in items).encode() + b"\n"


def test_reads_gzipped_events_and_reports_progress_in_bytes(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl.gz"
    path.write_bytes(gzip.compress(_lines(GOOD, "", {**GOOD, "id": "e2"})))
    seen: list[int] = []
    file = EventFile(path, parse_event, progress=seen.append)
    assert [e.id for e in file] == ["e1", "e2"]
    assert sum(seen) == path.stat().st_size == file.size


def test_corrupt_lines_are_skipped_with_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(_lines(GOOD, "{not json", {"id": "e3"}, {**GOOD, "id": "e4"}))
    file = EventFile(path, parse_event)
    assert [e.id for e in file] == ["e1", "e4"]
    assert [p.line for p in file.problems] == [2, 3]
    assert "not valid JSON" in str(file.problems[0])
    assert "type" in file.problems[1].message


def test_stop_on_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(_lines(GOOD, {"id": "e2"}))
    with pytest.raises(InvalidInput, match=r"events.jsonl:2: type"):
        list(EventFile(path, parse_event, on_error=OnError.STOP))


def test_a_broken_gzip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl.gz"
    path.write_bytes(gzip.compress(_lines(GOOD) * 50)[:40])
    with pytest.raises(InvalidInput, match="gzip"):
        list(EventFile(path, parse_event))


def test_labels_from_json_lines_with_every_spelling(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(item)
            for item in (
                {"entity": "account:a1", "label": "violating"},
                {"entity": "account:a2", "label": 0, "policy": "fraud"},
                {"entity": "ip:1.2.3.4", "label": True},
            )
        )
    )
    labels = read_labels(path)
    assert labels.labels == (
        GroundLabel("account:a1", True),
        GroundLabel("account:a2", False, "fraud"),
        GroundLabel("ip:1.2.3.4", True),
    )
    assert not labels.closed_world


def test_labels_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("entity,label,policy\naccount:a1,1,\naccount:a2,not_violating,fraud\n")
    assert read_labels(path).labels == (
        GroundLabel("account:a1", True),
        GroundLabel("account:a2", False, "fraud"),
    )


def test_a_simulation_truth_is_a_closed_world(tmp_path: Path) -> None:
    path = tmp_path / "sim.truth.json"
    entities = [{"entity": "account:x", "abuse": "card_testing", "reason": "r", "scenario_id": "s"}]
    path.write_text(json.dumps({"simulation": {}, "entities": entities, "scenarios": []}))
    labels = read_labels(path)
    assert labels.closed_world
    assert labels.labels == (GroundLabel("account:x", True),)
    positives, negatives = labels.split(frozenset({"account:x", "account:y"}), "fraud.cards")
    assert (positives, negatives) == ({"account:x"}, {"account:y"})


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("l.jsonl", '{"entity": "account:a1", "label": "maybe"}', r"l.jsonl:1: label 'maybe'"),
        ("l.jsonl", '{"entity": "planet:x", "label": 1}', "unknown entity kind"),
        ("l.csv", "who,label\nx,1\n", "needs 'entity' and 'label'"),
        ("l.json", '{"something": 1}', "expected labels"),
    ],
)
def test_bad_label_files_say_where(tmp_path: Path, name: str, text: str, match: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidInput, match=match):
        read_labels(path)
