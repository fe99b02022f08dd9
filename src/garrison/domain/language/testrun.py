"""Running a rule file's examples (one rule, one event) and sequence tests (a replay).

Each result says whether it passed and why: which rule fired or not with the values it read, or
which verdict each event got against the one expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId
from garrison.domain.language.filemodel import (
    DEFAULT_TIME,
    ExampleEvent,
    Expectation,
    RuleExample,
    RuleFile,
    SequenceTest,
)
from garrison.domain.language.replay import ValueList, replay
from garrison.domain.language.signalkeys import resolve_signals
from garrison.domain.rules import CompiledRule, EvalContext, Release


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The outcome of one example (`rule / example`) or sequence test."""

    kind: str
    name: str
    passed: bool
    detail: str


def to_event(written: ExampleEvent, event_id: str, default_time: datetime) -> Event:
    at = written.occurred_at or default_time
    return Event(
        EventId(event_id), written.type, at, dict(written.entities), dict(written.attributes)
    )


def run_example(compiled: CompiledRule, example: RuleExample) -> CaseResult:
    """Evaluate the rule on the example's event with the example's signal values."""
    event = to_event(example.event, "example", DEFAULT_TIME)
    velocity, scores, enrichment = resolve_signals(dict(example.signals), compiled.needs)
    lists = {name: ValueList(values) for name, values in example.lists.items()}
    labels = {kind: frozenset(names) for kind, names in example.labels.items()}
    ctx = EvalContext(event, velocity, lists, labels, scores, enrichment)
    fired = compiled.fires(ctx)
    wanted = example.expect is Expectation.FIRE
    outcome = "fired" if fired else "did not fire"
    detail = f"{outcome} (expected to {example.expect}); read {_shown(compiled.inputs(ctx))}"
    name = f"{compiled.rule.name} / {example.name}"
    return CaseResult("example", name, fired == wanted, detail)


def run_sequence_test(release: Release, test: SequenceTest) -> CaseResult:
    """Replay the test's events through the release and compare each verdict."""
    events, scores, enrichment = [], {}, {}
    at = DEFAULT_TIME
    for number, written in enumerate(test.events, 1):
        event = to_event(written, f"evt_{number}", at)
        at = event.occurred_at
        _, scores[event.id], enrichment[event.id] = resolve_signals(
            dict(written.signals), release.needs
        )
        events.append(event)
    steps = replay(
        release,
        events,
        lists={name: ValueList(values) for name, values in test.lists.items()},
        labels=test.labels,
        scores=scores,
        enrichment=enrichment,
    )
    wrong = []
    for number, (step, expected) in enumerate(zip(steps, test.expect_verdicts, strict=True), 1):
        fired = ", ".join(hit.rule for hit in step.decision.hits) or "no rule"
        if step.decision.verdict is not expected:
            wrong.append(
                f"event {number} ({step.event.type}): got {step.decision.verdict}, expected "
                f"{expected} ({fired} fired)"
            )
    got = ", ".join(str(step.decision.verdict) for step in steps)
    detail = "; ".join(wrong) if wrong else f"verdicts {got}"
    return CaseResult("test", test.name, not wrong, detail)


def run_rule_file(file: RuleFile, compiled: Sequence[CompiledRule]) -> list[CaseResult]:
    """Every example of every rule, then every sequence test (through the file's live rules)."""
    by_name = {rule.rule.name: rule for rule in compiled}
    results = [
        run_example(by_name[entry.rule.name], example)
        for entry in file.entries
        for example in entry.examples
        if entry.rule.name in by_name
    ]
    release = Release("rule-file-tests", tuple(compiled))
    results += [run_sequence_test(release, test) for test in file.tests]
    return results


def _shown(inputs: dict[str, JsonValue]) -> str:
    if not inputs:
        return "nothing"
    return ", ".join(f"{name}={value!r}" for name, value in sorted(inputs.items()))
