"""The backtest and the real ingestion path agree on every hit of every event.

Random event streams (keys drawn from small pools so they collide, attributes of every shape,
many events in one bucket and gaps across window edges) and random rules drawn from a grammar of
the language go through both: the real `IngestService` over the memory store (reading each
stored decision) and the Polars engine. Their hit sets must be identical.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from backtest_world import T0, backtest_hits, event, realtime_hits, release_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garrison.adapters.storage.sql import SqlStore, migrate
from garrison.domain.events import Event
from garrison.domain.language import RuleError, compile_rule
from garrison.domain.rules import Rule

TYPES = ("payment.attempt", "api.usage", "account.signup")
WINDOWS = ("1m", "2m", "5m", "10m", "1h", "2h")
GAPS = (0, 0, 0, 0, 0.4, 1, 20, 59, 60, 61, 119, 300, 1799, 3599, 3600, 3601, 7200, 7260)
A_VALUES: tuple[Any, ...] = (
    None,
    0,
    1,
    3,
    7,
    12,
    -2,
    0.5,
    2.25,
    -1.5,
    True,
    False,
    "7",
    "x",
    2**60,
)
F_VALUES: tuple[Any, ...] = (
    0.0,
    -0.0,
    0.1,
    0.2,
    0.3,
    1.5,
    -2.75,
    1e16,
    3,
    math.nan,
    math.inf,
    -math.inf,
    None,
)
S_VALUES: tuple[Any, ...] = ("", "ok", "x", "Déclined", "İstanbul", "MiXed", None, "a@b", "ok ")
EMAILS: tuple[Any, ...] = (
    "u@mail.test",
    "v@x.mail.test",
    "bad",
    "w@other.org",
    " W@Mail.Test ",
    "z@mailinator.com",
)
M_VALUES: tuple[Any, ...] = ([1, 2], {"k": 1}, "txt", 4, None)
MISSING = object()
SIGNALS = (
    "attr.b",
    "attr.a",
    "attr.m",
    "attr.s",
    "entity.ip",
    'enrich("ip.private")',
    'enrich("email.domain") == "mail.test"',
    'enrich("email.disposable") or enrich("ip.country") == "FR"',
    'not has_label("account", "vip")',
    'score("fraud") is None',
)


@st.composite
def velocities(draw: st.DrawFn) -> str:
    window = draw(st.sampled_from(WINDOWS))
    kind = draw(st.sampled_from([None, *TYPES]))
    tail = f', "{kind}"' if kind else ""
    aggregate = draw(st.sampled_from(("count", "distinct", "total")))
    if aggregate == "count":
        key = draw(st.sampled_from(("account", "ip", "attr.s", "attr.a", "email")))
        return f'count("{key}", "{window}"{tail})'
    key = draw(st.sampled_from(("account", "ip", "attr.s")))
    if aggregate == "distinct":
        of = draw(st.sampled_from(("ip", "attr.s", "attr.a", "account", "attr.f")))
        return f'distinct("{of}", "{key}", "{window}"{tail})'
    of = draw(st.sampled_from(("attr.a", "attr.f", "attr.n")))
    return f'total("{of}", "{key}", "{window}"{tail})'


NUM_ATOMS = st.sampled_from(
    (
        "attr.a",
        "attr.f",
        "attr.n",
        "len(attr.s)",
        "0",
        "1",
        "2",
        "3",
        "5",
        "-1",
        "0.5",
        "2.5",
        "1e16",
        "True",
        "attr.b",
    )
)
STR_ATOMS = st.sampled_from(
    (
        "attr.s",
        "type",
        "entity.account",
        "entity.ip",
        '"ok"',
        '""',
        '"Déclined"',
        "attr.email",
        "lower(attr.s)",
        "upper(attr.s)",
        "domain(attr.email)",
        '"a"',
    )
)


@st.composite
def numbers(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.one_of(NUM_ATOMS, NUM_ATOMS, velocities()))
    x, y = draw(numbers(depth - 1)), draw(numbers(depth - 1))
    shape = draw(st.integers(0, 7))
    if shape == 0:
        return f"({x} {draw(st.sampled_from('+-*/%'))} {y})"
    if shape == 1:
        return f"-{x}"
    if shape == 2:
        return f"{draw(st.sampled_from(('abs', 'round')))}({x})"
    if shape == 3:
        return f"{draw(st.sampled_from(('min', 'max')))}({x}, {y})"
    if shape == 4:
        return f"({x} if {draw(conditions(0))} else {y})"
    if shape == 5:
        return f"({x} or {y})"
    return draw(velocities())


@st.composite
def texts(draw: st.DrawFn) -> str:
    x, y = draw(STR_ATOMS), draw(STR_ATOMS)
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"({x} + {y})"
    if shape == 1:
        return f"({x} or {y})"
    return x


@st.composite
def conditions(draw: st.DrawFn, depth: int = 2) -> str:
    shape = draw(st.integers(0, 14 if depth else 10))
    cmp = draw(st.sampled_from(("==", "!=", "<", "<=", ">", ">=")))
    if shape <= 2:
        return f"{draw(numbers())} {cmp} {draw(numbers())}"
    if shape == 3:
        return f"{draw(texts())} {cmp} {draw(texts())}"
    if shape == 4:
        left = draw(st.one_of(texts(), numbers(1), st.just("attr.m")))
        return f"{left} {cmp} {draw(st.one_of(texts(), numbers(1)))}"
    if shape == 5:
        items = draw(
            st.lists(st.sampled_from(('"ok"', "1", "2.5", "True", '"x"', "0")), max_size=3)
        )
        negate = draw(st.sampled_from(("in", "not in")))
        needle = draw(st.one_of(texts(), numbers(1), st.just("attr.m")))
        return f"{needle} {negate} [{', '.join(items)}]"
    if shape == 6:
        negate = draw(st.sampled_from(("in", "not in")))
        return f"{draw(texts())} {negate} {draw(texts())}"
    if shape == 7:
        value = draw(st.one_of(texts(), numbers(1), st.just("attr.m")))
        return f"{value} is {draw(st.sampled_from(('None', 'not None')))}"
    if shape == 8:
        fn = draw(st.sampled_from(("startswith", "endswith", "contains")))
        affix = draw(st.sampled_from(('"o"', '("a", "k")', '""', "attr.s", '"Dé"')))
        return f"{fn}({draw(texts())}, {affix})"
    if shape == 9:
        name = draw(st.sampled_from(("bad_words", "bad_domains", "missing_list")))
        return f'in_list("{name}", {draw(st.one_of(texts(), st.just("attr.a")))})'
    if shape == 10:
        return draw(st.sampled_from(SIGNALS))
    if shape == 11:
        return f"{draw(numbers(1))} < {draw(numbers(1))} <= {draw(numbers(1))}"
    x, y = draw(conditions(depth - 1)), draw(conditions(depth - 1))
    if shape == 12:
        return f"({x} and {y})"
    if shape == 13:
        return f"({x} or {y})"
    return f"not ({x})"


def _attributes(rng: random.Random) -> dict[str, Any]:
    pools = {"a": A_VALUES, "f": F_VALUES, "s": S_VALUES, "email": EMAILS, "m": M_VALUES}
    pools |= {"n": (1, 2, 5, None, 10), "b": (True, False, None, 1, "yes")}
    out: dict[str, Any] = {}
    for name, pool in pools.items():
        value = rng.choice((*pool, MISSING))
        if value is not MISSING:
            out[name] = value
    return out


def stream(seed: int, size: int, *, finite: bool = False) -> list[Event]:
    """Events with colliding keys; `finite` leaves NaN and infinities out of `attr.f`."""
    rng = random.Random(seed)
    at = T0 + timedelta(seconds=rng.randrange(60), microseconds=rng.randrange(10**6))
    events: list[Event] = []
    for n in range(size):
        at += timedelta(seconds=rng.choice(GAPS), microseconds=rng.choice((0, 0, 1, 999_999)))
        entities = {"account": f"a{rng.randrange(4)}"} if rng.random() < 0.9 else {}
        if rng.random() < 0.7:
            entities["ip"] = rng.choice(("10.0.0.1", "10.0.0.2", "8.8.8.8", "::1", "nope"))
        if rng.random() < 0.3:
            entities["email"] = rng.choice(("m1@mail.test", "m2", "x@guerrillamail.com"))
        attributes = _attributes(rng)
        if finite and not math.isfinite(attributes.get("f") or 0.0):
            attributes["f"] = 0.25
        events.append(event(n, rng.choice(TYPES), at=at, entities=entities, **attributes))
        if rng.random() < 0.05:
            events.append(events[-1])
    if rng.random() < 0.5:
        rng.shuffle(events)  # ingestion order is replay order: occurred_at, then as given
        events.sort(key=lambda e: e.occurred_at)
    return events


def _compiles(text: str) -> bool:
    try:
        compile_rule(Rule("probe", text, "test"))
    except RuleError:
        return False
    return True


@settings(
    max_examples=45,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    rules=st.lists(conditions(), min_size=1, max_size=12),
    seed=st.integers(0, 2**32),
    size=st.integers(1, 120),
)
def test_backtest_hits_equal_realtime_hits(rules: list[str], seed: int, size: int) -> None:
    release = release_of([r for r in rules if _compiles(r)] or ["True"])
    events = stream(seed, size)
    assert backtest_hits(events, release) == realtime_hits(events, release)


def test_a_dense_stream_agrees_with_sqlite_storage(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rt.db'}"
    migrate(url)
    store = SqlStore(url)
    release = release_of(
        [
            'count("account", "5m", "payment.attempt") >= 3 and attr.a > 1',
            'distinct("ip", "account", "10m") >= 2',
            'total("attr.f", "account", "1h") > 0.6',
            'total("attr.n", "ip", "2m", "api.usage") >= 7 or attr.s in ["ok", "x"]',
            'in_list("bad_domains", attr.email) and count("attr.s", "1m") > 1',
            "(attr.a or attr.s) and not (attr.f is None) and lower(attr.s) != 'ok'",
            "min(attr.a, attr.n) % 2 == 1 or round(attr.f) > 0",
        ]
    )
    events = stream(5, 400, finite=True)  # NaN sums cannot be stored in SQL
    try:
        assert backtest_hits(events, release) == realtime_hits(events, release, store.uow)
    finally:
        store.dispose()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streams_with_float_sums_agree_to_the_bit(seed: int) -> None:
    """Sums of floats like 0.1 + 0.2 are compared at thresholds they land next to."""
    release = release_of(
        [
            'total("attr.f", "account", "2m") == 0.30000000000000004',
            'total("attr.f", "account", "10m") > 0.3',
            'total("attr.f", "ip", "1h", "api.usage") * 3 >= 0.9',
        ]
    )
    events = stream(seed, 300)
    assert backtest_hits(events, release) == realtime_hits(events, release)
