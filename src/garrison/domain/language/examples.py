"""Reading `[[rule.example]]` and `[[test]]` tables: events, signal values, lists and labels.

Each bad field is reported at its place and the reading goes on; an example or test with an
error is left out. With schemas, example events must fit them (type, entities, attributes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.language.errors import RuleError
from garrison.domain.language.eventfields import read_event
from garrison.domain.language.filemodel import (
    ExampleEvent,
    Expectation,
    RuleExample,
    SequenceTest,
)
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.language.signalkeys import signal_key
from garrison.domain.language.tomlsource import Section, lead_comment
from garrison.domain.rules import CompiledRule
from garrison.domain.signals import Needs
from garrison.domain.verdicts import Verdict

EXAMPLE_KEYS = ("name", "event", "signals", "lists", "labels", "expect")
TEST_KEYS = ("name", "events", "expect_verdicts", "lists", "labels")
T = TypeVar("T")
_VERDICTS = {verdict.value for verdict in Verdict}


class _Reader:
    """Reads one table, collecting its errors."""

    def __init__(self, table: Mapping[str, Any], section: Section, keys: tuple[str, ...]) -> None:
        self.table, self.section, self.found = table, section, list[RuleError]()
        for key in table:
            if key not in keys:
                reason = f"unknown key {key!r} (known: {', '.join(keys)})"
                self.found.append(section.error(reason, key, at_key=True))

    def field(self, read: Callable[[], T], default: T) -> T:
        try:
            return read()
        except RuleError as error:
            self.found.append(error)
            return default

    def required(self, key: str) -> Any:
        if key not in self.table:
            raise self.section.error(f"missing {key!r}")
        return self.table[key]

    def name(self, taken: set[str], what: str) -> str:
        value = self.required("name")
        if not isinstance(value, str) or not value.strip():
            raise self.section.error("'name' must be a non-empty string", "name")
        if value in taken:
            raise self.section.error(f"duplicate {what} name {value!r}", "name")
        taken.add(value)
        return value

    def table_of(self, key: str) -> Mapping[str, Any]:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.section.error(f"{key!r} must be a table", key)
        return value

    def lists(self, needs: Needs) -> dict[str, tuple[Any, ...]]:
        out = {}
        for name, values in self.table_of("lists").items():
            if not isinstance(values, list) or any(isinstance(v, (dict, list)) for v in values):
                raise self.section.error(f"list {name!r} must be a list of values", "lists")
            if name not in needs.lists:
                raise self.section.error(f"no rule here reads the list {name!r}", "lists")
            out[name] = tuple(values)
        return out

    def label_names(self, key: str, values: Any) -> tuple[str, ...]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.section.error(f"the labels of {key!r} must be a list of strings", "labels")
        return tuple(values)

    def errors_to(self, errors: list[RuleError]) -> bool:
        """Hand the errors over; True when there were none."""
        errors.extend(self.found)
        return not self.found


def read_examples(
    tables: list[dict[str, Any]],
    places: Sequence[Section],
    compiled: CompiledRule,
    schemas: EventSchemas | None,
    errors: list[RuleError],
) -> tuple[RuleExample, ...]:
    examples, taken = [], set[str]()
    for table, section in zip(tables, places, strict=True):
        reader = _Reader(table, section, EXAMPLE_KEYS)
        example = _example(reader, taken, compiled.needs, schemas)
        if reader.errors_to(errors) and example is not None:
            examples.append(example)
    return tuple(examples)


def _example(
    reader: _Reader, taken: set[str], needs: Needs, schemas: EventSchemas | None
) -> RuleExample | None:
    name = reader.field(lambda: reader.name(taken, "example"), "")
    event = reader.field(lambda: _example_event(reader, schemas), None)
    expect = reader.field(lambda: _expect(reader), Expectation.FIRE)
    signals: dict[str, Any] = reader.field(lambda: _signals(reader, needs), {})
    lists: dict[str, tuple[Any, ...]] = reader.field(lambda: reader.lists(needs), {})
    labels: dict[EntityKind, tuple[str, ...]] = reader.field(
        lambda: _kind_labels(reader, needs), {}
    )
    return RuleExample(name, event, expect, signals, lists, labels) if event else None


def _example_event(reader: _Reader, schemas: EventSchemas | None) -> ExampleEvent:
    value = reader.required("event")
    return read_event(value, reader.section, "event", schemas, sequence=False)


def _expect(reader: _Reader) -> Expectation:
    value = reader.required("expect")
    try:
        return Expectation(value)
    except ValueError:
        raise reader.section.error('\'expect\' is "fire" or "pass"', "expect") from None


def _signals(reader: _Reader, needs: Needs) -> dict[str, Any]:
    out = {}
    for text, value in reader.table_of("signals").items():
        try:
            key = signal_key(text, needs)
        except InvalidInput as exc:
            raise reader.section.error_at(exc.message, text, "signals", "signals") from None
        problem = key.check_value(value)
        if problem is None and not key.read_by(needs):
            problem = f"the rule does not read {key.label()}"
        if problem:
            raise reader.section.error_at(problem, text, "signals", "signals")
        out[text] = value
    return out


def _kind_labels(reader: _Reader, needs: Needs) -> dict[EntityKind, tuple[str, ...]]:
    out = {}
    for key, values in reader.table_of("labels").items():
        try:
            kind = EntityKind(key)
        except ValueError:
            raise reader.section.error(f"unknown entity kind {key!r} in labels", "labels") from None
        if kind not in needs.labels:
            raise reader.section.error(f"the rule reads no labels of {kind}", "labels")
        out[kind] = reader.label_names(key, values)
    return out


def read_tests(
    tables: list[dict[str, Any]],
    places: Sequence[Section],
    needs: Needs,
    schemas: EventSchemas | None,
    errors: list[RuleError],
) -> list[SequenceTest]:
    tests, taken = [], set[str]()
    for table, section in zip(tables, places, strict=True):
        reader = _Reader(table, section, TEST_KEYS)
        test = _test(reader, taken, needs, schemas)
        if reader.errors_to(errors):
            tests.append(test)
    return tests


def _test(
    reader: _Reader, taken: set[str], needs: Needs, schemas: EventSchemas | None
) -> SequenceTest:
    name = reader.field(lambda: reader.name(taken, "test"), "")
    events = reader.field(lambda: _events(reader, needs, schemas), ())
    verdicts: tuple[Verdict, ...] = reader.field(lambda: _verdicts(reader, len(events)), ())
    lists: dict[str, tuple[Any, ...]] = reader.field(lambda: reader.lists(needs), {})
    labels: dict[EntityRef, tuple[str, ...]] = reader.field(lambda: _entity_labels(reader), {})
    section = reader.section
    real = section.stop != section.start
    comment = lead_comment(section.file, section.start) if real else ""
    return SequenceTest(name, events, verdicts, lists, labels, comment)


def _events(reader: _Reader, needs: Needs, schemas: EventSchemas | None) -> tuple[Any, ...]:
    value = reader.required("events")
    if not isinstance(value, list) or not value:
        raise reader.section.error("'events' must be a non-empty list of events", "events")
    return tuple(
        read_event(item, reader.section, "events", schemas, sequence=True, needs=needs)
        for item in value
    )


def _verdicts(reader: _Reader, count: int) -> tuple[Verdict, ...]:
    value = reader.required("expect_verdicts")
    known = ", ".join(v.value for v in Verdict)
    if not isinstance(value, list) or not all(isinstance(v, str) and v in _VERDICTS for v in value):
        reason = f"'expect_verdicts' must be a list of verdicts ({known})"
        raise reader.section.error(reason, "expect_verdicts")
    if len(value) != count:
        reason = f"{len(value)} verdicts expected for {count} events: give one per event"
        raise reader.section.error(reason, "expect_verdicts")
    return tuple(Verdict(v) for v in value)


def _entity_labels(reader: _Reader) -> dict[EntityRef, tuple[str, ...]]:
    out = {}
    for key, values in reader.table_of("labels").items():
        try:
            ref = EntityRef.parse(key)
        except InvalidInput as exc:
            raise reader.section.error(f"labels: {exc.message}", "labels") from None
        out[ref] = reader.label_names(key, values)
    return out
