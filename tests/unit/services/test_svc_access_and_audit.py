from dataclasses import replace

import pytest
from service_world import T0

from garrison.adapters.fakes import ManualClock, SequentialIds
from garrison.adapters.storage.memory import MemoryStore
from garrison.domain.access import Permission, Role
from garrison.domain.errors import Conflict, InvalidInput, PermissionDenied, Unauthenticated
from garrison.services import audit
from garrison.services.access import AccessService, hash_api_key


class PlainPasswords:
    """Reversible stand-in for argon2, to keep unit tests fast."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, hashed: str, password: str) -> bool:
        return hashed == "plain$" + password


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def access(store: MemoryStore) -> AccessService:
    return AccessService(store.uow, PlainPasswords(), ManualClock(T0), SequentialIds())


def test_api_key_is_shown_once_and_stored_hashed(access: AccessService, store: MemoryStore) -> None:
    issued = access.create_api_key("ingest-1", Role.INGEST, actor="person:admin")
    assert issued.key.startswith("gk_") and len(issued.key) > 40
    with store.uow() as uow:
        assert list(uow.state.api_keys) == [hash_api_key(issued.key)]
    principal = access.authenticate_key(issued.key)
    assert principal.role is Role.INGEST and principal.can(Permission.INGEST_EVENTS)
    assert not principal.can(Permission.READ_CASES)
    with pytest.raises(Unauthenticated):
        access.authenticate_key(issued.key + "x")


def test_users_log_in_with_their_password(access: AccessService) -> None:
    created = access.create_user(
        "Rev@Example.com", Role.REVIEWER, "correct horse battery", actor="t"
    )
    assert access.login("rev@example.com", "correct horse battery") == created
    for email, password in [("rev@example.com", "wrong password!"), ("no@example.com", "x" * 12)]:
        with pytest.raises(Unauthenticated, match="wrong email or password"):
            access.login(email, password)
    with pytest.raises(Conflict):
        access.create_user("rev@example.com", Role.ADMIN, "another password", actor="t")
    with pytest.raises(InvalidInput) as short:
        access.create_user("new@example.com", Role.ADMIN, "short", actor="t")
    assert short.value.field == "password"


def test_roles_gate_permissions() -> None:
    from service_world import person

    with pytest.raises(PermissionDenied):
        person(Role.REVIEWER).require(Permission.READ_AUDIT)
    person(Role.ADMIN).require(Permission.READ_AUDIT)


def test_audit_verify_finds_tampering(access: AccessService, store: MemoryStore) -> None:
    for n in range(4):
        access.create_api_key(f"k{n}", Role.VIEWER, actor="person:admin")
    result = audit.verify(store.uow)
    assert result.intact and result.records == 4
    records = store.state.audit
    records[1] = replace(records[1], actor="person:mallory")
    result = audit.verify(store.uow)
    assert not result.intact and result.broken is not None and result.broken.seq == 2
    del records[3]
    records[1] = replace(records[1], actor="person:admin")
    assert audit.verify(store.uow).broken.seq == 4  # type: ignore[union-attr]
