"""Cases where Python and Polars differ, each settled as real time settles it.

Every case asserts the hits real time gives (by ingesting), that the backtest gives the same, and
how the backtest got there: in columns, or row by row for rows the columns cannot be sure of.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from backtest_world import T0, backtest_hits, event, realtime_hits, release_of

from garrison.adapters.backtest import PolarsBacktestEngine
from garrison.adapters.backtest.rowwise import RowEvaluator
from garrison.domain.events import Event

MISSING = object()


def _events(values: list[Any], name: str = "x") -> list[Event]:
    return [
        event(n, at=T0 + timedelta(seconds=n), **({} if v is MISSING else {name: v}))
        for n, v in enumerate(values)
    ]


def _fired(when: str, events: list[Event]) -> tuple[set[str], int]:
    """(ids the backtest fires on, rows it evaluated one by one), checked against real time."""
    release = release_of([when])
    expected = realtime_hits(events, release)
    assert backtest_hits(events, release) == expected
    engine = PolarsBacktestEngine()
    hits = engine.hits(engine.load(events, release.rules), release.rules)
    return {e for e, rules in expected.items() if rules}, hits.row_wise[0]


def test_none_compares_false_but_equals_none() -> None:
    events = _events([None, 3, MISSING, "3"])
    assert _fired("attr.x > 1", events) == ({"e00001"}, 1)  # "3" in a number column: odd
    assert _fired("attr.x == None", events)[0] == {"e00000", "e00002"}
    assert _fired("attr.x != 3", events)[0] == {"e00000", "e00002", "e00003"}


def test_nan_is_unequal_to_everything_and_orders_with_nothing() -> None:
    events = _events([math.nan, 1.5, -math.inf, math.inf])
    assert _fired("attr.x == attr.x", events)[0] == {"e00001", "e00002", "e00003"}
    assert _fired("attr.x > 0", events)[0] == {"e00001", "e00003"}
    assert _fired("attr.x <= 0", events)[0] == {"e00002"}


def test_bools_are_numbers_and_texts_are_not() -> None:
    events = _events([True, 1, 1.0, "1", False])
    assert _fired("attr.x == 1", events)[0] == {"e00000", "e00001", "e00002"}
    assert _fired("attr.x + 1 == 2", events)[0] == {"e00000", "e00001", "e00002"}


def test_integers_past_two_to_the_53_run_row_by_row() -> None:
    big = 2**53 + 1
    fired, row_wise = _fired(f"attr.x - 1 == {big - 1}", _events([big, big - 1, 5]))
    assert fired == {"e00000"}
    assert row_wise == 1


def test_overflowing_products_run_row_by_row() -> None:
    fired, row_wise = _fired("attr.x * attr.x > 1000000", _events([2**30, 3]))
    assert fired == {"e00000"}
    assert row_wise == 1


def test_lists_in_a_text_column_are_odd_values_read_by_python() -> None:
    fired, row_wise = _fired("len(attr.x) == 2", _events(["ab", ["a", "b"], "abc", {"k": 1}]))
    assert fired == {"e00000", "e00001"}
    assert row_wise == 2


def test_case_mapping_beyond_ascii_runs_row_by_row() -> None:
    fired, row_wise = _fired('lower(attr.x) == "i̇stanbul"', _events(["İstanbul", "ISTANBUL"]))
    assert fired == {"e00000"}
    assert row_wise == 1


def test_float_modulo_is_pythons() -> None:
    fired, row_wise = _fired("attr.x % 3 == 2", _events([-1.0, 5.0, 2.5, 8]))
    assert fired == {"e00000", "e00001", "e00003"}
    assert row_wise == 1  # 2.5 % 3 is not done with integers


def test_value_rules_fire_on_truthy_values() -> None:
    events = _events(["", "a", 0, 0.0, 2, None, math.nan])
    assert _fired("attr.x", events)[0] == {"e00001", "e00004", "e00006"}
    assert _fired("attr.x or attr.y", events)[0] == {"e00001", "e00004", "e00006"}


def test_round_with_digits_has_no_column_form() -> None:
    fired, row_wise = _fired("round(attr.x, 2) == 2.67", _events([2.675, 2.665, 2.676]))
    assert fired == {"e00000", "e00001"}  # 2.675 is stored as 2.67499999...
    assert row_wise == 3


@pytest.mark.parametrize(
    "when",
    [
        'type == "payment.attempt" and attr.x > 1',
        'attr.x > 1 and "payment.attempt" == type',
        'type in ["api.usage", "payment.attempt"] and (attr.x and type != "api.usage")',
        'type == "payment.attempt" and type == "api.usage"',
        'type in "payment.attempt.retry"',
        "type == 5 or attr.x == 2",
    ],
)
def test_rules_run_only_for_the_types_real_time_runs_them_for(when: str) -> None:
    events = [
        event(n, type_, at=T0 + timedelta(seconds=n), x=n)
        for n, type_ in enumerate(["payment.attempt", "api.usage", "payment.attempt"])
    ]
    release = release_of([when])
    assert backtest_hits(events, release) == realtime_hits(events, release)


def test_windows_count_the_event_and_earlier_ties_only() -> None:
    at = T0.replace(second=0)
    events = [
        event(n, at=at + timedelta(seconds=s), entities={"account": "a1"})
        for n, s in enumerate([0, 0, 0, 59, 60, 119, 120, 179])
    ]
    release = release_of(['count("account", "2m") == 3'])
    assert backtest_hits(events, release) == realtime_hits(events, release)
    fired = {e for e, rules in realtime_hits(events, release).items() if rules}
    assert fired == {"e00002", "e00006"}


def test_label_and_score_columns_read_as_the_closures_read_them() -> None:
    """A frame given `labels.<kind>` and `score.<model>` columns: columns and closures agree."""
    release = release_of(
        [
            'has_label("account", "vip") and score("fraud") is None',
            'not has_label("ip", "tor") or score("fraud") > 0.5',
            'score("fraud") * 2 >= 1',
        ]
    )
    events = _events([1, 2, 3, 4])
    engine = PolarsBacktestEngine()
    frame = engine.load(events, release.rules)
    frame.frame = frame.frame.with_columns(
        pl.Series("labels.account", [["vip"], [], None, ["vip", "x"]]),
        pl.Series("labels.ip", [["tor"], ["tor"], None, []]),
        pl.Series("score.fraud", [None, 0.7, 0.2, 0.5]),
    )
    hits = engine.hits(frame, release.rules)
    assert hits.row_wise == (0, 0, 0)
    rows = RowEvaluator(frame, {}, {}, ())
    everything = pl.int_range(0, 4, eager=True, dtype=pl.Int64)
    for compiled, column in zip(release.rules, hits.fired, strict=True):
        assert column.to_list() == rows.fires(compiled, everything).to_list()
    assert [c.to_list() for c in hits.fired] == [
        [True, False, False, False],
        [False, True, True, True],
        [False, True, False, True],
    ]
