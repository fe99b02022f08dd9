"""Garrison's own risk model, end to end: events + review labels -> table -> LightGBM ->
registry -> a rule reading `score("risk")` at ingest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.ml.tabular.artifacts import TabularArtifacts
from garrison.adapters.ml.tabular.table import table_of
from garrison.adapters.ml.tabular.training import TrainingOptions, train_tabular
from garrison.adapters.rules_file import StaticReleaseSource
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.decisions import ScorePolicy
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import EventId, LabelId, PrincipalId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rules import CompiledRule, Release, Rule
from garrison.domain.signals import Needs
from garrison.domain.verdicts import Verdict
from garrison.services.ingest import IngestService
from garrison.services.models import ModelService
from garrison.services.risk_table import LABEL, TIME, risk_table
from garrison.services.scoring import LiveScorers
from garrison.services.signals import Signals

T0 = datetime(2026, 10, 1, tzinfo=UTC)
ADMIN = Principal(PrincipalId("usr_a"), PrincipalKind.PERSON, "a@x.test", Role.ADMIN)
RISKY = CompiledRule(
    Rule("risky", "<py>", "t.risky", verdict=Verdict.REVIEW),
    lambda ctx: ctx.scores.get("risk", 0.0) >= 0.5,
    lambda ctx: {},
    Needs(models=frozenset({"risk"})),
)


def event(n: int, account: str, bad: bool, rng: np.random.Generator) -> Event:
    amount = float(rng.lognormal(6 if bad else 3, 0.5))
    country = "zz" if bad and rng.random() < 0.8 else str(rng.choice(["us", "gb", "de"]))
    attrs = {"amount": amount, "country": country}
    when = T0 + timedelta(minutes=n)
    return Event(EventId(f"evt_{n}"), "payment.attempt", when, {EntityKind.ACCOUNT: account}, attrs)


def test_a_risk_model_trained_from_review_labels_scores_events_at_ingest(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    store, clock = MemoryStore(), ManualClock(T0 + timedelta(days=2))
    ingest = IngestService(
        store.uow,
        StaticReleaseSource(Release("r1", (RISKY,))),
        ScorePolicy(),
        clock,
        SequentialIds(),
        signals=Signals(live_models=LiveScorers(TabularArtifacts())),
    )
    bad_accounts = {f"acc{i}" for i in range(0, 100, 10)}
    for n in range(1500):
        account = f"acc{n % 100}"
        ingest.process(event(n, account, account in bad_accounts, rng))
    with store.uow() as uow:
        for i in range(100):
            value = LabelValue.VIOLATING if f"acc{i}" in bad_accounts else LabelValue.NOT_VIOLATING
            ref = EntityRef(EntityKind.ACCOUNT, f"acc{i}")
            uow.labels.add(Label(LabelId(f"lab{i}"), ref, None, value, Provenance.REVIEW, "r", T0))
        uow.commit()

    table = risk_table(store.uow, T0, T0 + timedelta(days=2))
    assert (len(table.rows), table.positives, table.events_seen) == (1500, 150, 1500)
    assert "entity.account" not in table.rows[0]
    # event 1499 is acc99's 15th in 25 h: 15 in 24 h (itself included), 1 in the last hour
    assert table.rows[-1]["velocity.account_events_24h"] == 15
    assert table.rows[-1]["velocity.account_events_1h"] == 1
    model = train_tabular(table_of(table.rows), TrainingOptions(LABEL, time_column=TIME))
    assert model.manifest["metrics"]["auprc"] > 0.8
    model.save(tmp_path / "risk")

    models = ModelService(store.uow, TabularArtifacts(), clock)
    models.register("risk", str(tmp_path / "risk"), actor="cli:test")
    models.promote(ADMIN, "risk", 1)
    bad = ingest.process(event(5000, "acc_new", True, rng)).decision
    good = ingest.process(event(5001, "acc_new2", False, rng)).decision
    assert [h.rule for h in bad.hits] == ["risky"]
    assert good.hits == ()
