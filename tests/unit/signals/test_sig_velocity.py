"""Velocity aggregates through Signals: COUNT, SUM and DISTINCT, the event itself included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signal_world import (
    ACCOUNTS_BY_BIN_1H,
    CARDS_1H,
    PAYMENTS_BY_BIN_1H,
    SPEND_1H,
    SPEND_10M,
    payment,
)

from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.events import Event
from garrison.domain.signals import Needs, VelocitySpec
from garrison.services.signals import Signals


def run(
    events: Sequence[Event], *specs: VelocitySpec, store: MemoryStore | None = None
) -> list[dict[VelocitySpec, float]]:
    """Evaluate then record each event, as ingestion does; the velocity each one saw."""
    store = store or MemoryStore()
    signals, needs = Signals(), Needs(velocity=frozenset(specs))
    seen = []
    for event in events:
        with store.uow() as uow:
            seen.append(dict(signals.context(uow, needs, event).velocity))
            signals.record(uow, needs, event)
            uow.commit()
    return seen


def test_distinct_counts_the_events_own_value_once() -> None:
    seen = run(
        [
            payment(1, card="c1"),
            payment(2, card="c1"),
            payment(3, card="c2"),
            payment(4, card="c9", account="someone_else"),
            payment(5, card="c3", type_="account.login"),
            payment(6, card="c2"),
        ],
        CARDS_1H,
    )
    assert [s.get(CARDS_1H) for s in seen] == [1, 1, 2, 1, 2, 2]


def test_an_event_of_another_type_reads_the_window_without_joining_it() -> None:
    seen = run([payment(1, card="c1"), payment(2, card="c2", type_="account.login")], CARDS_1H)
    assert seen[1][CARDS_1H] == 1


def test_sum_adds_the_events_own_amount() -> None:
    seen = run(
        [
            payment(1, amount_usd=10),
            payment(2, amount_usd=5.5),
            payment(3, amount_usd="7"),
            payment(4, amount_usd=True),
            payment(5),
            payment(6, amount_usd=1),
        ],
        SPEND_1H,
    )
    assert [s[SPEND_1H] for s in seen] == [10, 15.5, 15.5, 15.5, 15.5, 16.5]


def test_windows_end_with_the_events_bucket_and_cover_whole_buckets() -> None:
    # T0 is 30 s into its minute; a 1 h window is the 60 buckets ending with the event's own.
    seen = run(
        [
            payment(1, amount_usd=1),
            payment(2, amount_usd=2, seconds=3569),  # 59 buckets later: T0's bucket is in
            payment(3, amount_usd=4, seconds=3570),  # 60 buckets later: T0's bucket is out
        ],
        SPEND_1H,
    )
    assert [s[SPEND_1H] for s in seen] == [1, 3, 6]


def test_windows_sharing_a_key_share_buckets_and_record_once() -> None:
    seen = run(
        [payment(1, amount_usd=10), payment(2, amount_usd=5, seconds=900)],
        SPEND_1H,
        SPEND_10M,
    )
    assert seen[1] == {SPEND_1H: 15, SPEND_10M: 5}


def test_count_and_distinct_keyed_by_an_attribute() -> None:
    seen = run(
        [
            payment(1, account="a1", card_bin="424242"),
            payment(2, account="a2", card_bin="424242"),
            payment(3, account="a2", card_bin="424242"),
            payment(4, account="a3", card_bin="511111"),
            payment(5, account="a3", card_bin=424242),  # compared by text: the same BIN
        ],
        PAYMENTS_BY_BIN_1H,
        ACCOUNTS_BY_BIN_1H,
    )
    assert [s[PAYMENTS_BY_BIN_1H] for s in seen] == [1, 2, 3, 1, 4]
    assert [s[ACCOUNTS_BY_BIN_1H] for s in seen] == [1, 2, 2, 1, 3]


def test_an_event_without_the_key_gets_no_value() -> None:
    seen = run([payment(1, card_bin="1"), payment(2)], PAYMENTS_BY_BIN_1H, CARDS_1H)
    assert PAYMENTS_BY_BIN_1H not in seen[1]
    assert seen[1][CARDS_1H] == 1


def test_attribute_aggregates_count_only_what_a_release_needed_when_it_ran() -> None:
    store = MemoryStore()
    run([payment(1, card_bin="9")], store=store)  # no release read the BIN: nothing kept
    seen = run([payment(2, card_bin="9")], PAYMENTS_BY_BIN_1H, store=store)
    assert seen[0][PAYMENTS_BY_BIN_1H] == 1


def test_long_values_are_compared_by_their_hash() -> None:
    long_card = "c" * 500
    seen = run(
        [payment(1, card=long_card), payment(2, card=long_card), payment(3, card="c" * 499)],
        CARDS_1H,
    )
    assert [s[CARDS_1H] for s in seen] == [1, 1, 2]


class CountingCounters:
    """Wraps a Counters port and counts the read calls."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name in {"sums", "totals", "distinct"}:
            self.calls.append(name)
        return getattr(self.inner, name)


def test_one_read_per_aggregate_type_whatever_the_number_of_specs() -> None:
    store = MemoryStore()
    specs = [SPEND_1H, SPEND_10M, CARDS_1H, ACCOUNTS_BY_BIN_1H, PAYMENTS_BY_BIN_1H]
    needs = Needs(velocity=frozenset(specs))
    with store.uow() as uow:
        counting = CountingCounters(uow.counters)
        uow.counters = counting
        ctx = Signals().context(uow, needs, payment(1, amount_usd=3, card_bin="4"))
    assert sorted(counting.calls) == ["distinct", "sums", "totals"]
    assert len(ctx.velocity) == 5
