"""The one composition root: Settings -> adapters -> services. Nothing else builds them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from garrison.adapters.enrichment import OfflineEnricher
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.passwords import Argon2Passwords
from garrison.adapters.releases import StoredReleaseSource
from garrison.adapters.rules_file import read_rule_text
from garrison.adapters.shipped_lists import shipped_lists
from garrison.adapters.storage.memory import MemoryStore
from garrison.adapters.system import SystemClock, UlidGenerator
from garrison.adapters.webhooks import HttpxTransport
from garrison.config import Settings
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.decisions import ScorePolicy
from garrison.domain.graph import LinkPolicy
from garrison.domain.webhooks import RetryPolicy
from garrison.rulepacks import load_schemas
from garrison.services.access import AccessService
from garrison.services.dispatch import Dispatcher, WebhookTarget
from garrison.services.entity_labels import EntityLabelService
from garrison.services.ingest import IngestService
from garrison.services.investigate import Investigations
from garrison.services.lists import ListService, ensure_list
from garrison.services.ports import Clock, IdGenerator, ReleaseSource, WebhookTransport
from garrison.services.review import ReviewService, ensure_queues
from garrison.services.rings import RingService, RingSettings
from garrison.services.rule_controls import RuleControlService
from garrison.services.rules import RulesService, seed_release
from garrison.services.shadow import ShadowReports
from garrison.services.signals import ScorerRegistry, Signals
from garrison.services.unit_of_work import UnitOfWork

MEMORY_URL = "memory://"


class Store(Protocol):
    def uow(self) -> UnitOfWork: ...
    def reader(self) -> UnitOfWork:
        """A unit of work that only reads, and need not wait for writers."""
        ...


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
    rules: RulesService
    rule_controls: RuleControlService
    shadow: ShadowReports
    secret_key: str
    lists: ListService
    entity_labels: EntityLabelService
    signals: Signals
    investigations: Investigations
    rings: RingService

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
    signals: Signals | None = None,
) -> Container:
    """Build everything from settings; tests pass fakes for any adapter."""
    settings = settings or Settings()
    store = store or open_store(settings.database_url)
    clock = clock or SystemClock()
    ids = ids or UlidGenerator()
    releases = releases or StoredReleaseSource()
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
    seed_release(store.uow, clock, *read_rule_text(settings.rules_path))
    for shipped in shipped_lists():
        ensure_list(
            store.uow, clock, shipped.name, shipped.kind, shipped.entries, shipped.description
        )
    signals = signals or Signals(scorers=ScorerRegistry(), enrichers=[OfflineEnricher.shipped()])
    investigations, rings = _investigation_services(settings, store, clock, ids)
    return Container(
        settings=settings,
        clock=clock,
        ids=ids,
        store=store,
        releases=releases,
        ingest=IngestService(
            store.uow,
            releases,
            policy,
            clock,
            ids,
            signals=signals,
            canary_holdout_percent=settings.canary_holdout_percent,
        ),
        dispatcher=Dispatcher(
            store.uow, transport, clock, ids, webhook=webhook, retry=retry, readers=store.reader
        ),
        review=ReviewService(store.uow, clock, ids),
        access=AccessService(store.uow, Argon2Passwords(), clock, ids, readers=store.reader),
        rules=RulesService(
            store.uow,
            clock,
            require_approval=settings.rules_require_approval,
            schemas=load_schemas(settings.schemas_path),
        ),
        rule_controls=RuleControlService(store.uow, clock, ids),
        shadow=ShadowReports(store.uow, clock),
        secret_key=_secret_key(settings),
        lists=ListService(store.uow, clock),
        entity_labels=EntityLabelService(store.uow, clock),
        signals=signals,
        investigations=investigations,
        rings=rings,
    )


def _investigation_services(
    settings: Settings, store: Store, clock: Clock, ids: IdGenerator
) -> tuple[Investigations, RingService]:
    """Entity pages and link graphs; ring detection."""
    links = LinkPolicy(hub_size=settings.link_hub_size)
    key = _secret_key(settings).encode()
    rings = RingSettings(policy=links, case_at=settings.ring_case_risk)
    return (
        Investigations(store.uow, clock, pseudonym_key=key, policy=links),
        RingService(store.uow, ScipyGraphEngine(), clock, ids, rings),
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
