"""Links and rings: the same behaviour on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from contract_samples import T0, Factory, at

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.graph import Link, Strength
from garrison.domain.rings import (
    Ring,
    RingMethod,
    RingRisk,
    RiskFactor,
    SharedIdentifier,
)

A1 = EntityRef(EntityKind.ACCOUNT, "acct_1")
A2 = EntityRef(EntityKind.ACCOUNT, "acct_2")
A3 = EntityRef(EntityKind.ACCOUNT, "acct_3")
DEVICE = EntityRef(EntityKind.DEVICE, "dev_1")
IP = EntityRef(EntityKind.IP, "203.0.113.9")
CARD = EntityRef(EntityKind.PAYMENT_METHOD, "pm_1")


def _observe(factory: Factory, *items: tuple[EntityRef, list[EntityRef], float]) -> None:
    with factory() as uow:
        for account, identifiers, seconds in items:
            uow.links.observe(account, identifiers, at(seconds))
        uow.commit()


def test_observe_keeps_first_and_last_seen_and_counts_events(uow_factory: Factory) -> None:
    _observe(
        uow_factory,
        (A1, [DEVICE, IP], 100),
        (A1, [DEVICE], 50),
        (A1, [DEVICE, DEVICE], 300),
    )
    with uow_factory() as uow:
        found = uow.links.identifiers_for(A1)
    assert found == [
        Link(A1, DEVICE, at(50), at(300), 3),
        Link(A1, IP, at(100), at(100), 1),
    ]
    assert all(link.first_seen.utcoffset() == timedelta(0) for link in found)


def test_uncommitted_links_are_not_kept(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.links.observe(A1, [DEVICE], T0)
    with uow_factory() as uow:
        assert uow.links.identifiers_for(A1) == []
        assert uow.links.accounts_for(DEVICE, 10) == []


def test_accounts_for_and_capped_counts(uow_factory: Factory) -> None:
    _observe(uow_factory, (A2, [DEVICE], 1), (A1, [DEVICE, IP], 2), (A3, [DEVICE], 3))
    with uow_factory() as uow:
        users = uow.links.accounts_for(DEVICE, 10)
        first_two = uow.links.accounts_for(DEVICE, 2)
        counts = uow.links.counts([DEVICE, IP, CARD], 10)
        capped = uow.links.counts([DEVICE], 2)
    assert [link.account for link in users] == [A1, A2, A3]
    assert [link.account for link in first_two] == [A1, A2]
    assert counts == {DEVICE: 3, IP: 1, CARD: 0}
    assert capped == {DEVICE: 2}


def test_scan_pages_through_every_link_in_key_order(uow_factory: Factory) -> None:
    _observe(uow_factory, (A2, [IP, DEVICE], 1), (A1, [CARD, DEVICE], 2), (A3, [IP], 3))
    seen: list[tuple[str, str, str]] = []
    with uow_factory() as uow:
        after = None
        while page := uow.links.scan(after, 2):
            keys = [(x.account.id, x.identifier.kind.value, x.identifier.id) for x in page]
            seen.extend(keys)
            after = keys[-1]
    assert seen == sorted(seen)
    assert seen == [
        ("acct_1", "device", "dev_1"),
        ("acct_1", "payment_method", "pm_1"),
        ("acct_2", "device", "dev_1"),
        ("acct_2", "ip", "203.0.113.9"),
        ("acct_3", "ip", "203.0.113.9"),
    ]


def test_clear_forgets_every_link(uow_factory: Factory) -> None:
    _observe(uow_factory, (A1, [DEVICE], 1), (A2, [DEVICE], 2))
    with uow_factory() as uow:
        uow.links.clear()
        uow.commit()
    with uow_factory() as uow:
        assert uow.links.scan(None, 10) == []
        assert uow.links.counts([DEVICE], 10) == {DEVICE: 0}


def _ring(ring_id: str, members: list[EntityRef], score: float) -> Ring:
    return Ring(
        id=ring_id,
        members=tuple(members),
        infrastructure=(
            SharedIdentifier(DEVICE, Strength.STRONG, 2),
            SharedIdentifier(IP, Strength.WEAK, 3),
        ),
        method=RingMethod.COMMUNITY,
        first_seen=at(1),
        last_seen=at(90),
        burst=2,
        labelled_bad=(members[0],),
        risk=RingRisk(score, (RiskFactor("size", 0.25, 0.5, "2 members"),)),
        detected_at=at(100),
    )


def test_rings_roundtrip_list_and_membership(uow_factory: Factory) -> None:
    risky = replace(_ring("ring_b", [A1, A2], 0.8), flagged_at=at(100))
    quiet = _ring("ring_a", [A3, EntityRef(EntityKind.ACCOUNT, "acct_4")], 0.2)
    big = _ring("ring_c", [EntityRef(EntityKind.ACCOUNT, f"acct_{n}") for n in (5, 6, 7)], 0.2)
    with uow_factory() as uow:
        uow.rings.replace([quiet, risky, big])
        uow.commit()
    with uow_factory() as uow:
        assert uow.rings.get("ring_b") == risky
        assert uow.rings.get("ring_x") is None
        assert [r.id for r in uow.rings.list(min_size=2, limit=10)] == [
            "ring_b",
            "ring_c",
            "ring_a",
        ]
        assert [r.id for r in uow.rings.list(min_size=3, limit=10)] == ["ring_c"]
        assert [r.id for r in uow.rings.list(min_size=2, limit=1, offset=1)] == ["ring_c"]
        assert uow.rings.for_account(A2) == risky
        assert uow.rings.for_account(EntityRef(EntityKind.ACCOUNT, "acct_9")) is None
        assert uow.rings.flagged() == {"ring_b": at(100)}


def test_replace_drops_rings_no_longer_found(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.rings.replace([_ring("ring_a", [A1, A2], 0.3)])
        uow.commit()
    with uow_factory() as uow:
        uow.rings.replace([_ring("ring_b", [A2, A3], 0.3)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.rings.get("ring_a") is None
        assert uow.rings.for_account(A1) is None
        found = uow.rings.for_account(A2)
        assert found is not None and found.id == "ring_b"
        uow.rings.replace([])
        uow.commit()
    with uow_factory() as uow:
        assert uow.rings.list(min_size=2, limit=10) == []
