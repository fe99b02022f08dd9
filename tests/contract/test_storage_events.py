"""EventLog and Decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from contract_samples import ACCOUNT, T0, Backend, Factory, decision, stored_event

from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import DecisionId, EventId
from garrison.domain.verdicts import Verdict
from garrison.services.unit_of_work import DuplicateKey


def test_event_roundtrip(uow_factory: Factory) -> None:
    original = stored_event("evt_1")
    with uow_factory() as uow:
        assert uow.events.get(EventId("evt_1")) is None
        uow.events.add(original)
        uow.commit()
    with uow_factory() as uow:
        found = uow.events.get(EventId("evt_1"))
    assert found == original
    assert found is not None
    assert all(isinstance(kind, EntityKind) for kind in found.event.entities)
    assert found.event.occurred_at.utcoffset() == timedelta(0)
    assert found.received_at.tzinfo is not None
    assert found.event.fingerprint() == original.fingerprint


def test_event_without_entities(uow_factory: Factory) -> None:
    original = stored_event("evt_bare", entities={})
    with uow_factory() as uow:
        uow.events.add(original)
        uow.commit()
    with uow_factory() as uow:
        assert uow.events.get(EventId("evt_bare")) == original


def test_duplicate_event_id(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_1"))
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateKey):
        uow.events.add(stored_event("evt_1", when=T0 + timedelta(hours=1)))
    with uow_factory() as uow:
        found = uow.events.get(EventId("evt_1"))
    assert found is not None and found.event.occurred_at == T0


def test_for_entity_newest_first(uow_factory: Factory) -> None:
    other = {EntityKind.ACCOUNT: "acct_2", EntityKind.IP: "10.0.0.1"}
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_b", when=T0))
        uow.events.add(stored_event("evt_a", when=T0))
        uow.events.add(stored_event("evt_c", when=T0 + timedelta(minutes=5)))
        uow.events.add(stored_event("evt_old", when=T0 - timedelta(days=3)))
        uow.events.add(stored_event("evt_other", when=T0 + timedelta(hours=1), entities=other))
        uow.commit()
    with uow_factory() as uow:
        mine = [e.id for e in uow.events.for_entity(ACCOUNT, 10)]
        by_ip = [e.id for e in uow.events.for_entity(EntityRef(EntityKind.IP, "10.0.0.1"), 2)]
        nobody = uow.events.for_entity(EntityRef(EntityKind.ACCOUNT, "acct_404"), 10)
        limited = [e.id for e in uow.events.for_entity(ACCOUNT, 2)]
    assert mine == ["evt_c", "evt_b", "evt_a", "evt_old"]
    assert by_ip == ["evt_other", "evt_c"]
    assert nobody == []
    assert limited == ["evt_c", "evt_b"]


def test_decision_roundtrip(uow_factory: Factory) -> None:
    original = decision("dec_1")
    with uow_factory() as uow:
        uow.decisions.add(original)
        uow.commit()
    with uow_factory() as uow:
        assert uow.decisions.get(DecisionId("dec_1")) == original
        assert uow.decisions.get(DecisionId("dec_404")) is None


def test_decision_without_hits(uow_factory: Factory) -> None:
    original = Decision(
        DecisionId("dec_0"), EventId("evt_0"), Verdict.ALLOW, 0.0, (), "rel-1", "p-1", T0
    )
    with uow_factory() as uow:
        uow.decisions.add(original)
        uow.commit()
    with uow_factory() as uow:
        assert uow.decisions.get(DecisionId("dec_0")) == original


def test_duplicate_decision_id(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.decisions.add(decision("dec_1"))
        with pytest.raises(DuplicateKey):
            uow.decisions.add(decision("dec_1", event_id="evt_2"))
        uow.commit()
    with uow_factory() as uow:
        found = uow.decisions.get(DecisionId("dec_1"))
    assert found is not None and found.event_id == "evt_1"


def test_many_keeps_the_given_order_and_skips_unknown(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for name in ("dec_a", "dec_b", "dec_c"):
            uow.decisions.add(decision(name))
        uow.commit()
    wanted = [DecisionId(i) for i in ("dec_c", "dec_x", "dec_a", "dec_b")]
    with uow_factory() as uow:
        found = [d.id for d in uow.decisions.many(wanted)]
        assert uow.decisions.many([]) == []
    assert found == ["dec_c", "dec_a", "dec_b"]


def test_sql_returns_aware_utc_from_any_offset(backend: Backend) -> None:
    if not backend.is_sql:
        pytest.skip("the memory store keeps the objects it is given")
    paris = timezone(timedelta(hours=2))
    local = datetime(2026, 3, 1, 14, 0, 0, 123456, tzinfo=paris)
    with backend.factory() as uow:
        uow.events.add(stored_event("evt_tz", when=local))
        uow.commit()
    with backend.factory() as uow:
        found = uow.events.get(EventId("evt_tz"))
    assert found is not None
    assert found.event.occurred_at == local
    assert found.event.occurred_at.tzinfo == UTC
    assert found.event.occurred_at.hour == 12
