"""Saved searches: store a checked query with its look-back window; share it with the team.

Only the owner (or someone who may manage access) deletes one; everyone who may search sees
their own and the shared ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from garrison.domain.access import Permission, Principal
from garrison.domain.entity_labels import parse_ttl
from garrison.domain.errors import NotFound, PermissionDenied
from garrison.domain.saved_queries import SavedQuery, SavedQueryId
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.search import SearchRequest, SearchService
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_LISTED = 200


def window_start(window: str, now: datetime, *, field: str = "window") -> datetime:
    """`now` less a window like `7d`."""
    return now - timedelta(seconds=parse_ttl(window, field=field))


class SavedSearches:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, search: SearchService
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._search = search

    def save(
        self, principal: Principal, *, name: str, expression: str, window: str, shared: bool
    ) -> SavedQuery:
        """Check the query, then store it (owned by the principal)."""
        principal.require(Permission.READ_CONTENT)
        self._search.check(expression)
        window_start(window, self._clock.now())
        query = SavedQuery(
            SavedQueryId(self._ids.new("sq")),
            name.strip(),
            expression,
            window,
            principal.actor,
            shared,
            self._clock.now(),
        )
        with self._uow() as uow:
            uow.saved_queries.add(query)
            self._audit(uow, principal, "search.save", query)
            uow.commit()
        return query

    def list(self, principal: Principal) -> list[SavedQuery]:
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            return uow.saved_queries.visible(principal.actor, MAX_LISTED)

    def get(self, principal: Principal, query_id: str) -> SavedQuery:
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            found = uow.saved_queries.get(SavedQueryId(query_id))
        if found is None or not found.visible_to(principal.actor):
            raise NotFound(f"no saved query {query_id}", field="query_id")
        return found

    def request(self, principal: Principal, query_id: str, *, limit: int = 100) -> SearchRequest:
        """The search a saved query stands for, over its window up to now."""
        query = self.get(principal, query_id)
        return SearchRequest(
            query.expression, window_start(query.window, self._clock.now()), None, limit
        )

    def delete(self, principal: Principal, query_id: str) -> None:
        query = self.get(principal, query_id)
        if query.owner != principal.actor and not principal.can(Permission.MANAGE_ACCESS):
            raise PermissionDenied("only its owner may delete a saved query")
        with self._uow() as uow:
            uow.saved_queries.delete(query.id)
            self._audit(uow, principal, "search.delete", query)
            uow.commit()

    def _audit(self, uow: UnitOfWork, principal: Principal, action: str, query: SavedQuery) -> None:
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=action,
            target=f"saved_query:{query.id}",
            details={"name": query.name, "shared": query.shared},
        )
