"""The one composition root: Settings -> adapters -> services. Nothing else builds them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from garrison.adapters.passwords import Argon2Passwords
from garrison.adapters.rules_file import StaticReleaseSource, load_release
from garrison.adapters.storage.memory import MemoryStore
from garrison.adapters.system import SystemClock, UlidGenerator
from garrison.adapters.webhooks import HttpxTransport
from garrison.config import Settings
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.decisions import ScorePolicy
from garrison.domain.webhooks import RetryPolicy
from garrison.services.access import AccessService
from garrison.services.dispatch import Dispatcher, WebhookTarget
from garrison.services.ingest import IngestService
from garrison.services.ports import Clock, IdGenerator, ReleaseSource, WebhookTransport
from garrison.services.review import ReviewService, ensure_queues
from garrison.services.unit_of_work import UnitOfWork

MEMORY_URL = "memory://"


class Store(Protocol):
    def uow(self) -> UnitOfWork: ...


@dataclass
class Container:
    settings: Settings
    clock: Clock
    ids: IdGenerator
    store: Store
    releases: ReleaseSource
    ingest: IngestService
    dispatcher: Dispatcher
    review: ReviewService
    access: AccessService
    secret_key: str

    def uow(self) -> UnitOfWork:
        return self.store.uow()

    def ready(self) -> bool:
        """Whether storage answers (used by /readyz)."""
        try:
            with self.store.uow() as uow:
                uow.queues.list()
        except Exception:  # noqa: BLE001 - readiness reports any storage failure as not ready
            return False
        return True

    def close(self) -> None:
        dispose = getattr(self.store, "dispose", None)
        if dispose is not None:
            dispose()


def open_store(url: str) -> Store:
    if url.startswith(MEMORY_URL):
        return MemoryStore()
    from garrison.adapters.storage.sql import SqlStore

    return SqlStore(url)


def migrate(settings: Settings) -> None:
    """Bring the database schema to the newest version (a no-op for memory)."""
    if settings.database_url.startswith(MEMORY_URL):
        return
    from garrison.adapters.storage.sql import migrate as sql_migrate

    sql_migrate(settings.database_url)


def bootstrap(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    transport: WebhookTransport | None = None,
    releases: ReleaseSource | None = None,
) -> Container:
    """Build everything from settings; tests pass fakes for any adapter."""
    settings = settings or Settings()
    store = store or open_store(settings.database_url)
    clock = clock or SystemClock()
    ids = ids or UlidGenerator()
    releases = releases or StaticReleaseSource(load_release(settings.rules_path))
    transport = transport or HttpxTransport(settings.webhook_timeout_seconds)
    policy = ScorePolicy(
        settings.policy_version,
        settings.score_review_at,
        settings.score_challenge_at,
        settings.score_block_at,
        settings.default_queue,
    )
    webhook = (
        WebhookTarget(settings.webhook_url, settings.webhook_secret)
        if settings.webhook_url
        else None
    )
    retry = RetryPolicy(settings.webhook_max_attempts, settings.webhook_backoff_seconds)
    ensure_queues(store.uow, DEFAULT_QUEUES)
    return Container(
        settings=settings,
        clock=clock,
        ids=ids,
        store=store,
        releases=releases,
        ingest=IngestService(store.uow, releases, policy, clock, ids),
        dispatcher=Dispatcher(store.uow, transport, clock, ids, webhook=webhook, retry=retry),
        review=ReviewService(store.uow, clock, ids),
        access=AccessService(store.uow, Argon2Passwords(), clock, ids),
        secret_key=_secret_key(settings),
    )


def _secret_key(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    path: Path = settings.secret_key_file
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
