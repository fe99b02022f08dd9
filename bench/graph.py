"""Ring detection at scale: 1M accounts and 3M identifier links (quick: 100k and 300k).

The synthetic graph looks like a platform's: most identifiers belong to one account; households
share a device or an IP; offices put colleagues (one org) behind one IP; carrier NATs put
thousands of accounts behind a few IPs (hubs, which must link nothing); and planted rings of 5-15
accounts of different orgs share one or two devices, a card and proxy IPs.

Garrison's figure is the whole path from link records to scored rings: `LinkTableBuilder` over
`Link` objects (what `Links.scan` pages out), `ScipyGraphEngine.clusters` (SciPy components, igraph
Leiden when installed) and `assemble` (Ring objects with risk). The baseline, measured in the same
run on the same link records, is a pure-Python union-find doing less: connected components over
strong links only, no owners, no weak links, no communities, no scoring. Planted-ring recall is
checked (a planted ring counts as found when one ring holds all of its members and nothing else).
The first row reads the links from SQLite (see `bench/graph_store.py`): bulk columnar read against
the row-by-row scan, both in the same run on the same file.

    .venv/bin/python bench/graph.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench.graph_store import incremental_links, measure_sqlite  # noqa: E402
from garrison.adapters.graph import ScipyGraphEngine  # noqa: E402
from garrison.domain.entities import EntityKind, EntityRef  # noqa: E402
from garrison.domain.graph import LINK_STRENGTH, Link, LinkPolicy, Strength  # noqa: E402
from garrison.services.link_table import LinkTableBuilder  # noqa: E402
from garrison.services.rings import RingSettings, assemble  # noqa: E402

NAME = "graph"
TARGET_S = 15.0
T0 = datetime(2026, 1, 1, tzinfo=UTC)
KIND_CODES = (
    EntityKind.DEVICE,
    EntityKind.EMAIL,
    EntityKind.IP,
    EntityKind.PAYMENT_METHOD,
    EntityKind.API_KEY,
    EntityKind.ORG,
)


@dataclass(frozen=True, slots=True)
class Synthetic:
    accounts: int
    account: np.ndarray[Any, Any]
    kind: np.ndarray[Any, Any]
    ident: np.ndarray[Any, Any]
    seen: np.ndarray[Any, Any]
    rings: list[set[int]]

    @property
    def identifier_links(self) -> int:
        return int(np.count_nonzero(self.kind != KIND_CODES.index(EntityKind.ORG)))


def synthetic(accounts: int, seed: int = 7) -> Synthetic:
    """About three identifier links per account (plus org memberships) and planted rings.

    Planted rings use fresh accounts (a reserved block), so that finding one exactly is a fair
    test: no household device or office IP of theirs ties them to bystanders.
    """
    rng = np.random.default_rng(seed)
    n = accounts
    regular = n - n // 50
    parts: list[tuple[np.ndarray[Any, Any], int, np.ndarray[Any, Any]]] = []
    every = np.arange(n)

    def add(who: np.ndarray[Any, Any], kind: EntityKind, ids: np.ndarray[Any, Any]) -> None:
        parts.append((who, KIND_CODES.index(kind), ids))

    device = every.copy()
    household = rng.choice(regular, regular // 50, replace=False)
    device[household] = rng.choice(regular, len(household))
    add(every, EntityKind.DEVICE, device)
    add(every, EntityKind.EMAIL, every)
    ip_users = rng.choice(regular, int(n * 0.6), replace=False)
    ip = ip_users + n  # mostly one IP per account
    shared = rng.random(len(ip_users)) < 0.05
    ip[shared] = rng.integers(0, n // 40, shared.sum())  # households, small offices
    nat = rng.random(len(ip_users)) < 0.02
    ip[nat] = 3 * n + rng.integers(0, max(1, n // 5000), nat.sum())  # carrier NATs: hubs
    add(ip_users, EntityKind.IP, ip)
    card_users = rng.choice(n, n // 5, replace=False)
    add(card_users, EntityKind.PAYMENT_METHOD, card_users)
    key_users = rng.choice(n, n // 5, replace=False)
    add(key_users, EntityKind.API_KEY, key_users)
    members = rng.choice(regular, int(n * 0.4), replace=False)
    add(members, EntityKind.ORG, rng.integers(0, len(members) // 2, len(members)))
    rings = _plant(rng, np.arange(regular, n), add)
    account = np.concatenate([p[0] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    ident = np.concatenate([p[2] for p in parts])
    seen = rng.uniform(0, 90 * 86400, len(account))
    return Synthetic(n, account, kind, ident, seen, rings)


def _plant(rng: np.random.Generator, pool: np.ndarray[Any, Any], add: Any) -> list[set[int]]:
    """Rings of 5-15 fresh accounts (each its own org) sharing devices, a card and proxy IPs."""
    n = len(pool) * 50
    rings: list[set[int]] = []
    at = 0
    for r in range(len(pool) // 10):
        size = int(rng.integers(5, 16))
        if at + size > len(pool):
            break
        who = pool[at : at + size]
        at += size
        rings.append({int(w) for w in who})
        add(who, EntityKind.DEVICE, 5 * n + r * 2 + rng.integers(0, 2, size))
        add(who, EntityKind.IP, 6 * n + r * 3 + rng.integers(0, 3, size))
        add(who, EntityKind.ORG, 7 * n + who)
        if r % 3 == 0:
            add(who[:2], EntityKind.PAYMENT_METHOD, np.full(2, 8 * n + r))
    return rings


def link_records(graph: Synthetic) -> list[Link]:
    """The graph as the `Link` objects `Links.scan` pages out (made before timing starts)."""
    accounts = [EntityRef(EntityKind.ACCOUNT, f"a{i}") for i in range(graph.accounts)]
    prefixes = [kind.value[:3] for kind in KIND_CODES]
    columns = (graph.account.tolist(), graph.kind.tolist(), graph.ident.tolist(), graph.seen)
    out = []
    for a, k, i, s in zip(*columns, strict=True):
        at = T0 + timedelta(seconds=float(s))
        out.append(Link(accounts[a], EntityRef(KIND_CODES[k], f"{prefixes[k]}{i}"), at, at, 1))
    return out


def garrison_rings(links: list[Link]) -> tuple[float, float, list[Any]]:
    started = time.perf_counter()
    builder = LinkTableBuilder()
    builder.add(links)
    table = builder.build()
    built = time.perf_counter()
    engine = ScipyGraphEngine()
    settings = RingSettings(policy=LinkPolicy())
    clusters = engine.clusters(table, settings.policy)
    rings = assemble(table, clusters, bad=set(), now=T0, settings=settings)
    return built - started, time.perf_counter() - built, rings


def union_find_components(links: list[Link]) -> tuple[float, int]:
    """Baseline: pure-Python union-find over accounts sharing strong identifiers."""
    started = time.perf_counter()
    parent: dict[EntityRef, EntityRef] = {}

    def find(x: EntityRef) -> EntityRef:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    first: dict[EntityRef, EntityRef] = {}
    accounts: set[EntityRef] = set()
    for link in links:
        accounts.add(link.account)
        if LINK_STRENGTH[link.identifier.kind] is not Strength.STRONG:
            continue
        other = first.setdefault(link.identifier, link.account)
        a, b = find(link.account), find(other)
        if a != b:
            parent[a] = b
    sizes: dict[EntityRef, int] = {}
    for account in accounts:
        root = find(account)
        sizes[root] = sizes.get(root, 0) + 1
    groups = sum(1 for size in sizes.values() if size >= 2)
    return time.perf_counter() - started, groups


def recall(graph: Synthetic, rings: list[Any]) -> tuple[float, float]:
    """(planted rings found exactly, planted members found in a ring of their own ring only)."""
    found = [frozenset(int(m.id[1:]) for m in r.members) for r in rings]
    home = {member: n for n, planted in enumerate(graph.rings) for member in planted}
    exact = set(found)
    rings_found = sum(1 for planted in graph.rings if frozenset(planted) in exact)
    pure = [
        r
        for r in found
        if len({home.get(m) for m in r}) == 1 and None not in {home.get(m) for m in r}
    ]
    members_found = sum(len(r) for r in pure)
    return rings_found / len(graph.rings), members_found / len(home)


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Rows of name, value, unit, baseline and ratio (plus details), for bench/run.py."""
    return measure(100_000 if quick else 1_000_000)


def measure(accounts: int) -> list[dict[str, Any]]:
    graph = synthetic(accounts)
    links = link_records(graph)
    build_s, engine_s, rings = garrison_rings(links)
    baseline_s, groups = union_find_components(links)
    total = build_s + engine_s
    exact, members = recall(graph, rings)
    label = f"{accounts // 1000}k accounts, {graph.identifier_links / 1e6:.1f}M identifier links"
    common = {
        "accounts": accounts,
        "identifier_links": graph.identifier_links,
        "org_links": len(graph.account) - graph.identifier_links,
        "rings": len(rings),
        "planted_rings": len(graph.rings),
        "planted_rings_found_exactly": round(exact, 4),
        "planted_members_found": round(members, 4),
        "baseline_groups": groups,
        "method": ScipyGraphEngine().method,
        "target_s": TARGET_S,
    }
    stored = measure_sqlite(graph, KIND_CODES, T0)
    incremental = incremental_links(ROOT / "var" / "bench" / "links-incremental.sqlite", 20_000)
    rows = [
        {
            "name": f"rings from SQLite, bulk columnar read ({label})",
            "value": stored["bulk_total_s"],
            "unit": "s",
            "baseline": stored["scan_total_s"],
            "ratio": round(stored["bulk_total_s"] / stored["scan_total_s"], 3),
            "baseline_name": "the same detection reading links row by row (Links.scan)",
            **common,
            **stored,
        },
        {
            "name": f"incremental links, {incremental['batch']}-event batches, SQLite",
            "value": round(incremental["events"] / incremental["links_events_per_s"], 3),
            "unit": "s",
            "baseline": round(incremental["events"] / incremental["floor_events_per_s"], 3),
            "ratio": round(
                incremental["floor_events_per_s"] / incremental["links_events_per_s"], 3
            ),
            "baseline_name": "the same commits without link writes",
            **common,
            **incremental,
        },
    ]
    for name, value in (
        (f"rings from link records ({label})", total),
        (f"rings from a link table, engine + scoring ({label})", engine_s),
    ):
        rows.append(
            {
                "name": name,
                "value": round(value, 3),
                "unit": "s",
                "baseline": round(baseline_s, 3),
                "ratio": round(value / baseline_s, 3),
                "baseline_name": "pure-Python union-find, strong links only",
                **common,
            }
        )
    return rows


def iter_rows(rows: list[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield (
            f"{row['name']}: {row['value']:.2f} {row['unit']} "
            f"(baseline {row['baseline']:.2f} s, ratio {row['ratio']:.2f}); "
            f"{row['rings']} rings; planted rings found exactly "
            f"{row['planted_rings_found_exactly']:.3f}, members {row['planted_members_found']:.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    for line in iter_rows(run(quick=parser.parse_args().quick)):
        print(line)
