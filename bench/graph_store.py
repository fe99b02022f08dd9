"""Ring detection read from SQLite: the bulk columnar read against the row-by-row scan.

The synthetic graph of `bench/graph.py` is written once into a migrated SQLite file under
`var/bench/` (raw `executemany` in one transaction) and kept between runs. Garrison's figure is
what a detection does before it writes: `Links.table` (a raw DBAPI cursor, `fetchmany` into a
Polars frame), `ScipyGraphEngine.clusters` and `assemble`. The baseline, in the same run on the
same file, is the same path with the links paged out as `Link` objects by `Links.scan` (how
detection read them before).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.storage.sql import SqlStore, migrate
from garrison.domain.graph import LinkPolicy
from garrison.services.graph_storage import LinkKey
from garrison.services.link_table import LinkTable, LinkTableBuilder
from garrison.services.rings import RingSettings, assemble

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
SCAN_PAGE = 5000
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def links_file(graph: Any, kind_codes: tuple[Any, ...], t0: Any) -> Path:
    """The migrated SQLite file holding the graph's links (written on first use, then kept)."""
    path = CACHE / f"graph-{graph.accounts}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    migrate(f"sqlite:///{partial}")
    values = [kind.value for kind in kind_codes]
    prefixes = [value[:3] for value in values]
    columns = (graph.account.tolist(), graph.kind.tolist(), graph.ident.tolist(), graph.seen)
    rows = []
    for a, k, i, s in zip(*columns, strict=True):
        at = (t0 + timedelta(seconds=float(s))).strftime(STAMP)
        rows.append((f"a{a}", values[k], f"{prefixes[k]}{i}", at, at, 1))
    db = sqlite3.connect(partial)
    with db:
        db.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.close()
    partial.rename(path)
    return path


def scan_table(store: SqlStore) -> LinkTable:
    """Baseline read: `Links.scan` pages of `Link` objects into the builder."""
    builder = LinkTableBuilder()
    after: LinkKey | None = None
    with store.reader() as uow:
        while found := uow.links.scan(after, SCAN_PAGE):
            builder.add(found)
            last = found[-1]
            after = (last.account.id, last.identifier.kind.value, last.identifier.id)
    return builder.build()


def bulk_table(store: SqlStore) -> LinkTable:
    with store.reader() as uow:
        return uow.links.table()  # what `rings.load_table` reads


def detect_from(store: SqlStore, read: Any, now: Any) -> tuple[float, float, int]:
    """(seconds reading, seconds in all, rings) of one detection without its writes."""
    started = time.perf_counter()
    table = read(store)
    loaded = time.perf_counter()
    settings = RingSettings(policy=LinkPolicy())
    clusters = ScipyGraphEngine().clusters(table, settings.policy)
    rings = assemble(table, clusters, bad=set(), now=now, settings=settings)
    return loaded - started, time.perf_counter() - started, len(rings)


def measure_sqlite(graph: Any, kind_codes: tuple[Any, ...], t0: Any) -> dict[str, Any]:
    path = links_file(graph, kind_codes, t0)
    store = SqlStore(f"sqlite:///{path}")
    try:
        bulk_read, bulk_total, rings = detect_from(store, bulk_table, t0)
        scan_read, scan_total, scan_rings = detect_from(store, scan_table, t0)
    finally:
        store.dispose()
    return {
        "bulk_read_s": round(bulk_read, 3),
        "bulk_total_s": round(bulk_total, 3),
        "scan_read_s": round(scan_read, 3),
        "scan_total_s": round(scan_total, 3),
        "rings": rings,
        "same_rings": rings == scan_rings,
        "file": str(path.relative_to(ROOT)),
    }


def incremental_links(path: Path, events: int, batch: int = 100) -> dict[str, Any]:
    """Events per second through `record_links_many` (what ingestion adds per batch), batches of
    `batch` events, one unit of work and commit each, on a fresh migrated SQLite file; the
    baseline is the same commits with no link writes (the floor of a batch's transaction)."""
    from garrison.domain.entities import EntityKind
    from garrison.domain.events import Event
    from garrison.domain.ids import EventId
    from garrison.services.investigate import record_links_many

    path.unlink(missing_ok=True)
    migrate(f"sqlite:///{path}")
    store = SqlStore(f"sqlite:///{path}")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    made = [
        Event(
            EventId(f"evt_{n}"),
            "account.login",
            at + timedelta(seconds=n),
            {
                EntityKind.ACCOUNT: f"acct_{n % (events // 4)}",
                EntityKind.DEVICE: f"dev_{n % (events // 3)}",
                EntityKind.IP: f"10.0.{(n // 250) % 250}.{n % 250}",
                EntityKind.PAYMENT_METHOD: f"pm_{n % (events // 5)}",
            },
            {},
        )
        for n in range(events)
    ]
    timings = {}
    try:
        for name, write in (("floor", False), ("links", True)):
            started = time.perf_counter()
            for start in range(0, events, batch):
                with store.uow() as uow:
                    if write:
                        record_links_many(uow, made[start : start + batch])
                    uow.commit()
            timings[name] = time.perf_counter() - started
    finally:
        store.dispose()
    return {
        "events": events,
        "batch": batch,
        "links_events_per_s": round(events / timings["links"]),
        "floor_events_per_s": round(events / timings["floor"]),
    }
