"""The rules lifecycle: propose a release, approve or reject it, publish it, compare releases.

    propose(text) -> checked (any rule error: refused, nothing stored) -> stored as the next
    version -> published at once, or pending until another rules editor approves it

Publishing is one transaction: the release is marked published, the one it replaces superseded,
the live pointer moved and the audit record written. Every evaluation reads the pointer, so the
next event in any process runs the new release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from garrison.domain.errors import Conflict, NotFound
from garrison.domain.language import EventSchemas
from garrison.domain.release_check import check_rules, rules_of
from garrison.domain.release_diff import ReleaseDiff, diff_rules
from garrison.domain.releases import ReleaseStatus, StoredRelease
from garrison.domain.rules import Rule, Stage
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork, UnitOfWorkFactory

SYSTEM_AUTHOR = "system"


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule of a release with how it runs today."""

    rule: Rule
    stage: Stage
    """The stage it runs at: its declared stage, or shadow while demoted."""
    demoted: bool
    hits_today: int
    acted_today: int


@dataclass(frozen=True, slots=True)
class RuleSheet:
    release: StoredRelease
    live: bool
    rules: tuple[RuleView, ...]


class RulesService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        require_approval: bool,
        schemas: EventSchemas | None = None,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._require_approval = require_approval
        self._schemas = schemas

    def propose(
        self, text: str, *, actor: str, notes: str = "", path: str = "rules.toml"
    ) -> StoredRelease:
        """Store `text` as the next version; publish it unless approval is required.

        Raises `ReleaseRefused` before writing anything, listing every problem (each at
        file:line:col) and every example or sequence test of the file that fails.
        """
        check_rules(text, path, schemas=self._schemas, run_tests=True)
        try:
            with self._uow() as uow:
                version = uow.releases.last_version() + 1
                release = StoredRelease.propose(
                    version, text, author=actor, at=self._clock.now(), notes=notes
                )
                uow.releases.add(release)
                self._audit(uow, actor, "release.propose", release, notes=notes)
                if not self._require_approval:
                    release = self._publish(uow, release, actor, approved_by=None)
                uow.commit()
        except DuplicateKey:
            raise Conflict("another release was proposed at the same time; try again") from None
        return release

    def approve(self, version: int, *, actor: str) -> StoredRelease:
        """Publish a pending release; the approver must not be its author."""
        with self._uow() as uow:
            release = _get(uow, version)
            release.check_approver(actor)
            live = uow.releases.live()
            if live is not None and live.version > version and release.status is _PENDING:
                raise Conflict(
                    f"release {version} is older than the live release {live.version}; "
                    "propose its text again to publish it",
                    field="version",
                )
            published = self._publish(uow, release, actor, approved_by=actor)
            uow.commit()
        return published

    def reject(self, version: int, *, actor: str, reason: str = "") -> StoredRelease:
        with self._uow() as uow:
            rejected = _get(uow, version).rejected(actor)
            uow.releases.save(rejected)
            self._audit(uow, actor, "release.reject", rejected, reason=reason)
            uow.commit()
        return rejected

    def releases(
        self, *, limit: int = 50, status: ReleaseStatus | None = None
    ) -> list[StoredRelease]:
        """Newest first."""
        with self._uow() as uow:
            return uow.releases.list(limit=limit, status=status)

    def release(self, version: int | None = None) -> StoredRelease:
        """One release, or the live one when `version` is None."""
        with self._uow() as uow:
            return _get(uow, version if version is not None else _live_version(uow))

    def diff(self, before: int, after: int | None = None) -> ReleaseDiff:
        """Rule by rule, from release `before` to release `after` (the live one if None)."""
        with self._uow() as uow:
            old = _get(uow, before)
            new = _get(uow, after if after is not None else _live_version(uow))
        return diff_rules(rules_of(old), rules_of(new), labels=(old.label, new.label))

    def diff_text(self, text: str, *, path: str = "rules.toml") -> ReleaseDiff:
        """From the live release to an unpublished rule file (checked first)."""
        rules = check_rules(text, path, schemas=self._schemas)
        live = self.release()
        return diff_rules(rules_of(live), rules, labels=(live.label, path))

    def rules(self, version: int | None = None) -> RuleSheet:
        """The rules of a release (the live one by default), with today's hits and actions."""
        today = self._clock.now().astimezone(UTC).date()
        with self._uow() as uow:
            live_version = _live_version(uow)
            release = _get(uow, version if version is not None else live_version)
            is_live = release.version == live_version
            demoted = (
                {d.rule for d in uow.rule_controls.demotions(release.version)} if is_live else set()
            )
            counts = {day.rule: day for day in uow.rule_activity.day(today)} if is_live else {}
        views = []
        for rule in rules_of(release):
            day = counts.get(rule.name)
            is_demoted = rule.name in demoted and rule.stage in (Stage.LIVE, Stage.CANARY)
            views.append(
                RuleView(
                    rule,
                    Stage.SHADOW if is_demoted else rule.stage,
                    is_demoted,
                    day.hits if day else 0,
                    day.acted if day else 0,
                )
            )
        return RuleSheet(release, is_live, tuple(views))

    def _publish(
        self, uow: UnitOfWork, release: StoredRelease, actor: str, *, approved_by: str | None
    ) -> StoredRelease:
        at = self._clock.now()
        published = release.published(at, approved_by=approved_by)
        uow.releases.save(published)
        previous = uow.releases.point(published.version, at)
        replaced = uow.releases.get(previous.version) if previous is not None else None
        if replaced is not None and replaced.status is ReleaseStatus.PUBLISHED:
            uow.releases.save(replaced.superseded(at))
        self._audit(
            uow,
            actor,
            "release.publish",
            published,
            approved_by=approved_by,
            replaces=replaced.version if replaced is not None else None,
        )
        return published

    def _audit(
        self,
        uow: UnitOfWork,
        actor: str,
        action: str,
        release: StoredRelease,
        **details: str | int | None,
    ) -> None:
        audit.record(
            uow,
            self._clock,
            actor=actor,
            action=action,
            target=f"release:{release.version}",
            details={"content_hash": release.content_hash, **details},
        )


_PENDING = ReleaseStatus.PENDING_APPROVAL


def seed_release(
    uow_factory: UnitOfWorkFactory, clock: Clock, text: str, path: str
) -> StoredRelease | None:
    """On a first start (nothing published yet), publish `text` as the next version by "system".

    Returns the release it published, or None when one was already live. Like the default
    queues, this bootstrap step is not audited; the release records its author and time.
    """
    try:
        with uow_factory() as uow:
            if uow.releases.live() is not None:
                return None
            check_rules(text, path)
            at = clock.now()
            version = uow.releases.last_version() + 1
            release = StoredRelease.propose(
                version, text, author=SYSTEM_AUTHOR, at=at, notes=f"first start: {path}"
            ).published(at)
            uow.releases.add(release)
            uow.releases.point(version, at)
            uow.commit()
    except DuplicateKey:
        return None  # another process seeded first
    return release


def _get(uow: UnitOfWork, version: int) -> StoredRelease:
    release = uow.releases.get(version)
    if release is None:
        raise NotFound(f"no release {version}", field="version")
    return release


def _live_version(uow: UnitOfWork) -> int:
    live = uow.releases.live()
    if live is None:
        raise NotFound("no release is published yet", field="version")
    return live.version
