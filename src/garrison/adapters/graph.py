"""The graph engine behind ring detection: NumPy, SciPy's csgraph and (when installed) igraph.

1. Links are folded to owners (an org, or an account of no org) and deduplicated.
2. Identifiers shared by 2..hub_size owners link them; the rest link nothing.
3. Strong identifiers join owners into connected components (`scipy.sparse.csgraph`).
4. Weak identifiers (IPs) give weighted owner pairs (weight 2 * ip_weight / owners sharing it,
   summed over shared IPs, pairs under `min_weak_weight` dropped); between components these
   weights add up, and Leiden (igraph, modularity) groups the components into communities.
   Without igraph the fallback joins components whose summed weak weight reaches
   `min_join_weight` (connected components again): coarser, never wrong about structure.
   Either way, a component whose weak weight into its community is under `min_join_weight`
   is detached again (a leaf hanging on by one shared home IP is not a member).
5. A ring is a community with two or more owners; its members are the accounts that use an
   identifier two or more of the ring's owners share. Unless `weak_only_rings` is set, a
   community with no strong link inside is not a ring (an IP alone ties nothing firmly).
"""

from __future__ import annotations

import random
from importlib.util import find_spec
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

from garrison.domain.graph import LinkPolicy
from garrison.services.link_table import STRONG_CODE, Cluster, LinkTable

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]

DETACH_ROUNDS = 5
LEIDEN_SEED = 7
LEIDEN_ITERATIONS = 10


class ScipyGraphEngine:
    """`use_leiden=None` uses igraph's Leiden when igraph is installed."""

    def __init__(self, *, use_leiden: bool | None = None) -> None:
        self.use_leiden = find_spec("igraph") is not None if use_leiden is None else use_leiden

    @property
    def method(self) -> str:
        return "leiden" if self.use_leiden else "components"

    def clusters(self, table: LinkTable, policy: LinkPolicy) -> list[Cluster]:
        if table.links == 0:
            return []
        owner = np.frombuffer(table.owner, dtype=np.int64)
        account = np.frombuffer(table.link_account, dtype=np.int64)
        ident = np.frombuffer(table.link_identifier, dtype=np.int64)
        strength = np.frombuffer(table.strength, dtype=np.int8)
        n_owners = int(owner.max()) + 1
        pair_ident, pair_owner, sharing = _owner_pairs(owner[account], ident, n_owners, policy)
        strong = strength[pair_ident] == STRONG_CODE
        component = _components(n_owners, pair_ident[strong], pair_owner[strong])
        weak = _weak_edges(pair_ident[~strong], pair_owner[~strong], sharing, n_owners, policy)
        ring_of_owner, joined = self._communities(component, weak, policy.min_join_weight)
        found = _assemble(table, owner, ring_of_owner, joined, pair_ident, pair_owner, sharing)
        return found if policy.weak_only_rings else [c for c in found if c.strong_members >= 2]

    def _communities(
        self, component: Ints, weak: tuple[Ints, Ints, Floats], min_join: float
    ) -> tuple[Ints, Ints]:
        """Per owner, its community label; per label, how many components it joined."""
        u, v, w = component[weak[0]], component[weak[1]], weak[2]
        between = u != v
        cu, cv, cw = _sum_pairs(u[between], v[between], w[between], int(component.max()) + 1)
        label = component.copy()
        if len(cu):
            nodes, inverse = _unique_inverse(np.concatenate([cu, cv]))
            edges = inverse.reshape(2, -1).T
            if self.use_leiden:
                membership = _leiden(len(nodes), edges, cw)
            else:
                keep = cw >= min_join
                membership = _edge_components(len(nodes), edges[keep, 0], edges[keep, 1])
            offset = int(component.max()) + 1
            community = np.arange(offset, dtype=np.int64)
            community[nodes] = offset + membership
            label = _detach_loose(community, cu, cv, cw, min_join)[component]
        width = int(component.max()) + 1
        pairs = _unique(label * width + component)
        return label, np.bincount(pairs // width, minlength=int(label.max()) + 1)


def _detach_loose(community: Ints, cu: Ints, cv: Ints, cw: Floats, min_join: float) -> Ints:
    """Give back their own label to components whose weak weight into their community is
    under `min_join` (a leaf hanging on by one shared home IP is not a member)."""
    ids = np.arange(len(community), dtype=np.int64)
    for _ in range(DETACH_ROUNDS):
        same = community[cu] == community[cv]
        inside = np.bincount(cu[same], weights=cw[same], minlength=len(community))
        inside += np.bincount(cv[same], weights=cw[same], minlength=len(community))
        loose = (inside < min_join) & (community != ids)
        if not loose.any():
            break
        community = np.where(loose, ids, community)
    return community


def _owner_pairs(
    pair_owner: Ints, ident: Ints, n_owners: int, policy: LinkPolicy
) -> tuple[Ints, Ints, Ints]:
    """Distinct (identifier, owner) pairs of linking identifiers, sorted; owners per identifier."""
    key = _unique(ident * n_owners + pair_owner)
    pi, po = key // n_owners, key % n_owners
    sharing = np.bincount(pi, minlength=int(ident.max()) + 1)
    linking = (sharing[pi] >= 2) & (sharing[pi] <= policy.hub_size)
    return pi[linking], po[linking], sharing


def _components(n: int, group: Ints, member: Ints) -> Ints:
    """Connected components when every `member` of a `group` is linked to the group's first."""
    if len(group) == 0:
        return np.arange(n, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    first = np.repeat(member[starts], np.diff(np.r_[starts, len(group)]))
    return _edge_components(n, first, member)


def _edge_components(n: int, u: Ints, v: Ints) -> Ints:
    graph = coo_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    _, labels = connected_components(graph.tocsr(), directed=False)
    return np.asarray(labels, dtype=np.int64)


def _weak_edges(
    pi: Ints, po: Ints, sharing: Ints, n_owners: int, policy: LinkPolicy
) -> tuple[Ints, Ints, Floats]:
    """Owner pairs sharing weak identifiers, with summed weights over `min_weak_weight`."""
    us: list[Ints] = []
    vs: list[Ints] = []
    ws: list[Floats] = []
    weight = policy.ip_weight * 2 / np.maximum(sharing, 1)
    for gap in range(1, policy.hub_size):
        same = pi[:-gap] == pi[gap:] if gap < len(pi) else np.zeros(0, dtype=bool)
        if not same.any():
            break
        us.append(po[:-gap][same])
        vs.append(po[gap:][same])
        ws.append(weight[pi[:-gap][same]])
    if not us:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    u, v, w = _sum_pairs(np.concatenate(us), np.concatenate(vs), np.concatenate(ws), n_owners)
    keep = w >= policy.min_weak_weight
    return u[keep], v[keep], w[keep]


def _sum_pairs(u: Ints, v: Ints, w: Floats, n: int) -> tuple[Ints, Ints, Floats]:
    """Unordered pairs with their weights summed."""
    if len(u) == 0:
        return u, v, w
    low, high = np.minimum(u, v), np.maximum(u, v)
    keys, inverse = _unique_inverse(low * n + high)
    summed = np.bincount(inverse, weights=w).astype(np.float64)
    return keys // n, keys % n, summed


def _unique(values: Ints) -> Ints:
    """Sorted distinct values (NumPy 2.4's own `unique` hashes, and is 50x slower here)."""
    ordered = np.sort(values)
    return ordered[_starts(ordered)]


def _unique_counts(values: Ints) -> tuple[Ints, Ints]:
    ordered = np.sort(values)
    first = np.flatnonzero(_starts(ordered))
    return ordered[first], np.diff(np.r_[first, len(ordered)])


def _unique_inverse(values: Ints) -> tuple[Ints, Ints]:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = _starts(ordered)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


def _starts(ordered: Ints) -> NDArray[np.bool_]:
    """Where each run of equal values begins in a sorted array."""
    return np.r_[True, ordered[1:] != ordered[:-1]] if len(ordered) else np.zeros(0, dtype=bool)


def _leiden(n: int, edges: Ints, weights: Floats) -> Ints:
    import igraph  # type: ignore[import-untyped]

    graph = igraph.Graph(n=n, edges=edges.tolist())
    # igraph draws from a process-wide generator: seed it for repeatable communities.
    igraph.set_random_number_generator(random.Random(LEIDEN_SEED))
    try:
        parts: Any = graph.community_leiden(
            objective_function="modularity",
            weights=weights.tolist(),
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        igraph.set_random_number_generator(random)
    return np.asarray(parts.membership, dtype=np.int64)


def _assemble(
    table: LinkTable,
    owner: Ints,
    ring_of_owner: Ints,
    joined: Ints,
    pair_ident: Ints,
    pair_owner: Ints,
    sharing: Ints,
) -> list[Cluster]:
    """Clusters of two or more owners: members, and identifiers two or more of them share."""
    n_idents = len(sharing)
    ring = ring_of_owner[pair_owner]
    keys, used_by = _unique_counts(ring * n_idents + pair_ident)
    shared_keys, shared_by = keys[used_by >= 2], used_by[used_by >= 2]
    account = np.frombuffer(table.link_account, dtype=np.int64)
    ident = np.frombuffer(table.link_identifier, dtype=np.int64)
    link_ring = ring_of_owner[owner[account]]
    uses_shared = np.isin(link_ring * n_idents + ident, shared_keys)
    width = table.accounts
    member_keys = _unique(link_ring[uses_shared] * width + account[uses_shared])
    member_ring, member = member_keys // width, member_keys % width
    strong_use = uses_shared & (np.frombuffer(table.strength, dtype=np.int8)[ident] == STRONG_CODE)
    strong_keys = _unique(link_ring[strong_use] * width + account[strong_use])
    strong_count = np.bincount(strong_keys // width, minlength=len(joined))
    owner_width = int(owner.max()) + 1
    ring_owners = _unique(member_ring * owner_width + owner[member]) // owner_width
    big = np.flatnonzero(np.bincount(ring_owners) >= 2)
    shared_ring = shared_keys // n_idents
    out = []
    for label in big.tolist():
        lo, hi = np.searchsorted(member_ring, [label, label + 1])
        so, sh = np.searchsorted(shared_ring, [label, label + 1])
        out.append(
            Cluster(
                tuple(member[lo:hi].tolist()),
                tuple(
                    zip(
                        (shared_keys[so:sh] % n_idents).tolist(),
                        shared_by[so:sh].tolist(),
                        strict=True,
                    )
                ),
                int(joined[label]),
                int(strong_count[label]),
            )
        )
    return out
