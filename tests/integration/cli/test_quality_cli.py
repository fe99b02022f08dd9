"""`garrison quality ...` against a real SQLite database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from garrison.adapters.storage.sql import migrate
from garrison.bootstrap import Container, bootstrap
from garrison.config import Settings
from garrison.domain.entities import EntityRef
from garrison.domain.labels import Provenance

Invoke = Callable[..., Result]


@pytest.fixture
def ready(cli: Invoke, database: Path) -> Invoke:
    """Migrated to every head directly (works before the lead's merge revision exists)."""
    migrate(f"sqlite:///{database}")
    return cli


@pytest.fixture
def store_view(ready: Invoke) -> Iterator[Container]:
    built = bootstrap(Settings())
    try:
        yield built
    finally:
        built.close()


def test_import_conflicts_adjudicate_and_golden(
    ready: Invoke, store_view: Container, tmp_path: Path
) -> None:
    migrated, container = ready, store_view
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "subject,value,policy,author\n"
        "account:a1,violating,spam,vendor:a\n"
        "account:a1,not_violating,,vendor:b\n"
    )
    result = migrated("quality", "import-labels", str(labels))
    assert result.exit_code == 0, result.output
    assert "imported 2" in result.output
    conflicts = json.loads(migrated("quality", "conflicts").output)
    assert [(c["subject"], c["policy"]) for c in conflicts] == [("account:a1", "spam")]
    result = migrated("quality", "adjudicate", "account:a1", "spam", "violating", "--note", "ok")
    assert result.exit_code == 0, result.output
    assert json.loads(migrated("quality", "conflicts").output) == []
    with container.uow() as uow:
        found = uow.labels.for_subject(EntityRef.parse("account:a1"))
    assert Provenance.ADJUDICATION in {x.provenance for x in found}

    result = migrated("quality", "golden", "account:g1", "violating", "--policy", "fraud")
    assert result.exit_code == 0, result.output
    again = migrated("quality", "golden", "account:g1", "violating", "--policy", "fraud")
    assert again.exit_code == 1 and "already a golden item" in again.output
    assert "Traceback" not in again.output
    accuracy = json.loads(migrated("quality", "accuracy", "--against", "golden").output)
    assert accuracy["pending"] == 1


def test_bad_label_file_is_refused_without_traceback(ready: Invoke, tmp_path: Path) -> None:
    migrated = ready
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"subject": "account:a1", "value": "perhaps"}\n')
    result = migrated("quality", "import-labels", str(bad))
    assert result.exit_code == 1
    assert "line 1: value must be violating or not_violating" in result.output
    assert "Traceback" not in result.output


def test_reports_sampling_calibration_and_uncertain(ready: Invoke, tmp_path: Path) -> None:
    migrated = ready
    sheet = migrated("quality", "sheet", "--json")
    assert sheet.exit_code == 0, sheet.output
    assert json.loads(sheet.output)["events"] == 0
    assert migrated("quality", "sheet").exit_code == 0
    assert migrated("quality", "overturns").exit_code == 0
    assert json.loads(migrated("quality", "agreement").output)["pairs"] == 0
    assert "sampled 0" in migrated("quality", "sample", "--rate", "0.5").output
    assert "sent again" in migrated("quality", "double").output
    bad = migrated("quality", "sample", "--segment-rate", "nope")
    assert bad.exit_code == 1 and "SEGMENT=RATE" in bad.output

    made = migrated(
        "quality",
        "calibrate",
        "weekly",
        "--subject",
        "account:c1",
        "--subject",
        "account:c2",
        "--participant",
        "person:ann",
        "--participant",
        "person:ben",
    )
    assert made.exit_code == 0, made.output
    session = made.output.split()[2].rstrip(":")
    for who, value in (("ann", "violating"), ("ben", "not_violating")):
        for subject in ("account:c1", "account:c2"):
            args = ["quality", "calibration-answer", session, subject, value, "--as", who]
            if value == "violating":
                args += ["--policy", "spam"]
            result = migrated(*args)
            assert result.exit_code == 0, result.output
    report = json.loads(migrated("quality", "calibration", session).output)
    assert report["answered"] == 4 and report["fleiss"]["value"] < 0

    scores = tmp_path / "scores.csv"
    scores.write_text("subject,model,score\naccount:u1,m,0.5\naccount:u2,m,0.9\n")
    result = migrated("quality", "uncertain", str(scores), "--k", "1")
    assert result.exit_code == 0, result.output
    assert "enqueued 1" in result.output
