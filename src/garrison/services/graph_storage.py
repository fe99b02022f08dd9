"""Storage ports of investigations: identity links and the rings found in them.

Both live in the unit of work (`uow.links`, `uow.rings`), so links commit with the event that
revealed them and a ring commits with the review it opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from garrison.domain.entities import EntityRef
from garrison.domain.graph import Link
from garrison.domain.rings import Ring
from garrison.services.link_table import LinkTable

LinkKey = tuple[str, str, str]
"""(account id, identifier kind, identifier id): the order `Links.scan` pages in."""
Observation = tuple[EntityRef, tuple[EntityRef, ...], datetime]
"""(account, identifiers it was seen with, when): what one event reveals."""


class Links(Protocol):
    """Which identifiers each account was seen with (one row per account and identifier)."""

    def observe(self, account: EntityRef, identifiers: Sequence[EntityRef], at: datetime) -> None:
        """Record that `account` used each identifier at `at` (first/last seen, event count)."""
        ...

    def observe_many(self, observed: Sequence[Observation]) -> None:
        """`observe` for each item, written at once (a batch of events: one statement)."""
        ...

    def identifiers_for(self, account: EntityRef) -> list[Link]:
        """The account's links, by identifier kind then id."""
        ...

    def accounts_for(self, identifier: EntityRef, limit: int) -> list[Link]:
        """Up to `limit` links of accounts that used the identifier, by account id."""
        ...

    def users(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, list[str]]:
        """For each identifier, the ids of up to `cap` accounts that used it (by id), at once."""
        ...

    def counts(self, identifiers: Sequence[EntityRef], cap: int) -> dict[EntityRef, int]:
        """How many accounts used each identifier, counted up to `cap` (cheap for hubs)."""
        ...

    def scan(self, after: LinkKey | None, limit: int) -> list[Link]:
        """Every link, page by page, ordered by (account id, identifier kind, identifier id)."""
        ...

    def table(self) -> LinkTable:
        """Every link at once, as integer columns (ring detection's bulk read)."""
        ...

    def clear(self) -> None:
        """Forget every link (before a rebuild from the event log)."""
        ...


class RingStore(Protocol):
    """The rings of the latest detection run."""

    def replace(self, rings: Sequence[Ring]) -> None:
        """Store these rings in place of all stored ones."""
        ...

    def get(self, ring_id: str) -> Ring | None: ...

    def list(self, *, min_size: int, limit: int, offset: int = 0) -> list[Ring]:
        """Riskiest first, then biggest, then by id."""
        ...

    def for_account(self, account: EntityRef) -> Ring | None:
        """The ring the account is a member of, if any."""
        ...

    def flagged(self) -> dict[str, datetime]:
        """When each stored ring that opened a review was flagged, by ring id."""
        ...
