"""What a rule file holds besides its rules: inline examples, sequence tests and comments.

`RuleFile` is what `read_rule_file` gives and `format_rule_file` writes; the two round-trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import JsonValue
from garrison.domain.rules import Rule
from garrison.domain.verdicts import Verdict

DEFAULT_TIME = datetime(2024, 1, 1, tzinfo=UTC)
"""When the first event of a sequence test happened, unless it says."""


class Expectation(StrEnum):
    """What an example expects of its rule."""

    FIRE = "fire"
    PASS = "pass"


@dataclass(frozen=True, slots=True)
class ExampleEvent:
    """An event written in a rule file. `occurred_at` None: the previous event's time (the first
    event of a test: `DEFAULT_TIME`). `signals` gives values by signal label, like
    `score("fraud_v2")` (in sequence tests, velocity is computed and only scores and enrichment
    may be given)."""

    type: str
    entities: Mapping[EntityKind, str] = field(default_factory=dict)
    attributes: Mapping[str, JsonValue] = field(default_factory=dict)
    occurred_at: datetime | None = None
    signals: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleExample:
    """One event and the signal values around it, and whether the rule should fire on it.

    `lists` gives list contents by name; `labels` the labels of the event's entity of each kind.
    """

    name: str
    event: ExampleEvent
    expect: Expectation
    signals: Mapping[str, JsonValue] = field(default_factory=dict)
    lists: Mapping[str, tuple[JsonValue, ...]] = field(default_factory=dict)
    labels: Mapping[EntityKind, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SequenceTest:
    """Events replayed in order through the file's live rules, with the verdict expected for
    each. `labels` are keyed by entity (`account:a1`)."""

    name: str
    events: tuple[ExampleEvent, ...]
    expect_verdicts: tuple[Verdict, ...]
    lists: Mapping[str, tuple[JsonValue, ...]] = field(default_factory=dict)
    labels: Mapping[EntityRef, tuple[str, ...]] = field(default_factory=dict)
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RuleEntry:
    """A rule as a file holds it: with its examples and the comment lines written above it."""

    rule: Rule
    examples: tuple[RuleExample, ...] = ()
    comment: str = ""


@dataclass(frozen=True, slots=True)
class RuleFile:
    """A whole rule file. `header` is the comment block the file starts with."""

    entries: tuple[RuleEntry, ...] = ()
    tests: tuple[SequenceTest, ...] = ()
    header: str = ""

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(entry.rule for entry in self.entries)
