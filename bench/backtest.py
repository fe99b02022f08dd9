"""Backtest: 100 rules with velocity over 10 million events (quick: 200,000) on Polars.

The events are generated directly as Polars columns (simulator-shaped: ten event types, keys from
large pools, attributes per type, about 58 events a second over two days), so generation is not
what is timed. The rules are the engine benchmark's 95 generated rules plus 5 with DISTINCT, SUM
and attribute keys. The baseline, measured in the same run, is the real-time ingestion path
(`IngestService` on a SQLite file) on the first events; the same events must get identical hits
from both, rule by rule.

    .venv/bin/python bench/backtest.py [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import Measurement  # noqa: E402
from bench.report import Row, Target, print_table  # noqa: E402
from bench.rulegen import (  # noqa: E402
    BINS,
    CATEGORIES,
    COUNTRIES,
    DOMAINS,
    MODELS,
    REASONS,
    WORDS,
    rule_set,
)
from garrison.adapters.backtest import EventFrame, PolarsBacktestEngine  # noqa: E402
from garrison.adapters.backtest.columns import attributes_read  # noqa: E402
from garrison.adapters.fakes import ManualClock, SequentialIds  # noqa: E402
from garrison.adapters.rules_file import StaticReleaseSource  # noqa: E402
from garrison.adapters.storage.sql import SqlStore, migrate  # noqa: E402
from garrison.domain.decisions import ScorePolicy  # noqa: E402
from garrison.domain.language import compile_release  # noqa: E402
from garrison.domain.rules import Release, Rule  # noqa: E402
from garrison.services.ingest import IngestService  # noqa: E402

NAME = "backtest"
TARGET_SECONDS = 60.0
START_US = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z
STEP_US = 17_280  # two days over ten million events: about 58 events a second
TYPES = (
    ("api.usage", 720),
    ("content.submitted", 100),
    ("account.login", 70),
    ("payment.attempt", 50),
    ("account.signup", 30),
    ("project.created", 10),
    ("org.created", 8),
    ("api_key.created", 8),
    ("report.filed", 3),
    ("payment.chargeback", 1),
)
MAIL = ("gmail.com", "outlook.com", "yahoo.com", "acme.io", "corp.example", "uni.edu", "proton.me")
BENIGN = ("recipe", "code", "poem", "plan", "story", "review", "notes", "song", "letter")
EXTRA_RULES = (
    'type == "payment.attempt" and distinct("payment_method", "account", "24h") >= 3',
    'type == "api.usage" and total("attr.cost_usd", "org", "1h", "api.usage") > 0.5',
    'type == "api.usage" and total("attr.tokens", "api_key", "10m") > 400000',
    'type == "payment.attempt" and count("attr.card_bin", "1h", "payment.attempt") >= 25',
    'type == "account.signup" and distinct("ip", "device", "1d", "account.signup") >= 2',
)


@dataclass(frozen=True, slots=True)
class Size:
    events: int
    check_events: int


FULL = Size(events=10_000_000, check_events=20_000)
QUICK = Size(events=200_000, check_events=3_000)


def release() -> Release:
    rules = rule_set(100 - len(EXTRA_RULES))
    rules += [
        Rule(f"bench_extra_{i}", when, "bench.extra", score=0.1)
        for i, when in enumerate(EXTRA_RULES)
    ]
    return compile_release("bench-backtest", rules)


def _pick(values: tuple[str, ...], salt: int) -> pl.Expr:
    """One of `values` per row, drawn from a hash of the row number."""
    index = (pl.col("_row").hash(salt) % len(values)).cast(pl.Int64)
    return index.replace_strict(dict(enumerate(values)), return_dtype=pl.String)


def _uniform(salt: int) -> pl.Expr:
    return (pl.col("_row").hash(salt) % 1_000_000).cast(pl.Float64) / 1_000_000


def _ident(prefix: str, pool: int, salt: int) -> pl.Expr:
    return pl.format(f"{prefix}_{{}}", pl.col("_row").hash(salt) % pool)


def synthetic_frame(events: int) -> EventFrame:
    """`events` simulator-shaped events in replay order, as an `EventFrame`."""
    weights = [w for _, w in TYPES]
    cut, bounds = 0, []
    for weight in weights:
        cut += weight
        bounds.append(cut)
    draw = (pl.col("_row").hash(1) % sum(weights)).cast(pl.Int64)
    kind = pl.lit(TYPES[-1][0])
    for (name, _), bound in reversed(list(zip(TYPES, bounds, strict=True))):
        kind = pl.when(draw < bound).then(pl.lit(name)).otherwise(kind)
    base = pl.DataFrame({"_row": pl.int_range(0, events, eager=True, dtype=pl.Int64)})
    frame = base.with_columns(
        _seq=pl.col("_row"),
        id=pl.format("evt_{}", pl.col("_row")),
        type=kind,
        _us=START_US + pl.col("_row") * STEP_US + (pl.col("_row").hash(2) % STEP_US).cast(pl.Int64),
    ).with_columns(_bucket=(pl.col("_us") // 1_000_000) // 60)
    frame = frame.with_columns(*_entities(), *_attributes())
    return EventFrame(frame)


def _entities() -> list[pl.Expr]:
    def only(types: tuple[str, ...], expr: pl.Expr) -> pl.Expr:
        return pl.when(pl.col("type").is_in(list(types))).then(expr)

    usage = ("api.usage", "content.submitted")
    key = pl.col("_row").hash(5) % 60_000
    # a key calls from its own few addresses; now and then from anywhere
    usage_ip = pl.when(_uniform(40) < 0.97).then(key.hash(41) % 120_000 + (key % 2))
    ip = pl.format("ip_{}", usage_ip.otherwise(pl.col("_row").hash(4) % 120_000))
    return [
        _ident("acct", 300_000, 3).alias("entity.account"),
        only(
            ("api.usage", "account.login", "payment.attempt", "account.signup", "org.created"), ip
        ).alias("entity.ip"),
        only(usage, pl.format("key_{}", key)).alias("entity.api_key"),
        _ident("org", 50_000, 6).alias("entity.org"),
        only(("api.usage", "project.created"), _ident("proj", 80_000, 7)).alias("entity.project"),
        only(("payment.attempt", "payment.chargeback"), _ident("pm", 40_000, 8)).alias(
            "entity.payment_method"
        ),
        only(("account.login", "account.signup"), _ident("dev", 250_000, 9)).alias("entity.device"),
        only(("account.signup",), pl.format("u{}@{}", pl.col("_row"), _domain())).alias(
            "entity.email"
        ),
        only(("content.submitted", "report.filed"), _ident("c", 10**9, 11)).alias("entity.content"),
    ]


def _domain() -> pl.Expr:
    """Mostly everyday mail providers, a few disposable ones."""
    return pl.when(_uniform(12) < 0.03).then(_pick(DOMAINS, 10)).otherwise(_pick(MAIL, 13))


def _attributes() -> list[pl.Expr]:
    def on(name: str, expr: pl.Expr) -> pl.Expr:
        return pl.when(pl.col("type") == name).then(expr)

    pay = "payment.attempt"
    amount = (_uniform(20) ** 3 * 400).round(2)
    bins = pl.when(_uniform(37) < 0.02).then(_pick(BINS, 21))
    country = _pick(COUNTRIES, 23)
    travel = pl.when(_uniform(24) < 0.03).then(_pick(COUNTRIES, 25)).otherwise(country)
    word = pl.when(_uniform(30) < 0.01).then(_pick(WORDS, 31)).otherwise(_pick(BENIGN, 38))
    text = pl.format("please write a {} about my {}", word, _pick(BENIGN, 39))
    category = pl.when(_uniform(32) < 0.1).then(_pick(CATEGORIES, 42)).otherwise(pl.lit("none"))
    return [
        on(pay, bins.otherwise(pl.format("4{}", pl.col("_row").hash(43) % 90_000 + 10_000))).alias(
            "attr.card_bin"
        ),
        pl.when(pl.col("type").is_in([pay, "payment.chargeback"]))
        .then(amount)
        .alias("attr.amount_usd"),
        on(
            pay, pl.when(_uniform(22) < 0.06).then(pl.lit("declined")).otherwise(pl.lit("approved"))
        ).alias("attr.result"),
        on(pay, country).alias("attr.card_country"),
        pl.when(pl.col("type").is_in([pay, "api.usage"])).then(travel).alias("attr.ip_country"),
        on("api.usage", _pick(MODELS, 26)).alias("attr.model"),
        on("api.usage", (_uniform(27) ** 30 * 200_000).cast(pl.Int64)).alias("attr.tokens"),
        on("api.usage", (_uniform(28) ** 200).round(6)).alias("attr.cost_usd"),
        on("api.usage", (_uniform(29) ** 200 * 250).cast(pl.Int64) + 1).alias("attr.requests"),
        on("content.submitted", (_uniform(33) ** 20).round(3)).alias("attr.moderation_score"),
        on("content.submitted", category).alias("attr.category"),
        pl.when(pl.col("type").is_in(["content.submitted", "report.filed"]))
        .then(text)
        .alias("attr.text"),
        on("account.signup", _uniform(34) < 0.02).alias("attr.disposable_email"),
        on("account.signup", _domain()).alias("attr.email_domain"),
        pl.when(pl.col("type").is_in(["account.signup", "org.created"]))
        .then(_pick(("free", "free", "free", "pay_as_you_go", "enterprise"), 35))
        .alias("attr.tier"),
        on("account.login", _pick(COUNTRIES, 36)).alias("attr.country"),
        pl.when(pl.col("type").is_in(["report.filed", "payment.chargeback"]))
        .then(_pick(REASONS, 44))
        .alias("attr.reason"),
    ]


def run(*, quick: bool) -> list[Row]:
    size = QUICK if quick else FULL
    rules = release()
    started = time.perf_counter()
    frame = synthetic_frame(size.events)
    generated_s = time.perf_counter() - started
    engine = PolarsBacktestEngine()
    started = time.perf_counter()
    output = engine.run_frame(frame, rules, None)
    backtest_s = time.perf_counter() - started
    check = _check(engine, frame, rules, size.check_events)
    subject = Measurement("polars backtest", size.events, backtest_s)
    baseline = Measurement("real-time ingest path", check["checked_events"], check["realtime_s"])
    hits = sum(h.hits for h in output.rules.values())
    return [
        Row(
            bench=NAME,
            case=f"{size.events:,} events x {len(rules.rules)} rules",
            subject=subject,
            baseline=baseline,
            target=None if quick else Target(min_per_s=size.events / TARGET_SECONDS),
            details={
                "events": size.events,
                "rules": len(rules.rules),
                "velocity_specs": len(rules.velocity),
                "generate_s": round(generated_s, 3),
                "backtest_s": round(backtest_s, 3),
                "target_s": TARGET_SECONDS,
                "hits": hits,
                "rules_firing": sum(1 for h in output.rules.values() if h.hits),
                "row_wise_rows": sum(h.row_wise for h in output.rules.values()),
                **{k: v for k, v in check.items() if k != "realtime_s"},
                "baseline_measures": "IngestService.process on SQLite (real time), per event",
            },
        )
    ]


def _check(
    engine: PolarsBacktestEngine, frame: EventFrame, rules: Release, count: int
) -> dict[str, object]:
    """The first `count` events through the real ingestion path and the backtest: same hits?"""
    head = EventFrame(frame.frame.head(count))
    rows = pl.int_range(0, head.height, eager=True, dtype=pl.Int64)
    events = head.events(rows, attributes_read(rules.rules))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'realtime.db'}"
        migrate(url)
        store = SqlStore(url)
        clock = ManualClock(frame.events(rows.head(1), ())[0].occurred_at)
        service = IngestService(
            store.uow, StaticReleaseSource(rules), ScorePolicy(), clock, SequentialIds()
        )
        started = time.perf_counter()
        decided = [service.process(event).decision for event in events]
        realtime_s = time.perf_counter() - started
        store.dispose()
    fired = engine.hits(head, rules.rules).fired
    names = [compiled.rule.name for compiled in rules.rules]
    backtest = [set() for _ in events]
    for name, column in zip(names, fired, strict=True):
        for row in column.arg_true().to_list():
            backtest[row].add(name)
    mismatched = [
        e.id
        for e, d, b in zip(events, decided, backtest, strict=True)
        if {h.rule for h in d.hits} != b
    ]
    return {
        "checked_events": len(events),
        "realtime_s": realtime_s,
        "identical_hits": not mismatched,
        "mismatched_events": mismatched[:10],
        "checked_hits": sum(len(b) for b in backtest),
    }


def main() -> int:
    quick = "--quick" in sys.argv
    rows = run(quick=quick)
    print_table(rows)
    for row in rows:
        print(row.to_json()["details"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
