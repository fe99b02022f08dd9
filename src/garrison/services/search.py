"""Search: find events, and the entities they name, with an expression of the rule language.

The expression is checked against the event schemas like a rule's condition (a bad one is an
`InvalidInput` placed at its line and column, field `expression`), then run over the event log
of a time range with the in-process evaluator rules use: velocity counts over the events of the
range replayed in order (as a backtest counts them), lists, labels, scores and enrichment as
real time reads them now. Results are the newest matches, a histogram of matches per time bucket
and the entities the matches name most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event
from garrison.domain.language import EventSchemas, SourceMap, build_rule
from garrison.domain.language.replay import Counters
from garrison.domain.rules import CompiledRule, Rule
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.signals import Signals
from garrison.services.unit_of_work import StoredEvent, UnitOfWorkFactory

PAGE = 2000
MAX_LIMIT = 10_000
BUCKETS = 48
"""About how many histogram bars a range is split into."""
BUCKET_STEPS = tuple(
    timedelta(seconds=s)
    for s in (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400)
)
QUERY_PATH = "<query>"


@dataclass(frozen=True, slots=True)
class SearchRequest:
    expression: str
    since: datetime
    until: datetime | None = None
    limit: int = 100
    """How many matching events to return (newest first); the counts cover every match."""


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime
    count: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    ref: EntityRef
    events: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    expression: str
    since: datetime
    until: datetime
    scanned: int
    matched: int
    events: tuple[Event, ...]
    """The newest `limit` matches, newest first."""
    bucket_seconds: int
    histogram: tuple[Bucket, ...]
    entities: tuple[EntityCount, ...]
    """Entities named by matches, most matches first."""
    truncated: bool
    """The scan stopped at `max_scan` events: counts cover only the oldest ones scanned."""


def compile_query(expression: str, schemas: EventSchemas | None) -> CompiledRule:
    """The expression as a rule condition; `InvalidInput` (field `expression`) at its position."""
    if not expression.strip():
        raise InvalidInput("the query is empty", field="expression")
    source = SourceMap.of_text(expression, QUERY_PATH, field="expression")
    rule = Rule(name="search", when=expression, policy="search")
    compiled, errors = build_rule(rule, source=source, schemas=schemas)
    if errors:
        raise errors[0]
    assert compiled is not None
    return compiled


def bucket_size(since: datetime, until: datetime) -> timedelta:
    """The smallest step that splits the range into about `BUCKETS` bars."""
    span = until - since
    for step in BUCKET_STEPS:
        if span / step <= BUCKETS:
            return step
    return BUCKET_STEPS[-1]


def bucket_start(at: datetime, step: timedelta) -> datetime:
    seconds = int(step.total_seconds())
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


class SearchService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        signals: Signals,
        schemas: EventSchemas | None = None,
        *,
        max_scan: int = 1_000_000,
        readers: UnitOfWorkFactory | None = None,
    ) -> None:
        self._uow = uow_factory
        self._readers = readers or uow_factory
        """Units that only read (on SQLite: no write lock), for the scan: ingestion goes on."""
        self._clock = clock
        self._signals = signals
        self._schemas = schemas
        self.max_scan = max_scan

    def check(self, expression: str) -> CompiledRule:
        """Compile a query (to check it) without running it."""
        return compile_query(expression, self._schemas)

    def search(self, principal: Principal, request: SearchRequest) -> SearchResult:
        """Run a query (needs READ_CONTENT); the run is audited with its expression."""
        principal.require(Permission.READ_CONTENT)
        compiled = compile_query(request.expression, self._schemas)
        until = request.until or self._clock.now()
        if request.since >= until:
            raise InvalidInput("since must be before until", field="since")
        if not 1 <= request.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be 1..{MAX_LIMIT}", field="limit")
        result = self._run(compiled, request, until)
        with self._uow() as uow:
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="search.run",
                target="events",
                details={"expression": request.expression, "matched": result.matched},
            )
            uow.commit()
        return result

    def matches(self, request: SearchRequest) -> Iterator[Event]:
        """Every match of the range, oldest first (for exports and retroactive action)."""
        compiled = compile_query(request.expression, self._schemas)
        until = request.until or self._clock.now()
        yield from self._matching(compiled, request.since, until, [0])

    def _run(self, compiled: CompiledRule, request: SearchRequest, until: datetime) -> SearchResult:
        step = bucket_size(request.since, until)
        histogram: Counter[datetime] = Counter()
        entities: Counter[EntityRef] = Counter()
        newest: list[Event] = []
        scanned = [0]
        matched = 0
        for event in self._matching(compiled, request.since, until, scanned):
            matched += 1
            histogram[bucket_start(event.occurred_at, step)] += 1
            entities.update(event.refs)
            newest.append(event)
            if len(newest) > 2 * request.limit:
                del newest[: len(newest) - request.limit]
        first = bucket_start(request.since, step)
        bars = []
        at = first
        while at < until:
            bars.append(Bucket(at, histogram.get(at, 0)))
            at += step
        return SearchResult(
            expression=request.expression,
            since=request.since,
            until=until,
            scanned=scanned[0],
            matched=matched,
            events=tuple(reversed(newest[-request.limit :])),
            bucket_seconds=int(step.total_seconds()),
            histogram=tuple(bars),
            entities=tuple(EntityCount(r, n) for r, n in entities.most_common(50)),
            truncated=scanned[0] >= self.max_scan,
        )

    def _matching(
        self, compiled: CompiledRule, since: datetime, until: datetime, scanned: list[int]
    ) -> Iterator[Event]:
        """Matches in time order; `scanned[0]` counts the events read (up to `max_scan`)."""
        needs = compiled.needs
        counters = Counters(needs.velocity)
        others = replace(needs, velocity=frozenset())
        after: StoredEvent | None = None
        while scanned[0] < self.max_scan:
            with self._readers() as uow:
                page = uow.events.by_time(
                    since, until, after, min(PAGE, self.max_scan - scanned[0])
                )
                found = [e for e in _events(page) if e.occurred_at < until]
                hits = []
                for event in found:
                    counters.add(event)
                    ctx = self._signals.context(uow, others, event)
                    if needs.velocity:
                        ctx = replace(ctx, velocity=counters.values(event))
                    if compiled.fires(ctx):
                        hits.append(event)
            scanned[0] += len(page)
            yield from hits
            if len(page) < PAGE or not page:
                return
            after = page[-1]


def _events(page: Sequence[StoredEvent]) -> list[Event]:
    return [stored.event for stored in page]
