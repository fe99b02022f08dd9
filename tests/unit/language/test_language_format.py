"""The canonical text form: fixed key order, stable, and read back to the same rule file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from garrison.domain.actions import ActionKind, ActionTemplate
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.language import (
    ExampleEvent,
    Expectation,
    RuleEntry,
    RuleExample,
    RuleFile,
    SequenceTest,
    canonical_when,
    format_file,
    format_rule_file,
    read_rule_file,
)
from garrison.domain.rules import Rule, Stage
from garrison.domain.verdicts import Verdict
from garrison.rulepacks import read_pack

MESSY = """\
# header line

[[rule]]
when = '''

  attr.a == 1
'''
tags = ["x"]
score = 1
policy = "p"
actions = ["warn", { kind = "rate_limit", params = { per_minute = 2 } }]
name = "a"
[[rule.example]]
expect = "pass"
event = { type = "e", attributes = { a = 2 } }
name = "two"
"""

CANONICAL = """\
# header line

[[rule]]
name = "a"
policy = "p"
stage = "live"
score = 1.0
tags = ["x"]
actions = [
    "warn",
    { kind = "rate_limit", params = { per_minute = 2 } },
]
when = '''
attr.a == 1
'''

[[rule.example]]
name = "two"
event = { type = "e", attributes = { a = 2 } }
expect = "pass"
"""


def test_writes_keys_in_the_canonical_order() -> None:
    assert format_file(read_rule_file(MESSY)) == CANONICAL


def test_formatting_is_idempotent_on_the_starter_pack() -> None:
    text = read_pack("starter.toml")

    assert format_file(read_rule_file(format_file(read_rule_file(text)))) == text


def test_every_field_is_written() -> None:
    rule = Rule(
        name="r.1",
        when="attr.a == 1",
        policy="fraud.x",
        description='say "hi"\nthere',
        owner="team",
        verdict=Verdict.BLOCK,
        score=0.25,
        actions=(ActionTemplate(ActionKind.SUSPEND_ACCOUNT, target=EntityRef.parse("account:a1")),),
        tags=("a", "b"),
        stage=Stage.CANARY,
        canary_percent=25,
        max_actions_per_day=100,
    )

    text = format_rule_file([rule])

    assert text.splitlines() == [
        "[[rule]]",
        'name = "r.1"',
        'description = "say \\"hi\\"\\nthere"',
        'owner = "team"',
        'policy = "fraud.x"',
        'stage = "canary"',
        "canary_percent = 25",
        'verdict = "block"',
        "score = 0.25",
        "max_actions_per_day = 100",
        'tags = ["a", "b"]',
        'actions = [{ kind = "suspend_account", target = "account:a1" }]',
        "when = '''",
        "attr.a == 1",
        "'''",
    ]
    assert read_rule_file(text).rules == (
        rule.__class__(**{**_fields(rule), "when": "attr.a == 1\n"}),
    )


def _fields(rule: Rule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in rule.__dataclass_fields__}


def test_a_condition_with_triple_quotes_falls_back_to_a_basic_string() -> None:
    rule = Rule("r", "attr.a == \"'''\" or attr.b == '\\\\'", "p")

    text = format_rule_file([rule])

    assert 'when = """' in text
    assert read_rule_file(text).rules[0].when == canonical_when(rule.when)


def test_comments_above_tables_are_kept() -> None:
    text = (
        "# file\n# header\n\n# about a\n[[rule]]\nname = 'a'\npolicy = 'p'\n"
        "# lost: inside the table\nwhen = '1 == 1'\n\n# about t\n[[test]]\nname = 't'\n"
        "events = [{ type = 'x', occurred_at = 2024-05-01T12:00:00+02:00 }]\n"
        "expect_verdicts = ['allow']\n"
    )

    file = read_rule_file(text)

    assert file.header == "# file\n# header"
    assert file.entries[0].comment == "# about a"
    assert file.tests[0].comment == "# about t"
    formatted = format_file(file)
    assert "# lost" not in formatted
    assert "occurred_at = 2024-05-01T12:00:00+02:00" in formatted
    again = read_rule_file(formatted)
    assert (again.header, again.entries[0].comment, again.tests) == (
        file.header,
        file.entries[0].comment,
        file.tests,
    )


# ---------------------------------------------------------------- generated round trips

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
NAMED = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12).filter(
    str.strip
)
COMMENT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
JSON = st.recursive(
    st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
TIMES = st.datetimes(
    min_value=datetime(1970, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]),
)
ENTITIES = st.dictionaries(st.sampled_from(list(EntityKind)), NAMED, max_size=3)
COUNT = 'count("account", "1h")'
SIGNALS: dict[str, tuple[str, st.SearchStrategy[dict[str, Any]]]] = {
    "attribute": ("attr.a == 1", st.just({})),
    "count": (
        f"{COUNT} > 2 and attr.x != None",
        st.dictionaries(st.sampled_from([COUNT, "count(account, 1h)"]), st.integers(0, 99)),
    ),
    "score": (
        'score("m") > 0.5 or enrich("ip.country") == "FR"',
        st.fixed_dictionaries(
            {}, optional={'score("m")': st.floats(0, 1), "enrich(ip.country)": NAMED}
        ),
    ),
    "list": ('in_list("bins", attr.bin) and not has_label("account", "vip")', st.just({})),
}


@st.composite
def events(draw: st.DrawFn, *, timed: bool) -> ExampleEvent:
    return ExampleEvent(
        draw(NAMED),
        draw(ENTITIES),
        draw(st.dictionaries(TEXT, JSON, max_size=3)),
        draw(st.none() | TIMES) if timed else None,
    )


@st.composite
def entries(draw: st.DrawFn, name: str) -> RuleEntry:
    kind = draw(st.sampled_from(sorted(SIGNALS)))
    when, signals = SIGNALS[kind]
    stage = draw(st.sampled_from(list(Stage)))
    actions = st.builds(
        ActionTemplate,
        st.sampled_from(list(ActionKind)),
        st.dictionaries(TEXT, JSON, max_size=2),
        st.none() | st.builds(EntityRef, st.sampled_from(list(EntityKind)), NAMED),
    )
    rule = Rule(
        name=name,
        when=canonical_when(when),
        policy=draw(NAMED),
        description=draw(TEXT),
        owner=draw(TEXT),
        verdict=draw(st.none() | st.sampled_from(list(Verdict))),
        score=draw(st.floats(-10, 10)),
        actions=tuple(draw(st.lists(actions, max_size=3))),
        tags=tuple(draw(st.lists(TEXT, max_size=3))),
        stage=stage,
        canary_percent=draw(st.integers(1, 100)) if stage is Stage.CANARY else 0,
        max_actions_per_day=draw(st.none() | st.integers(1, 10**6)),
    )
    listed = kind == "list"
    examples = st.builds(
        RuleExample,
        NAMED,
        events(timed=False),
        st.sampled_from(list(Expectation)),
        signals,
        st.dictionaries(st.just("bins"), st.lists(NAMED | st.integers()).map(tuple))
        if listed
        else st.just({}),
        st.dictionaries(st.just(EntityKind.ACCOUNT), st.lists(NAMED).map(tuple))
        if listed
        else st.just({}),
    )
    found = draw(st.lists(examples, max_size=2, unique_by=lambda e: e.name))
    comment = draw(st.lists(COMMENT.map(lambda t: f"# {t}".rstrip()), max_size=2))
    return RuleEntry(rule, tuple(found), "\n".join(comment))


@st.composite
def sequence_tests(draw: st.DrawFn) -> SequenceTest:
    written = draw(st.lists(events(timed=True), min_size=1, max_size=3))
    verdicts = draw(
        st.lists(st.sampled_from(list(Verdict)), min_size=len(written), max_size=len(written))
    )
    labels = st.dictionaries(
        st.builds(
            EntityRef, st.sampled_from(list(EntityKind)), NAMED.filter(lambda t: ":" not in t)
        ),
        st.lists(NAMED).map(tuple),
        max_size=2,
    )
    return SequenceTest(draw(NAMED), tuple(written), tuple(verdicts), {}, draw(labels))


@st.composite
def rule_files(draw: st.DrawFn) -> RuleFile:
    names = draw(
        st.lists(
            st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True), unique=True, max_size=3
        )
    )
    found = tuple(draw(entries(name)) for name in names)
    tests = tuple(draw(st.lists(sequence_tests(), max_size=2, unique_by=lambda t: t.name)))
    header = draw(st.sampled_from(["", "# a header", "# one\n#\n# two"]))
    return RuleFile(found, tests, header)


@settings(max_examples=80, deadline=None)
@given(file=rule_files())
def test_generated_rule_files_round_trip(file: RuleFile) -> None:
    text = format_file(file)

    again = read_rule_file(text)

    assert again == file
    assert format_file(again) == text
