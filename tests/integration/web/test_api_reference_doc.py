from pathlib import Path

from garrison.entrypoints.web.reference import current_reference

REFERENCE = Path(__file__).parents[3] / "docs" / "reference" / "api.md"


def test_api_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text() == current_reference(), "run `make docs` to regenerate"


def test_reference_lists_every_v1_route_with_its_permission() -> None:
    text = REFERENCE.read_text()
    assert "| POST | `/v1/events` |" in text
    assert "`ingest_events`" in text and "`review_cases`" in text
