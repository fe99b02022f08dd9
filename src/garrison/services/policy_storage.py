"""Storage ports of review operations: policy taxonomies, playbooks, notices, reviewer wellness.

All four live in the unit of work (`uow.taxonomies`, `uow.playbooks`, `uow.notices`,
`uow.wellness`), so a notice commits with the action it explains and an exposure with the read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from garrison.domain.ids import ActionId, PrincipalId
from garrison.domain.notices import Notice
from garrison.domain.playbooks import Playbook, PlaybookKey
from garrison.domain.policies import Taxonomy
from garrison.domain.wellness import ExposureToday, ReviewerSettings


class Taxonomies(Protocol):
    """Immutable taxonomy versions, numbered from 1."""

    def latest(self) -> Taxonomy | None: ...
    def get(self, version: int) -> Taxonomy | None: ...
    def versions(self, limit: int) -> list[Taxonomy]:
        """Newest first."""
        ...

    def add(self, taxonomy: Taxonomy) -> None:
        """Store a new version; raise DuplicateKey if the number is taken."""
        ...


class Playbooks(Protocol):
    def latest(self, key: PlaybookKey) -> Playbook | None: ...
    def get(self, key: PlaybookKey, version: int) -> Playbook | None: ...
    def history(self, key: PlaybookKey) -> list[Playbook]:
        """Every version of one playbook, newest first."""
        ...

    def current(self) -> list[Playbook]:
        """The latest version of every playbook, by key."""
        ...

    def add(self, playbook: Playbook) -> None:
        """Store a new version; raise DuplicateKey if (key, version) is taken."""
        ...


class Notices(Protocol):
    def add(self, notice: Notice) -> None:
        """Raise DuplicateKey if the notice id (or its action) already has one."""
        ...

    def get(self, notice_id: str) -> Notice | None: ...
    def for_action(self, action_id: ActionId) -> Notice | None: ...
    def issued(
        self, start: datetime, end: datetime | None, after: Notice | None, limit: int
    ) -> list[Notice]:
        """Notices issued at or after `start` (and before `end`), ordered by (issued_at, id):
        the first `limit` after `after`, the previous page's last."""
        ...


class Wellness(Protocol):
    def settings(self, reviewer: PrincipalId) -> ReviewerSettings | None: ...
    def save_settings(self, settings: ReviewerSettings) -> None: ...
    def exposure(self, reviewer: PrincipalId, day: str) -> ExposureToday: ...
    def expose(self, reviewer: PrincipalId, day: str, categories: Sequence[str]) -> None:
        """Count one more item of each category for this reviewer and day."""
        ...
