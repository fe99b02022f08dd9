"""Event schemas: the shipped file matches what the simulator sends; errors point into the file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from garrison.domain.entities import EntityKind
from garrison.domain.language import EventSchemas, RuleError, ValueType, parse_schemas
from garrison.rulepacks import load_schemas
from garrison.simulator import Simulation
from garrison.simulator.drafts import EventType

SMALL = """\
[event."payment.attempt"]
entities = ["account", "payment_method"]
attributes = { amount_usd = "float", result = "str" }

[event."api.usage"]
description = "API calls"
entities = ["api_key"]

[event."api.usage".attributes]
tokens = "int"
amount_usd = "int"
tags = "list"
"""


def test_reads_entities_attributes_and_descriptions() -> None:
    schemas = parse_schemas(SMALL, "schemas.toml")

    payment = schemas.events["payment.attempt"]
    assert payment.entities == {EntityKind.ACCOUNT, EntityKind.PAYMENT_METHOD}
    assert payment.attributes == {"amount_usd": ValueType.FLOAT, "result": ValueType.STR}
    assert schemas.events["api.usage"].description == "API calls"
    assert schemas.event_types == {"payment.attempt", "api.usage"}


def test_attribute_types_narrow_by_event_type_and_widen_across_types() -> None:
    schemas = parse_schemas(SMALL)

    assert schemas.attribute_type({"payment.attempt"}, "amount_usd") is ValueType.FLOAT
    assert schemas.attribute_type({"api.usage"}, "amount_usd") is ValueType.INT
    assert schemas.attribute_type(None, "amount_usd") is ValueType.NUMBER
    assert schemas.attribute_type(None, "tokens") is ValueType.INT
    assert schemas.attribute_type({"payment.attempt"}, "tokens") is None
    assert schemas.attribute_type({"unknown.type"}, "tokens") is None
    assert schemas.has_entity({"api.usage"}, EntityKind.API_KEY)
    assert not schemas.has_entity({"payment.attempt"}, EntityKind.API_KEY)


def test_mixed_types_widen_to_any() -> None:
    text = '[event.a]\nattributes = { x = "str" }\n[event.b]\nattributes = { x = "int" }\n'

    assert parse_schemas(text).attribute_type(None, "x") is ValueType.ANY


@pytest.mark.parametrize(
    ("text", "line", "col", "reason"),
    [
        ('[event.a]\nentities = ["acount"]\n', 2, 13, "unknown entity kind 'acount'"),
        ('[event.a]\nattributes = { x = "string" }\n', 2, 20, "unknown type 'string'"),
        ('[event.a]\n[event.a.attributes]\nx = "flot"\n', 3, 5, "unknown type 'flot'"),
        ("[event.a]\nfields = []\n", 2, 1, "unknown key 'fields'"),
        ('[event.a]\nentities = "account"\n', 2, 12, "'entities' must be a list"),
        ("[event.a]\nattributes = []\n", 2, 14, "'attributes' must be a table"),
        ('[events.a]\nentities = ["account"]\n', 1, 1, "unknown top-level key 'events'"),
        ("event = 3\n", 1, 1, "write each event type as"),
        ("[event]\na = 1\n", 2, 1, "write event type 'a' as a table"),
        ("[event.a\n", 1, 9, "invalid TOML"),
    ],
)
def test_errors_point_into_the_schema_file(text: str, line: int, col: int, reason: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_schemas(text, "schemas.toml")

    assert reason in caught.value.reason
    assert (caught.value.path, caught.value.line, caught.value.col) == ("schemas.toml", line, col)


def test_the_shipped_schemas_declare_every_simulated_event_type() -> None:
    assert load_schemas().event_types == {str(event_type) for event_type in EventType}


def test_every_simulated_event_fits_the_shipped_schemas() -> None:
    schemas: EventSchemas = load_schemas()
    simulation = Simulation(seed=7, rate=4, duration_s=1800, start=datetime(2024, 5, 1, tzinfo=UTC))
    seen: set[str] = set()
    for event in simulation.events():
        schema = schemas.events[str(event["type"])]
        seen.add(schema.type)
        entities = event["entities"]
        assert isinstance(entities, dict)
        assert {EntityKind(kind) for kind in entities} <= schema.entities, schema.type
        attributes = event["attributes"]
        assert isinstance(attributes, dict)
        for name, value in attributes.items():
            declared = schema.attributes.get(name)
            assert declared is not None, f"{schema.type}: {name} is not declared"
            assert declared.accepts(value), f"{schema.type}: {name}={value!r} is not {declared}"
    assert len(seen) >= 8


@pytest.mark.parametrize(
    ("declared", "value", "fits"),
    [
        (ValueType.FLOAT, 1, True),
        (ValueType.FLOAT, 1.5, True),
        (ValueType.INT, 1.5, False),
        (ValueType.INT, True, False),
        (ValueType.BOOL, True, True),
        (ValueType.BOOL, 1, False),
        (ValueType.STR, "x", True),
        (ValueType.STR, 1, False),
        (ValueType.NUMBER, 2, True),
        (ValueType.LIST, ["a"], True),
        (ValueType.LIST, "a", False),
        (ValueType.ANY, {"k": 1}, True),
        (ValueType.STR, None, True),
    ],
)
def test_declared_types_accept_values(declared: ValueType, value: object, fits: bool) -> None:
    assert declared.accepts(value) is fits
