"""Rule files on disk (or the shipped starter pack), and a release source serving one release."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from garrison.domain.language import compile_release, parse_rule_file
from garrison.domain.lifecycle import Lineup
from garrison.domain.rules import Release
from garrison.services.unit_of_work import UnitOfWork

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
    """Serves one fixed release, never stored (for tests and replays): its stages apply, but
    daily caps and snoozes need a stored release (see `StoredReleaseSource`)."""

    def __init__(self, release: Release) -> None:
        self._release = release
        self._lineup = Lineup(release)

    def current(self, uow: UnitOfWork) -> Release:
        return self._release

    def lineup(self, uow: UnitOfWork) -> Lineup:
        return self._lineup
