"""The hand-written event validator: what it accepts, how it normalises, how it names problems."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.errors import InvalidInput
from garrison.entrypoints.web.schemas.events import parse_batch, parse_event


def _body(**fields: Any) -> dict[str, Any]:
    return {
        "id": "evt_1",
        "type": "api_key.created",
        "occurred_at": "2025-01-31T13:00:00+01:00",
        "entities": {"account": "acct_1", "ip": "2001:db8::1"},
        **fields,
    }


def test_an_event_is_read_with_its_time_in_utc() -> None:
    event = parse_event(_body(attributes={"n": [1, {"x": None}]}))

    assert event.occurred_at == datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
    assert event.entities == {EntityKind.ACCOUNT: "acct_1", EntityKind.IP: "2001:db8::1"}
    assert event.attributes == {"n": [1, {"x": None}]}
    assert str(event.subject) == "account:acct_1"


def test_missing_or_null_attributes_are_empty() -> None:
    assert parse_event(_body()).attributes == {}
    assert parse_event(_body(attributes=None)).attributes == {}


def test_a_problem_inside_a_batch_names_the_item() -> None:
    parsed = parse_batch({"events": [_body(), _body(entities={"moon": "x"}), "text"]})

    assert not isinstance(parsed[0], InvalidInput)
    assert isinstance(parsed[1], InvalidInput)
    assert parsed[1].field == "events[1].entities.moon"
    assert isinstance(parsed[2], InvalidInput)
    assert parsed[2].field == "events[2]"


@pytest.mark.parametrize("raw", [[], "evt", 3, None])
def test_an_event_must_be_an_object(raw: object) -> None:
    with pytest.raises(InvalidInput, match="JSON object") as caught:
        parse_event(raw)
    assert caught.value.field is None
