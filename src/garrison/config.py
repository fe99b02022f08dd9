"""Settings: one typed, frozen object read from `GARRISON_` environment variables.

Every field has a default and a description; `docs/reference/settings.md` is generated from them
and a test fails when the two disagree.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GARRISON_", frozen=True, extra="ignore")

    database_url: str = Field(
        "sqlite:///./var/garrison.db",
        description="Where Garrison stores everything: `sqlite:///PATH` (the embedded default) "
        "or `postgresql+psycopg://USER@HOST:PORT/DB`.",
    )
    rules_path: Path | None = Field(
        None,
        description="Rule file (TOML) published as release 1 on the first start, when no release "
        "is published yet; empty means the shipped starter pack. Later releases come from "
        "`garrison rules publish` or `POST /v1/releases`.",
    )
    schemas_path: Path | None = Field(
        None,
        description="Event schema file (TOML) that rules are checked against: each event "
        "type's entities and typed attributes; empty means the shipped schemas.",
    )
    rules_require_approval: bool = Field(
        False,
        description="A proposed release waits for a second rules editor's approval before it "
        "goes live (the author cannot approve their own release).",
    )
    canary_holdout_percent: int = Field(
        5,
        description="Share of subjects (per rule, by hash) that canary rules never act on, even "
        "at 100%, kept to compare against.",
        ge=0,
        le=50,
    )
    policy_version: str = Field(
        "default-1",
        description="Version name recorded on every decision for the thresholds below.",
    )
    score_review_at: float = Field(
        0.5, description="Combined score from which a decision is `review`."
    )
    score_challenge_at: float = Field(
        0.75, description="Combined score from which a decision is `challenge`."
    )
    score_block_at: float = Field(
        0.9, description="Combined score from which a decision is `block`."
    )
    default_queue: str = Field(
        "default",
        description="Queue for reviews that no rule sent to a queue of its own.",
    )
    webhook_url: str | None = Field(
        None,
        description="Host-platform endpoint that receives signed `action.executed` webhooks. "
        "Empty means actions are recorded but not sent.",
    )
    webhook_secret: str = Field(
        "",
        description="Shared secret for the HMAC-SHA256 webhook signature (required with a URL).",
    )
    webhook_timeout_seconds: float = Field(5.0, description="Timeout of one webhook request.")
    webhook_max_attempts: int = Field(
        8, description="Attempts before a webhook is dead-lettered.", ge=1
    )
    webhook_backoff_seconds: float = Field(
        2.0,
        description="First retry delay; each later retry doubles it (capped at one hour).",
    )
    dispatch_interval_seconds: float = Field(
        0.5,
        description="How often the dispatcher looks for planned actions and due webhooks.",
    )
    dispatch_in_server: bool = Field(
        True,
        description="Run the dispatcher inside the web server. Turn off when `garrison worker` "
        "runs it as a separate process.",
    )
    secret_key: str | None = Field(
        None,
        description="Signs session cookies and CSRF tokens. Empty means one is generated once and "
        "kept in `secret_key_file`.",
    )
    secret_key_file: Path = Field(
        Path("./var/secret.key"), description="Where the generated secret key is kept."
    )
    session_max_age_seconds: int = Field(
        8 * 3600, description="How long a console login lasts.", ge=60
    )
    cookie_secure: bool = Field(
        False, description="Send session cookies over HTTPS only (turn on behind TLS)."
    )
    host: str = Field("127.0.0.1", description="Address `garrison serve` listens on.")
    port: int = Field(8000, description="Port `garrison serve` listens on.")
    workers: int = Field(1, description="Web server processes started by `garrison serve`.", ge=1)
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING or ERROR.")
    log_json: bool = Field(True, description="Write logs as one JSON object per line.")
    link_hub_size: int = Field(
        50,
        description="An identifier (IP, device, card, key, email) shared by more owners than "
        "this links nothing: carrier NATs, datacentres and shared kiosks would glue the world "
        "together.",
        ge=2,
    )
    ring_case_risk: float = Field(
        0.5,
        description="Rings whose risk score (0 to 1) reaches this open a review case in the "
        "fraud queue on their riskiest member, once per ring.",
        ge=0.0,
        le=1.0,
    )


def settings_reference() -> str:
    """The Markdown reference of every setting (docs/reference/settings.md is this, verbatim)."""
    lines = [
        "# Settings reference",
        "",
        "<!-- Generated from garrison/config.py by `make docs`; do not edit by hand. -->",
        "",
        "Every setting is read from an environment variable with the `GARRISON_` prefix.",
        "",
        "| variable | default | description |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else str(field.default)
        lines.append(f"| `GARRISON_{name.upper()}` | `{default}` | {field.description or ''} |")
    return "\n".join(lines) + "\n"
