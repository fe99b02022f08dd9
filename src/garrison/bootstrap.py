"""The one composition root: Settings -> adapters -> services. Nothing else builds them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from garrison.adapters.enrichment import OfflineEnricher
from garrison.adapters.enrichment_geo import shipped_enrichers
from garrison.adapters.graph import ScipyGraphEngine
from garrison.adapters.ml.tabular.artifacts import TabularArtifacts
from garrison.adapters.passwords import Argon2Passwords
from garrison.adapters.releases import StoredReleaseSource
from garrison.adapters.rules_file import read_rule_text
from garrison.adapters.shipped_lists import shipped_lists
from garrison.adapters.shipped_policies import shipped_playbooks, shipped_taxonomy
from garrison.adapters.storage.memory import MemoryStore
from garrison.adapters.system import SystemClock, UlidGenerator
from garrison.adapters.webhooks import HttpxTransport
from garrison.config import Settings
from garrison.domain.cases import DEFAULT_QUEUES
from garrison.domain.decisions import ScorePolicy
from garrison.domain.graph import LinkPolicy
from garrison.domain.language.schemas import EventSchemas
from garrison.domain.retroactive import RetroLimits
from garrison.domain.routing import DEFAULT_ROUTES
from garrison.domain.strikes import StrikeLadders
from garrison.domain.webhooks import RetryPolicy
from garrison.domain.wellness import WellnessRules
from garrison.rulepacks import load_schemas
from garrison.services.access import AccessService
from garrison.services.appeals import AppealService
from garrison.services.approvals import ApprovalService
from garrison.services.bulk import BulkService
from garrison.services.case_work import CaseWorkService
from garrison.services.dispatch import Dispatcher, WebhookTarget
from garrison.services.enforcement import EnforcementService
from garrison.services.entity_labels import EntityLabelService
from garrison.services.ingest import IngestService
from garrison.services.investigate import Investigations
from garrison.services.ledger import EnforcementPolicy
from garrison.services.lists import ListService, ensure_list
from garrison.services.models import ModelService
from garrison.services.policies import PolicyService, ensure_playbooks, ensure_taxonomy
from garrison.services.ports import Clock, IdGenerator, ReleaseSource, WebhookTransport
from garrison.services.qa import SamplePlan
from garrison.services.quality_services import QualityServices, build_quality
from garrison.services.queues import QueueService
from garrison.services.review import ReviewService, ensure_queues
from garrison.services.rings import RingService, RingSettings
from garrison.services.routing import RoutingService, ensure_routes
from garrison.services.rule_controls import RuleControlService
from garrison.services.rules import RulesService, seed_release
from garrison.services.scoring import LiveScorers
from garrison.services.search_wiring import SearchServices, search_services
from garrison.services.shadow import ShadowReports
from garrison.services.signals import ScorerRegistry, Signals
from garrison.services.transparency import TransparencyService
from garrison.services.unit_of_work import UnitOfWork
from garrison.services.user_reports import UserReportService
from garrison.services.watch import Watch, build_watch, trend_settings
from garrison.services.wellness import WellnessService

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
    search: SearchServices
    models: ModelService
    enforcement: EnforcementService
    appeals: AppealService
    approvals: ApprovalService
    user_reports: UserReportService
    routing: RoutingService
    queues: QueueService
    case_work: CaseWorkService
    bulk: BulkService
    policies: PolicyService
    wellness: WellnessService
    transparency: TransparencyService
    watch: Watch
    quality: QualityServices

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
    ensure_routes(store.uow, DEFAULT_ROUTES)
    ensure_taxonomy(store.uow, clock, shipped_taxonomy())
    ensure_playbooks(store.uow, clock, shipped_playbooks())
    seed_release(store.uow, clock, *read_rule_text(settings.rules_path))
    for shipped in shipped_lists():
        ensure_list(
            store.uow, clock, shipped.name, shipped.kind, shipped.entries, shipped.description
        )
    artifacts = TabularArtifacts()
    signals = signals or Signals(
        scorers=ScorerRegistry(),
        enrichers=[OfflineEnricher.shipped(), *shipped_enrichers()],
        live_models=LiveScorers(artifacts),
    )
    investigations, rings = _investigation_services(settings, store, clock, ids)
    enforcement = _enforcement_policy(settings)
    schemas = load_schemas(settings.schemas_path)
    rules = RulesService(
        store.uow, clock, require_approval=settings.rules_require_approval, schemas=schemas
    )
    review = ReviewService(
        store.uow,
        clock,
        ids,
        lease_seconds=settings.review_lease_seconds,
        ladders=enforcement.ladders,
    )
    appeals = AppealService(store.uow, clock, ids, sla_seconds=enforcement.appeal_sla_seconds)
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
            store.uow,
            transport,
            clock,
            ids,
            webhook=webhook,
            retry=retry,
            readers=store.reader,
            enforcement=enforcement,
        ),
        review=review,
        access=AccessService(store.uow, Argon2Passwords(), clock, ids, readers=store.reader),
        rules=rules,
        rule_controls=RuleControlService(store.uow, clock, ids),
        shadow=ShadowReports(store.uow, clock),
        secret_key=_secret_key(settings),
        lists=ListService(store.uow, clock),
        entity_labels=EntityLabelService(store.uow, clock),
        signals=signals,
        investigations=investigations,
        rings=rings,
        search=search_services(
            store.uow,
            clock,
            ids,
            signals,
            schemas,
            max_scan=settings.search_max_scan,
            limits=RetroLimits(settings.retroactive_cap, settings.retroactive_approval_over),
            readers=store.reader,
        ),
        models=ModelService(store.uow, artifacts, clock),
        enforcement=EnforcementService(store.uow, clock, ids, enforcement),
        appeals=appeals,
        approvals=ApprovalService(store.uow, clock),
        user_reports=UserReportService(store.uow, clock, ids),
        routing=RoutingService(store.uow, clock),
        queues=QueueService(store.uow, clock, settings.sla_warn_at),
        bulk=BulkService(store.uow, clock, review, max_cases=settings.bulk_max_cases),
        case_work=CaseWorkService(
            store.uow, clock, ids, evidence_max_bytes=settings.evidence_max_bytes
        ),
        policies=PolicyService(store.uow, clock),
        wellness=WellnessService(store.uow, clock, _wellness_rules(settings)),
        transparency=TransparencyService(store.uow, clock),
        watch=_watch(settings, store, clock, ids, rules, schemas),
        quality=_quality(settings, store, clock, ids, appeals),
    )


def _enforcement_policy(settings: Settings) -> EnforcementPolicy:
    """Strike ladders, second approvers and the appeal SLA (a bad ladder fails at start)."""
    return EnforcementPolicy(
        ladders=StrikeLadders.parse(settings.strike_ladder, settings.strike_ladders),
        second_approver=settings.actions_second_approver,
        bulk_threshold=settings.bulk_approval_threshold,
        appeal_sla_seconds=round(settings.appeal_sla_hours * 3600),
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


def _wellness_rules(settings: Settings) -> WellnessRules:
    return WellnessRules(
        settings.wellness_daily_budget,
        settings.wellness_break_after_minutes,
        settings.wellness_break_after_items,
    )


def _watch(
    settings: Settings,
    store: Store,
    clock: Clock,
    ids: IdGenerator,
    rules: RulesService,
    schemas: EventSchemas,
) -> Watch:
    """Trends, incidents, dashboards, clusters and operations reports."""
    from garrison.adapters.clustering import StaticModelSimilarity, available
    from garrison.services.trends import parse_bucket

    knobs = trend_settings(
        parse_bucket(settings.trends_bucket),
        settings.trends_lookback_days,
        settings.trends_sensitivity,
        settings.trends_dedupe_hours,
        schemas,
    )
    similar = StaticModelSimilarity() if available() else None
    return build_watch(store.uow, store.reader, clock, ids, rules, trends=knobs, similar=similar)


def _quality(
    settings: Settings, store: Store, clock: Clock, ids: IdGenerator, appeals: AppealService
) -> QualityServices:
    """Quality measurement and reviewer QA; overturn rates read decided appeals."""
    plan = SamplePlan(settings.qa_sample_rate, settings.qa_sample_seed)
    return build_quality(
        store.uow,
        clock,
        ids,
        appeals,
        sample_plan=plan,
        double_review_rate=settings.qa_double_review_rate,
        readers=store.reader,
    )
