"""The services behind search: running queries, saved queries and retroactive action."""

from __future__ import annotations

from dataclasses import dataclass

from garrison.domain.language import EventSchemas
from garrison.domain.retroactive import RetroLimits
from garrison.services.ports import Clock, IdGenerator
from garrison.services.retroactive import RetroactiveService
from garrison.services.saved_searches import SavedSearches
from garrison.services.search import SearchService
from garrison.services.signals import Signals
from garrison.services.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class SearchServices:
    queries: SearchService
    saved: SavedSearches
    retroactive: RetroactiveService


def search_services(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    ids: IdGenerator,
    signals: Signals,
    schemas: EventSchemas | None,
    *,
    max_scan: int,
    limits: RetroLimits,
    readers: UnitOfWorkFactory | None = None,
) -> SearchServices:
    queries = SearchService(
        uow_factory, clock, signals, schemas, max_scan=max_scan, readers=readers
    )
    return SearchServices(
        queries,
        SavedSearches(uow_factory, clock, ids, queries),
        RetroactiveService(uow_factory, clock, ids, queries, limits),
    )
