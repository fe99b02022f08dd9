"""ListService and EntityLabelService: atomic, versioned, audited writes; the add_label action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from signal_world import T0

from garrison.adapters.fakes import ManualClock, RecordingTransport, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.actions import Action, ActionKind, ActionStatus
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.entity_labels import LabelOrigin
from garrison.domain.errors import Conflict, InvalidInput, NotFound
from garrison.domain.ids import ActionId
from garrison.domain.lists import ListKind
from garrison.domain.webhooks import RetryPolicy
from garrison.services.dispatch import Dispatcher
from garrison.services.entity_labels import EntityLabelService
from garrison.services.lists import ListService, ensure_list

ACCOUNT = EntityRef(EntityKind.ACCOUNT, "a1")


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def lists(store: MemoryStore, clock: ManualClock) -> ListService:
    return ListService(store.uow, clock)


def audit_actions(store: MemoryStore) -> list[tuple[str, str]]:
    return [(r.action, r.target) for r in store.state.audit]


def test_every_write_gives_a_new_version_and_is_audited(
    lists: ListService, store: MemoryStore, clock: ManualClock
) -> None:
    created = lists.create("ips", ListKind.CIDR, ["10.0.0.0/8"], description="d", actor="ana")
    clock.advance(5)
    added = lists.add_entries("ips", ["192.168.0.1", "10.0.0.0/8"], actor="ana")
    removed = lists.remove_entries("ips", ["192.168.0.1/32"], actor="ana")
    replaced = lists.replace("ips", ["1.2.3.0/24"], actor="bo")
    versions = [created.version, added.version, removed.version, replaced.version]
    assert versions == sorted(set(versions))
    assert added.entries == ("10.0.0.0/8", "192.168.0.1/32")
    assert added.updated_at == T0 + timedelta(seconds=5)
    assert removed.entries == ("10.0.0.0/8",)
    assert lists.get("ips") == replaced and replaced.description == "d"
    assert audit_actions(store) == [
        ("list.create", "list:ips"),
        ("list.add", "list:ips"),
        ("list.remove", "list:ips"),
        ("list.replace", "list:ips"),
    ]
    assert store.state.audit[1].details == {
        "version": added.version,
        "added": 1,
        "removed": 0,
        "size": 2,
    }


def test_a_malformed_upload_changes_nothing(lists: ListService, store: MemoryStore) -> None:
    before = lists.create("domains", ListKind.DOMAIN_SUFFIX, ["a.com"], actor="ana")
    with pytest.raises(InvalidInput) as caught:
        lists.replace("domains", ["b.com", "c.com", "not a domain"], actor="ana")
    assert caught.value.field == "entries[2]"
    with pytest.raises(InvalidInput):
        lists.add_entries("domains", ["ok.com", "bad domain"], actor="ana")
    assert lists.get("domains") == before
    assert len(store.state.audit) == 1


def test_a_stale_expected_version_is_a_conflict(lists: ListService) -> None:
    created = lists.create("x", ListKind.EXACT, ["1"], actor="ana")
    lists.add_entries("x", ["2"], actor="bo")
    with pytest.raises(Conflict) as caught:
        lists.replace("x", ["3"], expected_version=created.version, actor="ana")
    assert caught.value.field == "version"
    assert lists.get("x").entries == ("1", "2")


def test_names_are_unique_and_unknown_lists_are_not_found(lists: ListService) -> None:
    lists.create("x", ListKind.EXACT, actor="ana")
    with pytest.raises(Conflict):
        lists.create("x", ListKind.REGEX, actor="ana")
    with pytest.raises(NotFound):
        lists.add_entries("nope", ["1"], actor="ana")
    with pytest.raises(InvalidInput) as caught:
        lists.create("Bad Name", ListKind.EXACT, actor="ana")
    assert caught.value.field == "name"


def test_ensure_list_keeps_an_edited_list(
    lists: ListService, store: MemoryStore, clock: ManualClock
) -> None:
    assert ensure_list(store.uow, clock, "d", ListKind.EXACT, ["a"], "shipped") is True
    lists.add_entries("d", ["b"], actor="ana")
    assert ensure_list(store.uow, clock, "d", ListKind.EXACT, ["a"], "shipped") is False
    assert lists.get("d").entries == ("a", "b")


def test_labels_are_added_replaced_listed_and_removed(
    store: MemoryStore, clock: ManualClock
) -> None:
    labels = EntityLabelService(store.uow, clock)
    first = labels.add(ACCOUNT, "watch", actor="ana", ttl="1h")
    assert first.expires_at == T0 + timedelta(hours=1)
    again = labels.add(ACCOUNT, "watch", actor="bo", expires_at=T0 + timedelta(days=2))
    trusted = labels.add(ACCOUNT, "trusted", actor="ana")
    assert labels.for_entity(ACCOUNT) == [trusted, again], "by name; the second watch replaced"
    clock.advance(3 * 86400)
    assert [label.name for label in labels.for_entity(ACCOUNT)] == ["trusted"]
    assert len(labels.for_entity(ACCOUNT, include_expired=True)) == 2
    labels.remove(ACCOUNT, "watch", actor="ana")
    with pytest.raises(NotFound):
        labels.remove(ACCOUNT, "watch", actor="ana")
    assert [a for a, _ in audit_actions(store)] == [
        "entity_label.add",
        "entity_label.add",
        "entity_label.add",
        "entity_label.remove",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "Not OK"}, "name"),
        ({"ttl": "forever"}, "ttl"),
        ({"ttl": "0d"}, "ttl"),
        ({"ttl": "1d", "expires_at": T0 + timedelta(days=1)}, "ttl"),
        ({"expires_at": T0}, "expires_at"),
    ],
)
def test_bad_labels_are_refused(
    store: MemoryStore, clock: ManualClock, kwargs: dict[str, object], field: str
) -> None:
    labels = EntityLabelService(store.uow, clock)
    name = str(kwargs.pop("name", "ok"))
    with pytest.raises(InvalidInput) as caught:
        labels.add(ACCOUNT, name, actor="ana", **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert labels.for_entity(ACCOUNT, include_expired=True) == []


def planned_label(n: int, params: dict[str, object]) -> Action:
    return Action(
        ActionId(f"act_{n}"), ActionKind.ADD_LABEL, ACCOUNT, params, ActionStatus.PLANNED, T0
    )


def test_the_dispatcher_performs_add_label_actions(store: MemoryStore, clock: ManualClock) -> None:
    with store.uow() as uow:
        uow.actions.add(
            [
                planned_label(1, {"label": "suspected_farm", "ttl": "7d"}),
                planned_label(2, {"label": "watch"}),
                planned_label(3, {"label": "Bad Label"}),
                planned_label(4, {}),
            ]
        )
        uow.commit()
    dispatcher = Dispatcher(
        store.uow, RecordingTransport(), clock, SequentialIds(), webhook=None, retry=RetryPolicy()
    )
    report = dispatcher.run_once()
    assert report.performed == 2 and len(report.errors) == 2
    found = EntityLabelService(store.uow, clock).for_entity(ACCOUNT)
    assert [(label.name, label.expires_at, label.reference) for label in found] == [
        ("suspected_farm", T0 + timedelta(days=7), "act_1"),
        ("watch", T0 + timedelta(days=30), "act_2"),
    ]
    assert {label.provenance for label in found} == {LabelOrigin.RULE}
    statuses = {a.id: a.status for a in store.state.actions.values()}
    assert statuses[ActionId("act_3")] is ActionStatus.FAILED
    assert statuses[ActionId("act_4")] is ActionStatus.FAILED
    assert store.state.actions[ActionId("act_4")].error == "add_label needs a 'label' parameter"
