"""The one error shape: statuses by error class, field paths, the 500 body."""

from __future__ import annotations

import orjson
import pytest

from garrison.domain.errors import (
    Conflict,
    GarrisonError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from garrison.entrypoints.web.errors import (
    field_path,
    garrison_error_response,
    internal_error_response,
    status_for,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("x"), 422),
        (NotFound("x"), 404),
        (Conflict("x"), 409),
        (InvalidTransition("x"), 409),
        (Unauthenticated("x"), 401),
        (PermissionDenied("x"), 403),
        (GarrisonError("x"), 400),
    ],
)
def test_each_error_class_has_its_status(error: GarrisonError, status: int) -> None:
    assert status_for(error) == status


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("body", "events", 3, "occurred_at"), "events[3].occurred_at"),
        (("query", "limit"), "limit"),
        (("body", "actions", 0, "kind"), "actions[0].kind"),
        (("body",), None),
        ((), None),
        (("body", 0), "[0]"),
    ],
)
def test_field_paths_read_like_the_json(loc: tuple[str | int, ...], path: str | None) -> None:
    assert field_path(loc) == path


def test_a_401_asks_for_a_bearer_token() -> None:
    response = garrison_error_response(Unauthenticated("who are you", field=None))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert orjson.loads(response.body) == {
        "error": {"code": "unauthenticated", "message": "who are you", "field": None}
    }


def test_the_500_body_says_nothing_of_the_cause() -> None:
    body = orjson.loads(internal_error_response().body)

    assert body["error"]["code"] == "internal"
    assert set(body["error"]) == {"code", "message", "field"}
