"""Emerging clusters of content and reports: near-duplicates (MinHash) joined with semantically
similar texts (an embedding model behind the `SimilarTexts` port), summarised, and the growing
ones that no rule matches surfaced with examples, top terms and the accounts behind them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from garrison.domain.clusters import (
    Cluster,
    Item,
    components,
    emerging,
    near_duplicate_pairs,
    summarise,
)
from garrison.domain.errors import NotFound
from garrison.domain.trends import Observation
from garrison.services.ports import Clock
from garrison.services.trends import read_observations
from garrison.services.unit_of_work import UnitOfWorkFactory

TEXT_TYPES = ("content.submitted", "report.filed")


class SimilarTexts(Protocol):
    """Pairs of texts whose meaning is close (an embedding model's cosine similarity)."""

    def pairs(self, texts: Sequence[str], threshold: float) -> list[tuple[int, int]]: ...


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    window: timedelta = timedelta(hours=24)
    max_items: int = 3000
    near_duplicate: float = 0.5
    """Estimated Jaccard similarity of 3-shingles for a near-duplicate pair."""
    similar: float = 0.85
    """Cosine similarity of embeddings for a similar pair."""
    min_size: int = 5
    min_growth: float = 2.0


def items_of(observations: Sequence[Observation], limit: int) -> list[Item]:
    """The texts among the observations (newest `limit` of them), as items to cluster."""
    found = [o for o in observations if o.type in TEXT_TYPES and o.text.strip()]
    return [Item(o.event_id, o.at, o.text, o.account, o.rules) for o in found[-limit:]]


def cluster_items(
    items: Sequence[Item],
    middle: datetime,
    settings: ClusterSettings,
    similar: SimilarTexts | None,
) -> list[Cluster]:
    texts = [item.text for item in items]
    pairs = near_duplicate_pairs(texts, threshold=settings.near_duplicate)
    if similar is not None and texts:
        pairs += similar.pairs(texts, settings.similar)
    return summarise(items, components(len(items), pairs), middle)


class ClusterService:
    def __init__(
        self,
        readers: UnitOfWorkFactory,
        clock: Clock,
        settings: ClusterSettings,
        similar: SimilarTexts | None = None,
    ) -> None:
        self._readers = readers
        self._clock = clock
        self.settings = settings
        self._similar = similar

    def clusters(self, *, until: datetime | None = None) -> list[Cluster]:
        """Every cluster of two or more texts in the window before `until` (default now)."""
        end = until or self._clock.now()
        since = end - self.settings.window
        observations = list(read_observations(self._readers, since, end, limit=2_000_000))
        items = items_of(observations, self.settings.max_items)
        return cluster_items(items, since + self.settings.window / 2, self.settings, self._similar)

    def emerging(self, *, until: datetime | None = None) -> list[Cluster]:
        s = self.settings
        return emerging(self.clusters(until=until), min_size=s.min_size, min_growth=s.min_growth)

    def cluster(self, cluster_id: str, *, until: datetime | None = None) -> Cluster:
        for found in self.clusters(until=until):
            if found.id == cluster_id:
                return found
        raise NotFound(f"no cluster {cluster_id} in the window", field="cluster_id")
