"""Access: API keys for machines, email and password for people, and who may do what."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from garrison.domain.access import Principal, PrincipalKind, Role
from garrison.domain.errors import Conflict, InvalidInput, Unauthenticated
from garrison.domain.ids import PrincipalId
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator, PasswordHasher
from garrison.services.unit_of_work import (
    ApiKeyRecord,
    DuplicateKey,
    UnitOfWorkFactory,
    UserRecord,
)

KEY_PREFIX = "gk_"
MIN_PASSWORD_LENGTH = 12


def hash_api_key(key: str) -> str:
    """API keys carry 256 bits of randomness, so one SHA-256 is enough (unlike passwords)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedKey:
    principal: Principal
    key: str


class AccessService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        passwords: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        *,
        readers: UnitOfWorkFactory | None = None,
    ) -> None:
        """`readers` open units that only read (every request's authentication is one)."""
        self._uow = uow_factory
        self._readers = readers or uow_factory
        self._passwords = passwords
        self._clock = clock
        self._ids = ids

    def create_api_key(self, name: str, role: Role, *, actor: str) -> IssuedKey:
        """Issue a key. The plain key is returned once and only its hash is stored."""
        if not name.strip():
            raise InvalidInput("a key needs a name", field="name")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        principal = Principal(PrincipalId(self._ids.new("key")), PrincipalKind.MACHINE, name, role)
        with self._uow() as uow:
            uow.principals.add_api_key(
                ApiKeyRecord(principal, hash_api_key(key), self._clock.now())
            )
            audit.record(
                uow,
                self._clock,
                actor=actor,
                action="api_key.create",
                target=f"principal:{principal.id}",
                details={"name": name, "role": role.value},
            )
            uow.commit()
        return IssuedKey(principal, key)

    def create_user(self, email: str, role: Role, password: str, *, actor: str) -> Principal:
        email = email.strip().lower()
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            raise InvalidInput(f"not an email address: {email!r}", field="email")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                field="password",
            )
        principal = Principal(PrincipalId(self._ids.new("usr")), PrincipalKind.PERSON, email, role)
        hashed = self._passwords.hash(password)
        try:
            with self._uow() as uow:
                uow.principals.add_user(UserRecord(principal, email, hashed, self._clock.now()))
                audit.record(
                    uow,
                    self._clock,
                    actor=actor,
                    action="user.create",
                    target=f"principal:{principal.id}",
                    details={"email": email, "role": role.value},
                )
                uow.commit()
        except DuplicateKey:
            raise Conflict(f"a user with email {email} already exists", field="email") from None
        return principal

    def authenticate_key(self, key: str) -> Principal:
        with self._readers() as uow:
            found = uow.principals.api_key_by_hash(hash_api_key(key))
        if found is None or found.revoked_at is not None:
            raise Unauthenticated("invalid or revoked API key")
        return found.principal

    def login(self, email: str, password: str) -> Principal:
        """Check a password; the same error for an unknown email and a wrong password."""
        with self._uow() as uow:
            found = uow.principals.user_by_email(email.strip().lower())
        if (
            found is None
            or found.disabled
            or not self._passwords.verify(found.password_hash, password)
        ):
            raise Unauthenticated("wrong email or password")
        with self._uow() as uow:
            audit.record(
                uow,
                self._clock,
                actor=found.principal.actor,
                action="session.login",
                target=f"principal:{found.principal.id}",
            )
            uow.commit()
        return found.principal

    def person(self, principal_id: PrincipalId) -> Principal:
        """The person behind a session; refused once the account is disabled or gone."""
        with self._readers() as uow:
            found = uow.principals.user_by_id(principal_id)
        if found is None or found.disabled:
            raise Unauthenticated("session no longer valid")
        return found.principal
