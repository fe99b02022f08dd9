"""`garrison keys create` and `garrison users create`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.errors import Unauthenticated

Invoke = Callable[..., Result]

PASSWORD = "correct horse battery staple"


def test_keys_create_prints_the_key_alone_on_the_last_line(
    migrated: Invoke, container: Container
) -> None:
    result = migrated("keys", "create", "host-platform", "--role", "ingest")

    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").splitlines()
    assert len(lines) >= 2, "an explanation comes before the key"
    key = lines[-1]
    assert key.startswith("gk_") and " " not in key
    principal = container.access.authenticate_key(key)
    assert (principal.name, principal.role) == ("host-platform", Role.INGEST)


def test_keys_create_with_an_unknown_role_lists_the_roles(migrated: Invoke) -> None:
    result = migrated("keys", "create", "x", "--role", "overlord")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert all(role.value in result.stderr for role in Role)
    assert "Traceback" not in result.output


def test_users_create_reads_the_password_from_stdin(migrated: Invoke, container: Container) -> None:
    result = migrated(
        "users",
        "create",
        "Ana@Example.com",
        "--role",
        "reviewer",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    assert "ana@example.com" in result.stdout
    principal = container.access.login("ana@example.com", PASSWORD)
    assert principal.role is Role.REVIEWER
    with pytest.raises(Unauthenticated):
        container.access.login("ana@example.com", PASSWORD + "\n")


def test_users_create_prompts_twice_without_stdin_flag(
    migrated: Invoke, container: Container
) -> None:
    result = migrated(
        "users", "create", "bo@example.com", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output, "the prompt hides what is typed"
    assert container.access.login("bo@example.com", PASSWORD).role is Role.ADMIN


def test_duplicate_user_is_a_clean_error(migrated: Invoke) -> None:
    args = ("users", "create", "cy@example.com", "--role", "viewer", "--password-stdin")
    assert migrated(*args, stdin=PASSWORD).exit_code == 0

    again = migrated(*args, stdin=PASSWORD)

    assert again.exit_code == 1
    assert again.stderr.strip() == (
        "error: a user with email cy@example.com already exists (field: email)"
    )


def test_short_password_is_refused(migrated: Invoke) -> None:
    result = migrated(
        "users", "create", "dee@example.com", "--role", "viewer", "--password-stdin", stdin="short"
    )

    assert result.exit_code == 1
    assert "at least 12 characters" in result.stderr
    assert "Traceback" not in result.output
