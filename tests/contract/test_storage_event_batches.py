"""A batch's events and decisions written together: all or none, ids looked up at once."""

from __future__ import annotations

import pytest
from contract_samples import ACCOUNT, Factory, decision, stored_event

from garrison.domain.ids import DecisionId, EventId
from garrison.services.unit_of_work import DuplicateKey


def test_many_events_and_decisions_are_stored_with_their_entities(uow_factory: Factory) -> None:
    events = [stored_event(f"evt_{n}") for n in range(3)]
    with uow_factory() as uow:
        uow.events.add_many(events)
        uow.decisions.add_many([decision(f"dec_{n}", event_id=f"evt_{n}") for n in range(3)])
        uow.events.add_many([])
        uow.decisions.add_many([])
        uow.commit()
    with uow_factory() as uow:
        assert [uow.events.get(EventId(f"evt_{n}")) for n in range(3)] == events
        assert len(uow.events.for_entity(ACCOUNT, 10)) == 3
        assert [d.id for d in uow.decisions.many([DecisionId("dec_2"), DecisionId("dec_0")])] == [
            "dec_2",
            "dec_0",
        ]
        wanted = [EventId("evt_0"), EventId("evt_9"), EventId("evt_2"), EventId("evt_0")]
        assert uow.events.known(wanted) == {"evt_0", "evt_2"}
        assert uow.events.known([]) == frozenset()


@pytest.mark.parametrize("clash", ["stored", "twice"])
def test_a_taken_or_repeated_id_stores_none_of_the_batch(uow_factory: Factory, clash: str) -> None:
    with uow_factory() as uow:
        uow.events.add(stored_event("evt_old"))
        uow.decisions.add(decision("dec_old"))
        uow.commit()
    again = "evt_old" if clash == "stored" else "evt_new"
    again_decision = "dec_old" if clash == "stored" else "dec_new"
    with uow_factory() as uow:
        with pytest.raises(DuplicateKey):
            uow.events.add_many([stored_event("evt_new"), stored_event(again)])
        with pytest.raises(DuplicateKey):
            uow.decisions.add_many([decision("dec_new"), decision(again_decision)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.events.known([EventId("evt_new"), EventId("evt_old")]) == {"evt_old"}
        assert uow.decisions.get(DecisionId("dec_new")) is None
