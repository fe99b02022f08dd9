from pathlib import Path

from garrison.domain.language import FUNCTIONS, rule_functions_reference

REFERENCE = Path(__file__).parents[2] / "docs" / "reference" / "rule-functions.md"


def test_rule_functions_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text() == rule_functions_reference(), "run `make docs` to regenerate"


def test_every_function_is_in_the_reference() -> None:
    text = REFERENCE.read_text()
    missing = [name for name in FUNCTIONS if f"`{name}(" not in text]
    assert missing == []
