"""The in-memory replay: velocity from the events before (and including) each one, then decide."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.language import compile_release, replay
from garrison.domain.rules import Release, Rule, Stage
from garrison.domain.verdicts import Verdict

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WHEN = (
    'count("account", "1h") >= 0 and count("attr.card_bin", "10m", "payment.attempt") >= 0'
    ' and distinct("payment_method", "account", "1h") >= 0'
    ' and total("attr.amount_usd", "account", "1h", "payment.attempt") >= 0'
)


def event(n: int, minutes: float, **fields: Any) -> Event:
    entities = {EntityKind(k): v for k, v in fields.pop("entities", {"account": "a1"}).items()}
    return Event(
        EventId(f"e{n}"),
        fields.pop("type", "payment.attempt"),
        START + timedelta(minutes=minutes),
        entities,
        fields,
    )


def release(*rules: Rule) -> Release:
    return compile_release("r1", rules)


def values(steps: Any) -> list[dict[str, Any]]:
    return [{spec.label(): value for spec, value in step.velocity.items()} for step in steps]


def test_aggregates_cover_the_window_and_include_the_event_itself() -> None:
    events = [
        event(
            1,
            0,
            card_bin="4111",
            amount_usd=1.0,
            entities={"account": "a1", "payment_method": "p1"},
        ),
        event(
            2,
            5,
            card_bin="4111",
            amount_usd=2.5,
            entities={"account": "a1", "payment_method": "p2"},
        ),
        event(
            3,
            9,
            card_bin="5500",
            amount_usd="x",
            entities={"account": "a1", "payment_method": "p2"},
        ),
        event(
            4,
            12,
            card_bin="4111",
            amount_usd=4.0,
            entities={"account": "a1", "payment_method": "p3"},
        ),
        event(
            5,
            70,
            card_bin="4111",
            amount_usd=8.0,
            entities={"account": "a1", "payment_method": "p1"},
        ),
    ]

    steps = replay(release(Rule("all", WHEN, "p")), events)

    assert values(steps) == [
        {
            "count(account, 1h)": 1,
            "count(attr.card_bin, 10m, payment.attempt)": 1,
            "distinct(payment_method, account, 1h)": 1,
            "sum(attr.amount_usd, account, 1h, payment.attempt)": 1.0,
        },
        {
            "count(account, 1h)": 2,
            "count(attr.card_bin, 10m, payment.attempt)": 2,
            "distinct(payment_method, account, 1h)": 2,
            "sum(attr.amount_usd, account, 1h, payment.attempt)": 3.5,
        },
        {
            "count(account, 1h)": 3,
            "count(attr.card_bin, 10m, payment.attempt)": 1,
            "distinct(payment_method, account, 1h)": 2,
            "sum(attr.amount_usd, account, 1h, payment.attempt)": 3.5,
        },
        {
            "count(account, 1h)": 4,
            "count(attr.card_bin, 10m, payment.attempt)": 2,
            "distinct(payment_method, account, 1h)": 3,
            "sum(attr.amount_usd, account, 1h, payment.attempt)": 7.5,
        },
        {
            "count(account, 1h)": 2,
            "count(attr.card_bin, 10m, payment.attempt)": 1,
            "distinct(payment_method, account, 1h)": 2,
            "sum(attr.amount_usd, account, 1h, payment.attempt)": 12.0,
        },
    ]


def test_windows_are_whole_buckets() -> None:
    """A 1h window at 13:00:30 covers the buckets from 12:01 to 13:00: 12:00:59 is out."""
    events = [event(1, 0.99), event(2, 60.5)]

    steps = replay(release(Rule("r", 'count("account", "1h") >= 0', "p")), events)

    assert [step.velocity for step in steps][1] == {next(iter(steps[1].velocity)): 1}


def test_events_are_replayed_in_the_order_given() -> None:
    """An event replayed earlier but stamped later is outside the window of those before it."""
    events = [event(1, 30), event(2, 0), event(3, 31)]

    steps = replay(release(Rule("r", 'count("account", "1h") >= 0', "p")), events)

    assert [list(step.velocity.values()) for step in steps] == [[1], [1], [3]]


def test_keys_are_per_value_and_only_matching_events_count() -> None:
    events = [
        event(1, 0, entities={"account": "a1"}),
        event(2, 1, entities={"account": "a2"}),
        event(3, 2, type="api.usage", entities={"account": "a1"}),
        event(4, 3, entities={"ip": "1.2.3.4"}),
        event(5, 4, entities={"account": "a1"}),
    ]
    rule = Rule("r", 'count("account", "1h", "payment.attempt") >= 0', "p")

    steps = replay(release(rule), events)

    assert [list(step.velocity.values()) for step in steps] == [[1], [1], [1], [], [2]]


def test_decisions_follow_the_live_rules_and_the_score_policy() -> None:
    rules = (
        Rule("burst", 'count("account", "1h") >= 3', "p", verdict=Verdict.BLOCK),
        Rule("small", "attr.amount_usd < 2", "p", score=0.3),
        Rule("smaller", "attr.amount_usd < 1", "p", score=0.3),
        Rule("shadowed", "True", "p", verdict=Verdict.REVIEW, stage=Stage.SHADOW),
        Rule("drafted", "True", "p", verdict=Verdict.BLOCK, stage=Stage.DRAFT),
    )
    events = [event(1, 0, amount_usd=5.0), event(2, 1, amount_usd=0.5), event(3, 2, amount_usd=1.5)]

    steps = replay(release(*rules), events)

    assert [step.decision.verdict for step in steps] == [
        Verdict.ALLOW,
        Verdict.REVIEW,
        Verdict.BLOCK,
    ]
    assert [hit.rule for hit in steps[2].decision.hits] == ["burst", "small"]
    assert [hit.rule for hit in steps[0].shadow_hits] == ["shadowed"]
    assert steps[1].decision.score == 0.6
    assert steps[0].decision.release_version == "r1"
    assert steps[0].decision.decided_at == events[0].occurred_at

    strict = replay(release(*rules), events, policy=ScorePolicy(review_at=0.2))
    assert strict[2].decision.verdict is Verdict.BLOCK
    assert strict[0].decision.verdict is Verdict.ALLOW
    shadow_acts = replay(release(*rules), events, acting=frozenset({Stage.LIVE, Stage.SHADOW}))
    assert shadow_acts[0].decision.verdict is Verdict.REVIEW


def test_lists_labels_scores_and_enrichment_reach_the_rules() -> None:
    rules = (
        Rule("listed", 'in_list("bins", attr.card_bin)', "p", verdict=Verdict.BLOCK),
        Rule("trusted", 'has_label("account", "vip")', "p", verdict=Verdict.REVIEW),
        Rule("scored", 'score("m") > 0.5 and enrich("ip.country") == "FR"', "p", score=0.9),
    )
    events = [
        event(1, 0, card_bin="4111"),
        event(2, 1, card_bin="5500", entities={"account": "vip1"}),
        event(3, 2, card_bin="5500"),
    ]

    steps = replay(
        release(*rules),
        events,
        lists={"bins": ["4111"]},
        labels={EntityRef(EntityKind.ACCOUNT, "vip1"): ["vip"]},
        scores={EventId("e3"): {"m": 0.7}},
        enrichment={EventId("e3"): {"ip.country": "FR"}},
    )

    assert [[hit.rule for hit in step.decision.hits] for step in steps] == [
        ["listed"],
        ["trusted"],
        ["scored"],
    ]
