"""docs/reference/cli.md is generated from the Typer app; this fails when it is stale."""

from __future__ import annotations

from pathlib import Path

from garrison.entrypoints.cli.docs import render

REFERENCE = Path(__file__).resolve().parents[3] / "docs" / "reference" / "cli.md"


def test_cli_reference_is_up_to_date() -> None:
    assert REFERENCE.exists(), "docs/reference/cli.md is missing: run `make docs`"
    assert REFERENCE.read_text() == render(), "docs/reference/cli.md is stale: run `make docs`"


def test_reference_covers_every_command() -> None:
    text = render()
    for command in ("migrate", "serve", "worker", "demo", "keys create", "users create"):
        assert f"`garrison {command}`" in text
    for command in ("audit verify", "webhooks list", "webhooks retry"):
        assert f"`garrison {command}`" in text
