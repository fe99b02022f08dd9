"""The live release, read from a rule file (or the shipped starter pack) once at start-up."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from garrison.domain.language import compile_release, parse_rule_file
from garrison.domain.rules import Release

STARTER_PACK = "starter.toml"


def read_rule_text(path: Path | None) -> tuple[str, str]:
    """(text, name) of a rule file, or of the shipped starter pack when `path` is None."""
    if path is None:
        text = resources.files("garrison.rulepacks").joinpath(STARTER_PACK).read_text("utf-8")
        return text, f"garrison/rulepacks/{STARTER_PACK}"
    return path.read_text("utf-8"), str(path)


def load_release(path: Path | None) -> Release:
    text, name = read_rule_text(path)
    rules = parse_rule_file(text, name)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    stem = Path(name).stem
    return compile_release(f"{stem}@{digest}", rules)


class StaticReleaseSource:
    """Serves one release; the rules lifecycle replaces it with published, versioned releases."""

    def __init__(self, release: Release) -> None:
        self._release = release

    def current(self) -> Release:
        return self._release
