"""Batched link writes and the bulk link table: the same on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from contract_samples import Factory, at

from garrison.domain.entities import EntityKind, EntityRef
from garrison.services.link_table import LinkTable, LinkTableBuilder

A1 = EntityRef(EntityKind.ACCOUNT, "acct_1")
A2 = EntityRef(EntityKind.ACCOUNT, "acct_2")
A3 = EntityRef(EntityKind.ACCOUNT, "acct_3")
DEVICE = EntityRef(EntityKind.DEVICE, "dev_1")
IP = EntityRef(EntityKind.IP, "203.0.113.9")
CARD = EntityRef(EntityKind.PAYMENT_METHOD, "pm_1")
ORG_A = EntityRef(EntityKind.ORG, "org_a")
ORG_B = EntityRef(EntityKind.ORG, "org_b")


def test_observe_many_merges_repeats_within_the_batch(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.links.observe_many(
            [(A1, (DEVICE, IP), at(100)), (A1, (DEVICE,), at(50)), (A2, (DEVICE,), at(70))]
        )
        uow.commit()
    with uow_factory() as uow:
        uow.links.observe_many([(A1, (DEVICE, DEVICE), at(300))])
        uow.commit()
    with uow_factory() as uow:
        device = {link.identifier: link for link in uow.links.identifiers_for(A1)}[DEVICE]
        assert (device.first_seen, device.last_seen, device.events) == (at(50), at(300), 3)
        assert [link.account for link in uow.links.accounts_for(DEVICE, 10)] == [A1, A2]


def _shape(table: LinkTable) -> dict[str, object]:
    """The table with its numbering taken out: what each account links to, and owners."""
    ids = [table.account_ids[a] for a in range(table.accounts)]
    links = {
        (ids[a], str(table.identifier(i)))
        for a, i in zip(table.link_account, table.link_identifier, strict=True)
    }
    owners: dict[int, set[str]] = {}
    for index, owner in enumerate(table.owner):
        owners.setdefault(owner, set()).add(ids[index])
    return {
        "links": links,
        "first_seen": {ids[a]: table.first_seen[a] for a in range(table.accounts)},
        "owners": sorted(sorted(group) for group in owners.values()),
        "strength": {str(table.identifier(i)): s for i, s in enumerate(table.strength)},
    }


def test_bulk_table_matches_the_builder_over_scanned_links(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.links.table().links == 0
        uow.links.observe(A1, [DEVICE, IP, ORG_A], at(100))
        uow.links.observe(A2, [DEVICE, CARD, ORG_B], at(40))
        uow.links.observe(A2, [ORG_A], at(10))
        uow.links.observe(A3, [CARD, ORG_A], at(500))
        uow.commit()
    with uow_factory() as uow:
        table = uow.links.table()
        builder = LinkTableBuilder()
        builder.add(uow.links.scan(None, 100))
        expected = builder.build()
    assert _shape(table) == _shape(expected)
    assert table.accounts == 3 and table.links == 5
    assert _shape(table)["first_seen"] == {"acct_1": at(100), "acct_2": at(10), "acct_3": at(500)}
    owners = _shape(table)["owners"]
    assert owners == [["acct_1", "acct_2", "acct_3"]]


def test_users_lists_capped_account_ids_per_identifier_at_once(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.links.observe(A2, [DEVICE, IP], at(1))
        uow.links.observe(A1, [DEVICE], at(2))
        uow.links.observe(A3, [DEVICE], at(3))
        uow.commit()
    with uow_factory() as uow:
        found = uow.links.users([DEVICE, IP, CARD, DEVICE], 2)
    assert found == {DEVICE: ["acct_1", "acct_2"], IP: ["acct_2"], CARD: []}
