"""Releases as versioned artifacts: a whole rule file's text, who proposed it, and its status.

    pending_approval -> published -> superseded
    pending_approval -> rejected

Versions count up from 1. The live release is the newest published one: publishing a release
supersedes the one that was live. A release is approved by someone other than its author.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from garrison.domain.errors import InvalidTransition, PermissionDenied


class ReleaseStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    PUBLISHED = "published"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


def content_hash(text: str) -> str:
    """The sha256 of a rule file's text (hex): equal texts, equal hashes."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredRelease:
    """One version of the rule file, as proposed, with what happened to it since."""

    version: int
    text: str
    content_hash: str
    author: str
    created_at: datetime
    status: ReleaseStatus = ReleaseStatus.PENDING_APPROVAL
    notes: str = ""
    approved_by: str | None = None
    rejected_by: str | None = None
    published_at: datetime | None = None
    superseded_at: datetime | None = None

    @classmethod
    def propose(
        cls, version: int, text: str, *, author: str, at: datetime, notes: str = ""
    ) -> StoredRelease:
        return cls(version, text, content_hash(text), author, at, notes=notes)

    @property
    def label(self) -> str:
        """How decisions name this release (`release_version`)."""
        return str(self.version)

    @property
    def path(self) -> str:
        """How rule errors name this release's text."""
        return f"release-{self.version}.toml"

    def check_approver(self, actor: str) -> None:
        """Refuse an approval by the release's own author: a release needs a second person."""
        if actor == self.author:
            raise PermissionDenied(
                f"release {self.version} was proposed by {actor}; another editor must approve it",
                field="version",
            )

    def published(self, at: datetime, *, approved_by: str | None = None) -> StoredRelease:
        self._require(ReleaseStatus.PENDING_APPROVAL, "publish")
        return replace(
            self, status=ReleaseStatus.PUBLISHED, published_at=at, approved_by=approved_by
        )

    def rejected(self, by: str) -> StoredRelease:
        self._require(ReleaseStatus.PENDING_APPROVAL, "reject")
        return replace(self, status=ReleaseStatus.REJECTED, rejected_by=by)

    def superseded(self, at: datetime) -> StoredRelease:
        self._require(ReleaseStatus.PUBLISHED, "supersede")
        return replace(self, status=ReleaseStatus.SUPERSEDED, superseded_at=at)

    def _require(self, status: ReleaseStatus, verb: str) -> None:
        if self.status is not status:
            raise InvalidTransition(
                f"cannot {verb} release {self.version}: it is {self.status}, not {status}",
                field="version",
            )


@dataclass(frozen=True, slots=True)
class LiveRelease:
    """The live pointer: which release runs, and a revision that moves with every change to
    how it runs (a publish, a demotion, a restore, a snooze), so evaluators know when to reload."""

    version: int
    revision: int
    changed_at: datetime
