"""Signals: fetch everything a release reads for one event in one batch, and record what it adds.

Reading happens before evaluation; recording (counter updates) commits in the same transaction as
the decision, so a decision and the counts it saw never disagree.

Velocity semantics (the one definition; the backtest must agree):

- An aggregate covers the events sharing the spec's key value with the current event (and its
  type, if the spec names one) in the buckets `window_buckets(event.occurred_at, window)` returns.
- The value for the current event *includes the event itself* when it feeds the aggregate
  (`VelocitySpec.matches`): COUNT adds 1, SUM adds its amount, DISTINCT counts its value (once,
  however often the window already saw it). An event that lacks the key gets no value at all.
- SUM adds numbers only (a boolean or a string adds nothing); DISTINCT compares values by their
  text, `str(value)` (so `1` and `"1"` are one value); keys and values over 200 characters are
  compared by their SHA-256.
- COUNT by entity is recorded for every entity of every event, whatever the rules read. The other
  aggregates are recorded for the specs of the release that processed the event, so they start
  counting when a release that reads them goes live.
- Reads cost one query per aggregate type (COUNT, SUM, DISTINCT), whatever the number of specs.

Lists are compiled once per process and reused while their version is unchanged: the versions of
every needed list are read in the event's own transaction (one query), so a list change is seen by
the first event after it commits. A list that does not exist contains nothing. Entity labels are
those active at the event's time. Scores come from the `ScorerRegistry`, enrichment from the
`Enricher`s whose keys a rule reads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event, JsonValue
from garrison.domain.lists import EMPTY_MATCHER, compile_matcher
from garrison.domain.rules import EvalContext
from garrison.domain.signals import ListMatcher, Needs
from garrison.services import velocity
from garrison.services.scoring import LiveScorers, signal_features
from garrison.services.unit_of_work import UnitOfWork

UNKNOWN: JsonValue = None
"""The value of an enrichment key whose provider failed or timed out: unknown reads as None,
like a key the provider had nothing to say about, so a rule never acts on a guess."""


class Scorer(Protocol):
    """The one scorer contract: features in, a score out (higher is riskier)."""

    def score_one(self, features: Mapping[str, JsonValue]) -> float: ...


class Enricher(Protocol):
    """A provider of enrichment values such as `ip.country`, computed from the event.

    `provides` names every key it may return; it is only called when a rule reads one of them.
    """

    provides: frozenset[str]

    def enrich(self, event: Event) -> Mapping[str, JsonValue]: ...


class ScorerRegistry:
    """Scorers by model name. Empty by default: models are registered by the composition root."""

    def __init__(self, scorers: Mapping[str, Scorer] | None = None) -> None:
        self._scorers: dict[str, Scorer] = dict(scorers or {})

    def register(self, name: str, scorer: Scorer) -> None:
        self._scorers[name] = scorer

    def get(self, name: str) -> Scorer | None:
        return self._scorers.get(name)

    def names(self) -> frozenset[str]:
        return frozenset(self._scorers)


def features_of(event: Event, enrichment: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """What a scorer sees: `type`, `entity.<kind>`, `attr.<name>` and the enrichment keys."""
    features: dict[str, JsonValue] = {"type": event.type}
    features.update({f"entity.{kind}": ident for kind, ident in event.entities.items()})
    features.update({f"attr.{name}": value for name, value in event.attributes.items()})
    features.update(enrichment)
    return features


class Signals:
    def __init__(
        self,
        *,
        scorers: ScorerRegistry | None = None,
        enrichers: Sequence[Enricher] = (),
        live_models: LiveScorers | None = None,
    ) -> None:
        self._scorers = scorers or ScorerRegistry()
        self._live = live_models
        self._enrichers = tuple(enrichers)
        self._matchers: dict[str, tuple[int, ListMatcher]] = {}
        self._lock = threading.Lock()

    def context(self, uow: UnitOfWork, needs: Needs, event: Event) -> EvalContext:
        """The evaluation context of `event`: the event and every signal `needs` names."""
        enrichment = self._enrichment(needs.enrichment, event) if needs.enrichment else {}
        return EvalContext(
            event,
            velocity=velocity.read(uow, needs.velocity, event) if needs.velocity else {},
            lists=self._lists(uow, needs.lists) if needs.lists else {},
            labels=_labels(uow, needs.labels, event) if needs.labels else {},
            scores=self._scores(uow, needs.models, event, enrichment) if needs.models else {},
            enrichment=enrichment,
        )

    def record(self, uow: UnitOfWork, needs: Needs, event: Event) -> None:
        """Add the event to every entity count and to every aggregate in `needs` it feeds."""
        velocity.record(uow, needs.velocity, event)

    def _lists(self, uow: UnitOfWork, names: Iterable[str]) -> dict[str, ListMatcher]:
        wanted = sorted(names)
        versions = uow.lists.versions(wanted)
        found: dict[str, ListMatcher] = {}
        for name in wanted:
            version = versions.get(name)
            cached = self._matchers.get(name)
            if version is None:
                found[name] = EMPTY_MATCHER
            elif cached is not None and cached[0] == version:
                found[name] = cached[1]
            else:
                found[name] = self._load(uow, name)
        return found

    def _load(self, uow: UnitOfWork, name: str) -> ListMatcher:
        value_list = uow.lists.get(name)
        if value_list is None:
            return EMPTY_MATCHER
        matcher = compile_matcher(value_list.kind, value_list.entries)
        with self._lock:
            cached = self._matchers.get(name)
            if cached is None or cached[0] < value_list.version:
                self._matchers[name] = (value_list.version, matcher)
        return matcher

    def _scores(
        self,
        uow: UnitOfWork,
        models: Iterable[str],
        event: Event,
        enrichment: Mapping[str, JsonValue],
    ) -> dict[str, float]:
        """Scores of the registered models, then of the live versions in the model registry
        (a model with neither has no score)."""
        scorers = [(name, s) for name in sorted(models) if (s := self._scorers.get(name))]
        rest = sorted(set(models) - {name for name, _ in scorers})
        live = self._live.scorers(uow, rest) if rest and self._live is not None else {}
        scorers += sorted(live.items())
        if not scorers:
            return {}
        features = features_of(event, enrichment)
        if live:  # registry models also read the signals they were trained with
            features.update(signal_features(uow, event))
        return {name: float(scorer.score_one(features)) for name, scorer in scorers}

    def _enrichment(self, keys: frozenset[str], event: Event) -> dict[str, JsonValue]:
        found: dict[str, JsonValue] = {}
        for enricher in self._enrichers:
            wanted = keys & enricher.provides
            if not wanted:
                continue
            values = enricher.enrich(event)
            found.update({key: values[key] for key in sorted(wanted) if key in values})
        return found


def _labels(
    uow: UnitOfWork, kinds: frozenset[EntityKind], event: Event
) -> dict[EntityKind, frozenset[str]]:
    """Active label names of the event's entity of each needed kind, in one query."""
    present = sorted(kinds & event.entities.keys())
    refs = [EntityRef(kind, event.entities[kind]) for kind in present]
    if not refs:
        return {}
    names: dict[EntityKind, set[str]] = {ref.kind: set() for ref in refs}
    for label in uow.entity_labels.for_subjects(refs, active_at=event.occurred_at):
        names[label.subject.kind].add(label.name)
    return {kind: frozenset(found) for kind, found in names.items()}
