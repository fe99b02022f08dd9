"""Emerging clusters of near-duplicate and similar texts (content and reports).

Near-duplicates: word 3-shingles of the normalised text (digits folded to 0), MinHash signatures
and LSH banding give candidate pairs, kept when their estimated Jaccard similarity passes a
threshold. Similar texts come as pairs from an embedding model (outside the domain). Pairs are
joined into clusters (union-find); each cluster is summarised with its top terms (c-TF-IDF),
examples, the accounts behind it, how much of it any rule caught and how fast it grows.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

WORD = re.compile(r"[a-z0-9']+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
_PRIME = (1 << 61) - 1
_MASK = (1 << 32) - 1


@dataclass(frozen=True, slots=True)
class Item:
    """One text to cluster: a submitted content item or a report."""

    id: str
    at: datetime
    text: str
    account: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    size: int
    recent: int
    """Members in the newer half of the window."""
    growth: float
    """Newer half over older half (members), +1 smoothed."""
    top_terms: tuple[str, ...]
    examples: tuple[str, ...]
    accounts: tuple[tuple[str, int], ...]
    """The accounts behind it, with how many members each, most first."""
    rule_share: float
    """Share of members some rule hit; a cluster no rule matches has 0."""
    rules: tuple[str, ...]
    member_ids: tuple[str, ...]
    first_at: datetime
    last_at: datetime

    @property
    def unmatched(self) -> bool:
        return self.rule_share < 0.5


def words(text: str) -> list[str]:
    return WORD.findall(re.sub(r"\d+", "0", text.lower()))


def shingles(text: str, k: int = 3) -> set[str]:
    tokens = words(text)
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _coefficients(n: int) -> list[tuple[int, int]]:
    """Fixed hash coefficients from a linear congruential sequence (deterministic, no `random`)."""
    out, state = [], 0x9E3779B97F4A7C15
    for _ in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        a = (state >> 3) % _PRIME or 1
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append((a, (state >> 3) % _PRIME))
    return out


def minhash(grams: Iterable[str], coefficients: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    hashes = [zlib.crc32(g.encode()) for g in grams]
    if not hashes:
        return tuple(_MASK for _ in coefficients)
    return tuple(min(((a * h + b) % _PRIME) & _MASK for h in hashes) for a, b in coefficients)


def near_duplicate_pairs(
    texts: Sequence[str], *, threshold: float = 0.5, perms: int = 64, bands: int = 16
) -> list[tuple[int, int]]:
    """Index pairs whose estimated Jaccard similarity of 3-shingles is at least `threshold`."""
    coefficients = _coefficients(perms)
    signatures = [minhash(shingles(t), coefficients) for t in texts]
    rows = perms // bands
    candidates: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for index, sig in enumerate(signatures):
            buckets[sig[band * rows : (band + 1) * rows]].append(index)
        for members in buckets.values():
            candidates.update((members[0], other) for other in members[1:])
    pairs = []
    for i, j in sorted(candidates):
        same = sum(x == y for x, y in zip(signatures[i], signatures[j], strict=True))
        if same / perms >= threshold:
            pairs.append((i, j))
    return pairs


def components(size: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of indexes (union-find), largest first, singletons left out."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        groups[root(i)].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))


def top_terms(groups: Sequence[Sequence[str]], k: int = 6) -> list[tuple[str, ...]]:
    """For each group of texts, its `k` most distinctive words by class-based TF-IDF."""
    counts = [Counter(w for t in g for w in words(t) if w not in STOPWORDS) for g in groups]
    overall: Counter[str] = Counter()
    for c in counts:
        overall.update(c)
    average = sum(overall.values()) / max(len(groups), 1)
    out = []
    for c in counts:
        total = sum(c.values()) or 1
        scored = {w: n / total * math.log(1 + average / overall[w]) for w, n in c.items()}
        best = sorted(scored, key=lambda w: (-scored[w], w))
        out.append(tuple(w for w in best if w != "0")[:k])
    return out


def summarise(
    items: Sequence[Item], groups: Sequence[Sequence[int]], middle: datetime, *, examples: int = 3
) -> list[Cluster]:
    """One `Cluster` per group of item indexes; `middle` splits the window in older and newer."""
    texts = [[items[i].text for i in g] for g in groups]
    terms = top_terms([*texts, [item.text for item in items]])[: len(groups)]
    out = []
    for group, group_terms in zip(groups, terms, strict=True):
        members = [items[i] for i in group]
        recent = sum(m.at >= middle for m in members)
        accounts = Counter(m.account for m in members if m.account).most_common(10)
        rules = sorted({r for m in members for r in m.rules})
        out.append(
            Cluster(
                id="cl_" + min(m.id for m in members),
                size=len(members),
                recent=recent,
                growth=(recent + 1) / (len(members) - recent + 1),
                top_terms=group_terms,
                examples=tuple(dict.fromkeys(m.text for m in members))[:examples],
                accounts=tuple(accounts),
                rule_share=sum(bool(m.rules) for m in members) / len(members),
                rules=tuple(rules),
                member_ids=tuple(m.id for m in members),
                first_at=min(m.at for m in members),
                last_at=max(m.at for m in members),
            )
        )
    return out


def emerging(clusters: Iterable[Cluster], *, min_size: int, min_growth: float) -> list[Cluster]:
    """Clusters big and growing enough that no rule matches, largest growth first."""
    found = [c for c in clusters if c.size >= min_size and c.growth >= min_growth and c.unmatched]
    return sorted(found, key=lambda c: (-c.growth, -c.size, c.id))
