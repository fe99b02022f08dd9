"""A model registry over the in-memory store, with artifacts faked by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.domain.events import Event, JsonValue
from garrison.domain.ids import EventId, PrincipalId
from garrison.domain.models import ModelCard, numeric_histogram
from garrison.domain.rules import CompiledRule, Release, Rule
from garrison.domain.signals import Needs
from garrison.domain.verdicts import Verdict
from garrison.services.ingest import IngestService
from garrison.services.models import ModelService
from garrison.services.scoring import LiveScorers
from garrison.services.signals import Scorer, Signals

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
EDITOR = Principal(PrincipalId("usr_e"), PrincipalKind.PERSON, "e@x.test", Role.RULES_EDITOR)
VIEWER = Principal(PrincipalId("usr_v"), PrincipalKind.PERSON, "v@x.test", Role.VIEWER)


class AmountScorer:
    """Scores `attr.amount / scale`, and counts its calls."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.calls = 0

    def score_one(self, features: Mapping[str, JsonValue]) -> float:
        self.calls += 1
        amount = features.get("attr.amount")
        return min(1.0, float(amount) / self.scale) if isinstance(amount, int | float) else 0.0


class FakeArtifacts:
    """Artifacts by name; "corrupt" is refused like a broken model directory, "gone" describes
    well but cannot be loaded (deleted after registration)."""

    def __init__(self) -> None:
        self.scorers: dict[str, AmountScorer] = {}

    def describe(self, artifact: str) -> ModelCard:
        if artifact == "corrupt":
            raise InvalidInput("corrupt is a corrupt model directory", field="model")
        baseline = {"score": numeric_histogram([i / 100 for i in range(100)])}
        baseline["attr.amount"] = numeric_histogram([float(i) for i in range(100)])
        return ModelCard("tabular", ("attr.amount",), {"auprc": 0.5}, T0, T0, baseline)

    def scorer(self, artifact: str) -> Scorer:
        if artifact == "gone":
            raise InvalidInput("gone is not a model directory", field="model")
        scale = float(artifact.removeprefix("scale-"))
        return self.scorers.setdefault(artifact, AmountScorer(scale))


def payment(n: int, amount: float, *, minutes: float = 0) -> Event:
    when = T0 + timedelta(minutes=minutes)
    entities = {EntityKind.ACCOUNT: f"a{n % 3}"}
    return Event(EventId(f"evt_{n}"), "payment.attempt", when, entities, {"amount": amount})


def rule(name: str, reads: str | None) -> CompiledRule:
    if reads is None:
        return CompiledRule(
            Rule(name, "<py>", f"t.{name}", verdict=Verdict.REVIEW),
            lambda ctx: False,
            lambda c: {},
            Needs(),
        )
    fires: Callable[..., bool] = lambda ctx: ctx.scores.get(reads, 0.0) >= 0.5  # noqa: E731
    return CompiledRule(
        Rule(name, "<py>", f"t.{name}", verdict=Verdict.REVIEW),
        fires,
        lambda c: {},
        Needs(models=frozenset({reads})),
    )


class World:
    def __init__(self, *rules: CompiledRule) -> None:
        self.store, self.clock = MemoryStore(), ManualClock(T0 + timedelta(hours=1))
        self.artifacts = FakeArtifacts()
        self.models = ModelService(self.store.uow, self.artifacts, self.clock)
        self.ingest = IngestService(
            self.store.uow,
            StaticReleaseSource(Release("r1", rules)),
            ScorePolicy(),
            self.clock,
            SequentialIds(),
            signals=Signals(live_models=LiveScorers(self.artifacts)),
        )

    def hits(self, event: Event) -> list[str]:
        return [hit.rule for hit in self.ingest.process(event).decision.hits]
