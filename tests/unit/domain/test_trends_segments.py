"""Segments, search links, bucketing, scan passes and alert deduplication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.anomaly import FindingKind, Sensitivity
from garrison.domain.decisions import Decision
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId
from garrison.domain.rules import RuleHit
from garrison.domain.trend_alerts import (
    TrendAlert,
    TrendAlertId,
    TrendAlertStatus,
    extend,
    is_duplicate,
)
from garrison.domain.trend_scan import scan
from garrison.domain.trends import (
    Dimension,
    Observation,
    bucket_counts,
    observe,
    parse_segment,
    search_query,
    segment_key,
    segments_of,
    series_by,
)
from garrison.domain.verdicts import Verdict
from garrison.rulepacks import load_schemas
from garrison.services.search import compile_query

T0 = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_observe_reads_country_tier_hits_and_report_reason() -> None:
    event = Event(
        EventId("e1"), "account.signup", T0, {"account": "a1"}, {"country": "VN", "tier": "free"}
    )
    hit = RuleHit("disposable", "fraud.trial_abuse", Verdict.CHALLENGE, 0.5, "", {})
    decision = Decision(
        DecisionId("d1"), EventId("e1"), Verdict.CHALLENGE, 0.5, (hit,), "1", "p", T0
    )
    obs = observe(event, decision)
    assert (obs.country, obs.tier, obs.verdict, obs.account) == ("VN", "free", "challenge", "a1")
    keys = {segment_key(s) for s in segments_of(obs)}
    assert "policy=fraud.trial_abuse,country=VN,tier=free" in keys
    assert "rule=disposable" in keys and "type=account.signup,country=VN" in keys
    report = observe(Event(EventId("e2"), "report.filed", T0, {}, {"reason": "scam"}), None)
    assert "type=report.filed,reason=scam" in {segment_key(s) for s in segments_of(report)}


def test_segment_keys_parse_back_and_become_search_expressions() -> None:
    segment = parse_segment("policy=spam,country=BR")
    assert segment == ((Dimension.POLICY, "spam"), (Dimension.COUNTRY, "BR"))
    assert segment_key(segment) == "policy=spam,country=BR"
    assert search_query(segment) == (
        '(attr.country == "BR" or attr.ip_country == "BR" or attr.card_country == "BR")'
    )
    with pytest.raises(InvalidInput) as error:
        parse_segment("colour=red")
    assert error.value.field == "segment"


def test_bucket_counts_and_series_include_empty_buckets() -> None:
    obs = [Observation("e1", T0, "x"), Observation("e2", T0 + 2 * HOUR, "x")]
    counts = bucket_counts(obs, T0, T0 + 3 * HOUR, HOUR)
    assert counts[((Dimension.TYPE, "x"),)] == [1, 0, 1]
    assert series_by(obs, Dimension.COUNTRY, T0, T0 + 3 * HOUR, HOUR) == {"-": [1, 0, 1]}
    with pytest.raises(InvalidInput):
        bucket_counts(obs, T0, T0, HOUR)


def _burst() -> list[Observation]:
    obs = [
        Observation(f"n{i}", T0 + i * HOUR + timedelta(minutes=5), "api.usage", country="US")
        for i in range(72)
    ]
    obs += [
        Observation(f"b{i}", T0 + 72 * HOUR + timedelta(minutes=i), "account.signup", country="VN")
        for i in range(20)
    ]
    return obs


def test_a_scan_pass_alerts_on_the_most_specific_segment_with_samples() -> None:
    found = scan(
        _burst(), start=T0, end=T0 + 73 * HOUR, bucket=HOUR, sensitivity=Sensitivity(), evaluate=1
    )
    keys = [c.key for c in found.candidates]
    assert keys == ["type=account.signup,country=VN"]  # `type=account.signup` collapsed into it
    top = found.candidates[0]
    assert top.started_at == T0 + 72 * HOUR and top.last_seen_at == T0 + 73 * HOUR
    assert top.samples == ("b0", "b1", "b2", "b3", "b4")
    assert top.finding.kind is FindingKind.SPIKE


def test_a_continued_spike_extends_the_alert_instead_of_raising_another() -> None:
    first = TrendAlert(
        TrendAlertId("t1"),
        "type=x",
        FindingKind.SPIKE,
        TrendAlertStatus.OPEN,
        T0,
        T0 + HOUR,
        T0 + HOUR,
        30,
        2.0,
        14.0,
        "q",
        ("e1",),
    )
    later = TrendAlert(
        TrendAlertId("t2"),
        "type=x",
        FindingKind.SPIKE,
        TrendAlertStatus.OPEN,
        T0 + 2 * HOUR,
        T0 + 3 * HOUR,
        T0 + 3 * HOUR,
        50,
        2.0,
        24.0,
        "q",
        ("e9",),
    )
    assert is_duplicate(first, later, timedelta(hours=6))
    assert not is_duplicate(first, later, timedelta(0))
    merged = extend(first, later)
    assert (merged.id, merged.occurrences, merged.observed) == ("t1", 2, 50)
    assert merged.last_seen_at == T0 + 3 * HOUR and merged.samples == ("e1", "e9")
    assert "q=q" in merged.search_url and "since=2026-01-01" in merged.search_url


def test_search_expressions_ask_only_what_the_event_type_declares() -> None:
    schemas = load_schemas()
    signups = parse_segment("type=account.signup,country=VN,tier=free")
    payments = parse_segment("type=payment.attempt,country=VN")
    anywhere = parse_segment("policy=spam,country=BR")

    assert search_query(signups, schemas) == (
        'type == "account.signup" and attr.country == "VN" and attr.tier == "free"'
    )
    assert search_query(payments, schemas) == (
        'type == "payment.attempt" and (attr.ip_country == "VN" or attr.card_country == "VN")'
    )
    assert search_query(anywhere, schemas) == "True"
    for segment in (signups, payments, anywhere):
        compile_query(search_query(segment, schemas), schemas)
