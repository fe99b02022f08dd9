"""Playbooks: versioned markdown guidance per policy or queue, shown beside the case.

A playbook's steps are its markdown checklist lines (`- [ ] do this`). Versions are
immutable; saving new text makes the next version, and any two versions diff line by line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from garrison.domain.errors import InvalidInput

MAX_PLAYBOOK_CHARS = 20_000


class PlaybookScope(StrEnum):
    POLICY = "policy"
    QUEUE = "queue"


@dataclass(frozen=True, slots=True, order=True)
class PlaybookKey:
    """What a playbook is for, written `policy:hate` or `queue:fraud`."""

    scope: PlaybookScope
    target: str

    def __str__(self) -> str:
        return f"{self.scope}:{self.target}"

    @classmethod
    def parse(cls, text: str, *, field: str = "playbook") -> PlaybookKey:
        scope, sep, target = text.partition(":")
        try:
            parsed = PlaybookScope(scope)
        except ValueError:
            parsed = None
        if not sep or parsed is None or not target.strip():
            raise InvalidInput(
                f"expected 'policy:<id>' or 'queue:<name>', got {text!r}", field=field
            )
        return cls(parsed, target.strip())


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    checked: bool


@dataclass(frozen=True, slots=True)
class Playbook:
    key: PlaybookKey
    version: int
    text: str
    created_at: datetime
    author: str

    @property
    def title(self) -> str:
        """The first markdown heading, or the key."""
        for line in self.text.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
        return str(self.key)

    @property
    def steps(self) -> tuple[Step, ...]:
        return checklist(self.text)


def checklist(text: str) -> tuple[Step, ...]:
    """The markdown checklist items (`- [ ]` / `- [x]`), in order."""
    steps = []
    for line in text.splitlines():
        item = line.strip()
        for mark, checked in (("- [ ] ", False), ("- [x] ", True), ("- [X] ", True)):
            if item.startswith(mark):
                steps.append(Step(item[len(mark) :].strip(), checked))
    return tuple(steps)


def check_playbook_text(text: str) -> str:
    """The text to store: trailing spaces trimmed, one final newline; refuses empty or huge."""
    cleaned = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not cleaned:
        raise InvalidInput("a playbook needs some text", field="text")
    if len(cleaned) > MAX_PLAYBOOK_CHARS:
        raise InvalidInput(f"a playbook is at most {MAX_PLAYBOOK_CHARS} characters", field="text")
    return cleaned + "\n"


def text_diff(old: str, new: str, old_name: str, new_name: str) -> tuple[str, ...]:
    """A unified diff of two texts, one line per element (no trailing newlines)."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=old_name, tofile=new_name, lineterm=""
    )
    return tuple(lines)
