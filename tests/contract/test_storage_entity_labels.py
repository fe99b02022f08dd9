"""Entity labels: one per (subject, name), active ones for many subjects in one query."""

from __future__ import annotations

from contract_samples import ACCOUNT, Factory, at

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.entity_labels import EntityLabel, LabelOrigin

IP = EntityRef(EntityKind.IP, "10.0.0.1")
OTHER = EntityRef(EntityKind.ACCOUNT, "acct_2")


def label(subject: EntityRef, name: str, expires: float | None = None, **kw: str) -> EntityLabel:
    return EntityLabel(
        subject,
        name,
        LabelOrigin(kw.get("provenance", "manual")),
        kw.get("author", "ana"),
        at(0),
        None if expires is None else at(expires),
        kw.get("reference", ""),
    )


def test_active_labels_of_many_subjects(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.entity_labels.put(label(ACCOUNT, "trusted"))
        uow.entity_labels.put(label(ACCOUNT, "watch", expires=60))
        uow.entity_labels.put(label(IP, "tor", expires=3600, provenance="rule", reference="act_1"))
        uow.entity_labels.put(label(OTHER, "farm"))
        uow.commit()
    with uow_factory() as uow:
        active = uow.entity_labels.for_subjects([IP, ACCOUNT], active_at=at(60))
        everything = uow.entity_labels.for_subjects([ACCOUNT, IP, ACCOUNT], active_at=None)
        none = uow.entity_labels.for_subjects([], active_at=at(0))
    assert active == [
        label(ACCOUNT, "trusted"),
        label(IP, "tor", 3600, provenance="rule", reference="act_1"),
    ]
    assert [x.name for x in everything] == ["trusted", "watch", "tor"]
    assert everything[1].expires_at == at(60)
    assert none == []


def test_put_replaces_the_label_of_the_same_name(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.entity_labels.put(label(ACCOUNT, "watch", expires=60))
        uow.commit()
    with uow_factory() as uow:
        uow.entity_labels.put(label(ACCOUNT, "watch", author="bo"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.entity_labels.for_subjects([ACCOUNT], active_at=at(120)) == [
            label(ACCOUNT, "watch", author="bo")
        ]


def test_remove(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.entity_labels.put(label(ACCOUNT, "watch"))
        uow.entity_labels.put(label(OTHER, "watch"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.entity_labels.remove(ACCOUNT, "watch") is True
        assert uow.entity_labels.remove(ACCOUNT, "watch") is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.entity_labels.for_subjects([ACCOUNT, OTHER], active_at=None) == [
            label(OTHER, "watch")
        ]


def test_uncommitted_labels_are_not_kept(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.entity_labels.put(label(ACCOUNT, "watch"))
    with uow_factory() as uow:
        assert uow.entity_labels.for_subjects([ACCOUNT], active_at=None) == []
