"""From hit columns to the engine's output: hits per rule and day, subjects, rule combinations.

Only rows some rule hit are looked at closely (their subject, day and id); the whole frame is
only counted (events per day, subjects seen), so summarising costs little beside the replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import reduce

import polars as pl

from garrison.adapters.backtest.frame import EventFrame, entity_column
from garrison.domain.entities import SUBJECT_PRECEDENCE
from garrison.domain.rules import CompiledRule
from garrison.services.backtest import EXAMPLES, EngineOutput, RuleHits

MASK_BITS = 62
DAY_US = 86_400_000_000
EPOCH_DAY = date(1970, 1, 1)


def summarize(
    events: EventFrame,
    ours: Sequence[CompiledRule],
    theirs: Sequence[CompiledRule],
    fired: Sequence[pl.Series],
    row_wise: Sequence[int],
) -> EngineOutput:
    frame = events.frame
    days = frame.select((pl.col("_us") // DAY_US).alias("day")).to_series()
    counts = days.value_counts().sort("day")
    names = {d: (EPOCH_DAY + timedelta(days=d)).isoformat() for d in counts["day"].to_list()}
    rows = _hit_rows(fired, frame.height)
    wanted = ["id", "_us", *(entity_column(kind) for kind in SUBJECT_PRECEDENCE)]
    detail = frame.select(wanted)[rows].select(
        "id",
        day=(pl.col("_us") // DAY_US).replace_strict(names, return_dtype=pl.String),
        subject=_subject(),
    )
    masks = [column.gather(rows) for column in fired]
    split = len(ours)
    return EngineOutput(
        events=frame.height,
        duplicates=events.duplicates,
        days={names[d]: n for d, n in zip(counts["day"], counts["count"], strict=True)},
        subjects=_subjects(frame),
        rules=_rule_hits(detail, ours, masks[:split], row_wise[:split]),
        live=_rule_hits(detail, theirs, masks[split:], row_wise[split:]),
        patterns=_patterns(ours, theirs, masks),
    )


def _hit_rows(fired: Sequence[pl.Series], height: int) -> pl.Series:
    if not fired:
        return pl.Series([], dtype=pl.Int64)
    hit = reduce(lambda a, b: a | b, fired)
    return hit.arg_true().cast(pl.Int64) if hit.len() == height else pl.Series([], dtype=pl.Int64)


def _subject() -> pl.Expr:
    """The event's subject, `kind:id`, the first entity in `SUBJECT_PRECEDENCE`."""
    return pl.coalesce(
        [
            pl.concat_str(pl.lit(f"{kind}:"), pl.col(entity_column(kind)))
            for kind in SUBJECT_PRECEDENCE
        ]
    )


def _subjects(frame: pl.DataFrame) -> frozenset[str]:
    """Every subject of the frame, one kind at a time (no text built per row)."""
    seen: set[str] = set()
    taken = pl.lit(False)
    for kind in SUBJECT_PRECEDENCE:
        column = pl.col(entity_column(kind))
        ids = frame.select(column.filter(~taken & column.is_not_null()).unique()).to_series()
        seen.update(f"{kind}:{ident}" for ident in ids.to_list())
        taken = taken | column.is_not_null()
    return frozenset(seen)


def _rule_hits(
    detail: pl.DataFrame,
    rules: Sequence[CompiledRule],
    masks: Sequence[pl.Series],
    row_wise: Sequence[int],
) -> dict[str, RuleHits]:
    out: dict[str, RuleHits] = {}
    for compiled, mask, count in zip(rules, masks, row_wise, strict=True):
        hit = detail.filter(mask)
        per_day = hit.group_by("day").len().sort("day")
        out[compiled.rule.name] = RuleHits(
            per_day=dict(zip(per_day["day"].to_list(), per_day["len"].to_list(), strict=True)),
            subjects=frozenset(hit["subject"].drop_nulls().unique().to_list()),
            examples=tuple(hit["id"].head(EXAMPLES).to_list()),
            row_wise=count,
        )
    return out


def _patterns(
    ours: Sequence[CompiledRule], theirs: Sequence[CompiledRule], masks: Sequence[pl.Series]
) -> list[tuple[frozenset[str], frozenset[str], int]]:
    """Every combination of (candidate, live) rules that fired together, with its event count."""
    names = [c.rule.name for c in ours] + [c.rule.name for c in theirs]
    mine = len(ours)
    if not names or masks[0].len() == 0:
        return []
    starts = range(0, len(names), MASK_BITS)
    words = {
        f"w{start}": pl.sum_horizontal(
            [
                masks[i].cast(pl.Int64) * (1 << (i - start))
                for i in range(start, min(start + MASK_BITS, len(names)))
            ]
        )
        for start in starts
    }
    grouped = pl.select([expr.alias(name) for name, expr in words.items()])
    grouped = grouped.group_by(list(words)).len()
    patterns: list[tuple[frozenset[str], frozenset[str], int]] = []
    for row in grouped.iter_rows(named=True):
        on = [
            i
            for start in starts
            for i in range(start, min(start + MASK_BITS, len(names)))
            if row[f"w{start}"] >> (i - start) & 1
        ]
        ours_fired = frozenset(names[i] for i in on if i < mine)
        theirs_fired = frozenset(names[i] for i in on if i >= mine)
        patterns.append((ours_fired, theirs_fired, int(row["len"])))
    return patterns
