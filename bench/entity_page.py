"""Entity page latency on SQLite with many stored events (10M; quick: 100k).

The event log is written once into a migrated SQLite file under `var/bench/` (raw `executemany`
in one transaction: events, their entity index, one decision each, identity links) and kept
between runs. Garrison's figure is `Investigations.entity_page` (timeline of 50 with decisions,
actions, cases and labels; linked accounts and identifiers; ring; risk; the audited read and its
commit) for accounts and IPs picked at random; the target is p95 <= 200 ms. The baseline, in the
same run on the same file, is the floor: a bare sqlite3 query for the same 50 newest events of
each entity through the same index.

    .venv/bin/python bench/entity_page.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.measure import Measurement, percentile  # noqa: E402
from bench.report import Row  # noqa: E402
from garrison.adapters.storage.sql import SqlStore, migrate  # noqa: E402
from garrison.domain.access import SYSTEM  # noqa: E402
from garrison.domain.entities import EntityKind, EntityRef  # noqa: E402
from garrison.services.investigate import Investigations  # noqa: E402

NAME = "entity-page"
TARGET_P95_MS = 200.0
CACHE = ROOT / "var" / "bench"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
SPAN_S = 90 * 86400
CHUNK = 200_000
STAMP = "%Y-%m-%d %H:%M:%S.%f"
TYPES = ("account.login", "api.usage", "payment.attempt")
ROAMING = 0.15
"""Share of events from a random IP; the rest come from the account's home IP (3 a home)."""
WARM = 20
FLOOR_SQL = (
    "SELECT e.* FROM event_entities x JOIN events e ON e.id = x.event_id "
    "WHERE x.kind = ? AND x.entity_id = ? ORDER BY x.occurred_at DESC, x.event_id DESC LIMIT 51"
)


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def run(*, quick: bool) -> list[Row]:
    events = 100_000 if quick else 10_000_000
    path = events_file(events)
    garrison, floor, picked = measure(path, events)
    p95 = percentile(sorted(garrison), 0.95)
    details = {
        "events": events,
        "entities_sampled": len(garrison),
        "p95_ms": round(p95, 3),
        "floor_p95_ms": round(percentile(sorted(floor), 0.95), 3),
        "target_p95_ms": TARGET_P95_MS,
        "met": p95 <= TARGET_P95_MS,
        "file": str(path.relative_to(ROOT)),
        "picked": picked,
    }
    return [
        Row(
            NAME,
            f"entity page, SQLite, {events / 1e6:g}M stored events (p95 {p95:.1f} ms)",
            _measurement("Investigations.entity_page", garrison),
            _measurement("bare sqlite3: the 50 newest events", floor),
            details=details,
        )
    ]


def _measurement(label: str, millis: list[float]) -> Measurement:
    ordered = sorted(millis)
    return Measurement(
        label,
        len(millis),
        sum(millis) / 1000,
        p50_ms=percentile(ordered, 0.5),
        p99_ms=percentile(ordered, 0.99),
        latency_samples=len(millis),
    )


def measure(path: Path, events: int) -> tuple[list[float], list[float], dict[str, int]]:
    """Milliseconds per page (Garrison) and per floor query, over the same random entities."""
    rng = np.random.default_rng(11)
    accounts = events // 25
    ips = accounts // 3
    refs = [EntityRef(EntityKind.ACCOUNT, f"acct_{i}") for i in rng.integers(0, accounts, 150)]
    refs += [EntityRef(EntityKind.IP, _ip(int(i))) for i in rng.integers(0, ips, 50)]
    store = SqlStore(f"sqlite:///{path}")
    service = Investigations(store.uow, _Clock(), pseudonym_key=b"bench-entity-page-key")
    garrison: list[float] = []
    floor: list[float] = []
    db = sqlite3.connect(path)
    try:
        for n, ref in enumerate(refs[:WARM] + refs):
            started = time.perf_counter()
            service.entity_page(SYSTEM, ref, limit=50)
            took = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            db.execute(FLOOR_SQL, (ref.kind.value, ref.id)).fetchall()
            floor_took = (time.perf_counter() - started) * 1000
            if n >= WARM:
                garrison.append(took)
                floor.append(floor_took)
    finally:
        db.close()
        store.dispose()
    return garrison, floor, {"accounts": 150, "ips": 50}


def _ip(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def events_file(events: int) -> Path:
    """The migrated SQLite file holding `events` events (written on first use, then kept)."""
    path = CACHE / f"entity-{events}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    migrate(f"sqlite:///{partial}")
    db = sqlite3.connect(partial)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    links: dict[tuple[str, str, str], list[Any]] = {}
    # Secondary indexes are dropped for the load and built again at the end (one sort each).
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('events', 'event_entities', 'decisions', 'links')"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    with db:
        for rows, index, decisions in _chunks(events, links):
            db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT INTO event_entities VALUES (?, ?, ?, ?)", index)
            db.executemany(
                "INSERT INTO decisions (id, event_id, verdict, score, hits, release_version,"
                " policy_version, decided_at, action_ids, lifecycle)"
                " VALUES (?, ?, 'allow', 0.0, '[]', 'bench', 'bench', ?, '[]', NULL)",
                decisions,
            )
        db.executemany(
            "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)",
            [(*key, first, last, n) for key, (first, last, n) in links.items()],
        )
        for _, sql in indexes:
            db.execute(sql)
    db.close()
    partial.rename(path)
    return path


def _chunks(
    events: int, links: dict[tuple[str, str, str], list[Any]]
) -> Iterator[tuple[list[Any], list[Any], list[Any]]]:
    """Events in time order, `CHUNK` at a time: rows, entity index rows and decisions."""
    rng = np.random.default_rng(5)
    accounts = events // 25
    ips = accounts // 3
    for start in range(0, events, CHUNK):
        n = min(CHUNK, events - start)
        account_ids = rng.integers(0, accounts, n)
        roaming = rng.random(n) < ROAMING
        ip = np.where(roaming, rng.integers(0, ips, n), account_ids // 3).tolist()
        account = account_ids.tolist()
        kind = rng.integers(0, len(TYPES), n).tolist()
        seconds = np.sort(rng.uniform(start, start + n, n) * SPAN_S / events).tolist()
        rows, index, decisions = [], [], []
        for i in range(n):
            number = start + i
            at = (T0 + timedelta(seconds=seconds[i])).strftime(STAMP)
            entities = {"account": f"acct_{account[i]}", "ip": _ip(ip[i])}
            entities["device"] = f"dev_{account[i]}"
            if kind[i] == 2:
                entities["payment_method"] = f"pm_{account[i] // 2}"
            event_id = f"evt_{number:09d}"  # in key order: the primary key grows at its end
            attributes = {"amount_usd": float(number % 97)} if kind[i] == 2 else {}
            rows.append(
                (
                    event_id,
                    TYPES[kind[i]],
                    at,
                    json.dumps(entities),
                    json.dumps(attributes),
                    "fp",
                    f"dec_{number:09d}",
                    at,
                )
            )
            index.extend((k, v, event_id, at) for k, v in entities.items())
            decisions.append((f"dec_{number:09d}", event_id, at))
            for k in ("ip", "device", "payment_method"):
                if k in entities:
                    _link(links, entities["account"], k, entities[k], at)
        yield rows, index, decisions


def _link(
    links: dict[tuple[str, str, str], list[Any]], account: str, kind: str, ident: str, at: str
) -> None:
    key = (account, kind, ident)
    found = links.get(key)
    if found is None:
        links[key] = [at, at, 1]
    else:
        found[1] = at
        found[2] += 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    for row in run(quick=parser.parse_args().quick):
        print(row.case, json.dumps(row.details))
        assert row.subject is not None and row.baseline is not None
        print(f"  garrison p50 {row.subject.p50_ms:.2f} ms p99 {row.subject.p99_ms:.2f} ms")
        print(f"  floor    p50 {row.baseline.p50_ms:.2f} ms p99 {row.baseline.p99_ms:.2f} ms")
