"""Principals and the hash-chained AuditLog."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from contract_samples import T0, Factory, api_key, at, principal, user

from garrison.domain.access import Role
from garrison.domain.audit import AuditRecord, chain, first_broken
from garrison.domain.ids import PrincipalId
from garrison.services.unit_of_work import ApiKeyRecord, DuplicateKey, UnitOfWork


def test_api_keys(uow_factory: Factory) -> None:
    key = api_key("key_1", "h1")
    revoked = ApiKeyRecord(principal("key_2", Role.ADMIN), "h2", T0, revoked_at=at(5))
    with uow_factory() as uow:
        uow.principals.add_api_key(key)
        uow.principals.add_api_key(revoked)
        with pytest.raises(DuplicateKey):
            uow.principals.add_api_key(api_key("key_3", "h1"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.principals.api_key_by_hash("h1") == key
        assert uow.principals.api_key_by_hash("h2") == revoked
        assert uow.principals.api_key_by_hash("nope") is None


def test_users(uow_factory: Factory) -> None:
    ana = user("usr_1", "ana@example.com")
    disabled = replace(user("usr_2", "bo@example.com", Role.ADMIN), disabled=True)
    with uow_factory() as uow:
        uow.principals.add_user(ana)
        uow.principals.add_user(disabled)
        uow.commit()
    with uow_factory() as uow:
        assert uow.principals.user_by_email("ana@example.com") == ana
        assert uow.principals.user_by_email("nobody@example.com") is None
        assert uow.principals.user_by_id(PrincipalId("usr_2")) == disabled
        assert uow.principals.user_by_id(PrincipalId("usr_404")) is None


def test_user_email_and_id_are_unique(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.principals.add_user(user("usr_1", "ana@example.com"))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(DuplicateKey):
            uow.principals.add_user(user("usr_2", "ana@example.com"))
        with pytest.raises(DuplicateKey):
            uow.principals.add_user(user("usr_1", "other@example.com"))
        uow.principals.add_user(user("usr_3", "cy@example.com"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.principals.user_by_id(PrincipalId("usr_2")) is None
        assert uow.principals.user_by_email("other@example.com") is None
        assert uow.principals.user_by_email("cy@example.com") is not None


def test_count_by_role_counts_people_and_machines(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.principals.count_by_role(Role.ADMIN) == 0
        uow.principals.add_user(user("usr_1", "a@example.com", Role.ADMIN))
        uow.principals.add_user(user("usr_2", "b@example.com", Role.REVIEWER))
        uow.principals.add_api_key(api_key("key_1", "h1", Role.ADMIN))
        uow.principals.add_api_key(api_key("key_2", "h2", Role.INGEST))
        uow.commit()
    with uow_factory() as uow:
        assert uow.principals.count_by_role(Role.ADMIN) == 2
        assert uow.principals.count_by_role(Role.INGEST) == 1
        assert uow.principals.count_by_role(Role.VIEWER) == 0


def _append(uow: UnitOfWork, n: int, target: str = "case:1") -> AuditRecord:
    record = chain(
        uow.audit.last(),
        actor="person:ana",
        action=f"case.step{n}",
        target=target,
        at=at(n),
        details={"n": n, "why": ["x", None]},
    )
    uow.audit.append(record)
    return record


def test_audit_append_last_head(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.audit.last() is None
        assert uow.audit.head() is None
        first = _append(uow, 1)
        second = _append(uow, 2)
        uow.commit()
    with uow_factory() as uow:
        assert uow.audit.last() == second
        assert uow.audit.head() == (2, second.hash)
        assert uow.audit.scan(0, 10) == [first, second]
        assert first_broken(uow.audit.scan(0, 10), uow.audit.head()) is None


def test_audit_refuses_a_seq_at_or_before_the_last(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        first = _append(uow, 1)
        second = _append(uow, 2)
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(DuplicateKey):
            uow.audit.append(replace(second, action="forged"))
        with pytest.raises(DuplicateKey):
            uow.audit.append(replace(first, action="forged"))
        third = _append(uow, 3)
        uow.commit()
    with uow_factory() as uow:
        assert uow.audit.scan(0, 10) == [first, second, third]
        assert uow.audit.head() == (3, third.hash)


def test_audit_scan_and_recent(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        written = [_append(uow, n, "case:1" if n % 2 else "case:2") for n in range(1, 8)]
        uow.commit()
    with uow_factory() as uow:
        assert uow.audit.scan(0, 3) == written[:3]
        assert uow.audit.scan(5, 10) == written[5:]
        assert uow.audit.scan(7, 10) == []
        assert uow.audit.recent(limit=3) == written[::-1][:3]
        assert [r.seq for r in uow.audit.recent(limit=10, target="case:2")] == [6, 4, 2]
        assert uow.audit.recent(limit=10, target="case:404") == []


def test_concurrent_appends_keep_one_chain(uow_factory: Factory) -> None:
    def append_many(worker: int) -> None:
        for n in range(5):
            with uow_factory() as uow:
                _append(uow, worker * 10 + n, target=f"worker:{worker}")
                uow.commit()

    with ThreadPoolExecutor(6) as pool:
        for done in [pool.submit(append_many, w) for w in range(6)]:
            done.result(timeout=60)
    with uow_factory() as uow:
        records = uow.audit.scan(0, 100)
        head = uow.audit.head()
    assert [r.seq for r in records] == list(range(1, 31))
    assert head == (30, records[-1].hash)
    assert first_broken(records, head) is None
