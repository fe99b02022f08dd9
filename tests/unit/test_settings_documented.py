from pathlib import Path

import pytest

from garrison.config import Settings, settings_reference

REFERENCE = Path(__file__).parents[2] / "docs" / "reference" / "settings.md"


def test_every_setting_has_a_description() -> None:
    undocumented = [
        n for n, f in Settings.model_fields.items() if not (f.description or "").strip()
    ]
    assert undocumented == []


def test_settings_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text() == settings_reference(), "run `make docs` to regenerate"


def test_settings_read_the_garrison_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GARRISON_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("GARRISON_WEBHOOK_MAX_ATTEMPTS", "3")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.webhook_max_attempts == 3
