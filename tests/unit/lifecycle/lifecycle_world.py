"""The rules lifecycle over the in-memory store: releases published through the service, events
ingested through a release source that reads the live pointer, a manual clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.releases import StoredReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind
from garrison.domain.events import Event
from garrison.domain.ids import EventId
from garrison.domain.releases import StoredRelease
from garrison.services.ingest import IngestResult, IngestService
from garrison.services.rule_controls import RuleControlService
from garrison.services.rules import RulesService
from garrison.services.shadow import ShadowReports

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EDITOR = "person:ed@example.com"
OTHER_EDITOR = "person:flo@example.com"


def rule(name: str, when: str = "attr.flag == True", **fields: Any) -> str:
    """One `[[rule]]` table; keyword arguments become its keys (strings are quoted)."""
    lines = ["[[rule]]", f'name = "{name}"', f'policy = "test.{name}"']
    for key, value in fields.items():
        if isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
        else:
            lines.append(f"{key} = {value}")
    lines.append(f"when = '''{when}'''")
    return "\n".join(lines) + "\n"


def rule_file(*rules: str) -> str:
    return "\n".join(rules)


BASE = rule_file(rule("base_block", verdict="block", actions=["suspend_account"]))


@dataclass
class World:
    store: MemoryStore
    clock: ManualClock
    ids: SequentialIds
    source: StoredReleaseSource
    rules: RulesService
    controls: RuleControlService
    shadow: ShadowReports
    ingest: IngestService
    counter: int = 0

    def publish(self, text: str, actor: str = EDITOR) -> StoredRelease:
        return self.rules.propose(text, actor=actor)

    def event(self, account: str = "a1", **attrs: Any) -> IngestResult:
        self.counter += 1
        event = Event(
            EventId(f"evt_{self.counter}"),
            "content.submitted",
            self.clock.now(),
            {EntityKind.ACCOUNT: account, EntityKind.IP: "10.0.0.1"},
            attrs,
        )
        return self.ingest.process(event)


def build_world(
    text: str | None = BASE, *, require_approval: bool = False, holdout: int = 5
) -> World:
    """A world whose live release is `text` (published by EDITOR) unless it is None."""
    store, clock, ids = MemoryStore(), ManualClock(T0), SequentialIds()
    source = StoredReleaseSource()
    world = World(
        store,
        clock,
        ids,
        source,
        RulesService(store.uow, clock, require_approval=require_approval),
        RuleControlService(store.uow, clock, ids),
        ShadowReports(store.uow, clock),
        IngestService(store.uow, source, ScorePolicy(), clock, ids, canary_holdout_percent=holdout),
    )
    if text is not None:
        RulesService(store.uow, clock, require_approval=False).propose(text, actor=EDITOR)
    return world
