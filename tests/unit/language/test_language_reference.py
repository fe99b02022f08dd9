"""The generated language reference covers every function, field and rule-file key."""

from __future__ import annotations

from garrison.domain.language import (
    ENRICHMENT,
    FUNCTIONS,
    SIGNAL_FUNCTIONS,
    ValueType,
    rule_functions_reference,
)
from garrison.domain.language.rulefields import KEYS
from garrison.domain.rules import Stage


def test_reference_names_every_function_with_its_signature() -> None:
    text = rule_functions_reference()

    for function in SIGNAL_FUNCTIONS.values():
        assert f"| `{function.signature}` |" in text
        assert function.example in text
    for pure in FUNCTIONS.values():
        assert f"| `{pure.signature}` |" in text
    assert "`count(key, window, event_type=None)`" in text
    assert "`distinct(of, key, window, event_type=None)`" in text


def test_reference_lists_fields_types_keys_and_stages() -> None:
    text = rule_functions_reference()

    for field in ENRICHMENT:
        assert f"`{field}`" in text
    for value_type in ValueType:
        assert f"`{value_type}`" in text
    for key in KEYS:
        assert f"`{key}`" in text
    for stage in Stage:
        assert f"`{stage}`" in text
    assert text.startswith("# Rule language reference\n")
    assert text.endswith("\n") and not text.endswith("\n\n\n")


def test_every_signature_is_written() -> None:
    assert all(function.signature for function in FUNCTIONS.values())
