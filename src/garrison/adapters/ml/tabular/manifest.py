"""A model directory's manifest, `model.json`: read without loading any ML library, so the
commands can tell a tabular model from a text one cheaply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from garrison.domain.errors import InvalidInput

MANIFEST = "model.json"


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a model directory of any kind; InvalidInput when there is none."""
    path = directory / MANIFEST
    if not directory.is_dir() or not path.is_file():
        raise InvalidInput(f"{directory} is not a model directory (no {MANIFEST})", field="model")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path} is corrupt: {error}", field="model") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("kind"), str):
        raise InvalidInput(f"{path} is corrupt: it names no model kind", field="model")
    return manifest
