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
    strike_ladder: str = Field(
        "warn, rate_limit:24h, suspend_account:7d, ban_account",
        description="What each strike under a policy costs, when a reviewer finds a violation "
        "and names no action: comma-separated `kind` or `kind:duration` rungs, the last one "
        "repeating.",
    )
    strike_ladders: dict[str, str] = Field(
        {},
        description='Ladders for single policies, as JSON: `{"fraud": "suspend_account:30d, '
        'ban_account"}`; other policies use `strike_ladder`.',
    )
    actions_second_approver: bool = Field(
        True,
        description="Bans and revocations of every key of an org or account wait until a "
        "second person (not whoever asked) approves them.",
    )
    bulk_approval_threshold: int = Field(
        10,
        description="A bulk of more actions than this waits for a second person's approval.",
        ge=1,
    )
    qa_sample_rate: float = Field(
        0.01,
        description="Share of allowed events `garrison quality sample` sends to the `qa` queue "
        "(per segment of event type x tier), to estimate what the rules miss.",
        gt=0.0,
        le=1.0,
    )
    qa_sample_seed: str = Field(
        "qa",
        description="Seed of the QA sample: an event is in or out of the sample by a hash of "
        "the seed and its id, so reruns pick the same events.",
    )
    qa_double_review_rate: float = Field(
        0.05,
        description="Share of resolved cases `garrison quality double` sends to a second, "
        "blind review.",
        gt=0.0,
        le=1.0,
    )
    appeal_sla_hours: float = Field(
        72.0,
        description="How long an appeal may wait for a decision before it is overdue.",
        gt=0,
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
    review_lease_seconds: int = Field(
        1800,
        description="How long a claim on a case lasts; when it runs out, the case goes back to "
        "the queue for any reviewer to claim (0: claims never run out).",
        ge=0,
    )
    evidence_max_bytes: int = Field(
        1024 * 1024,
        description="Largest evidence file a reviewer may attach to a case (kept in the "
        "database with its sha256); links have no size.",
        ge=1,
        le=16 * 1024 * 1024,
    )
    bulk_max_cases: int = Field(
        100,
        description="Most cases one bulk action (resolve, reassign, escalate) may change.",
        ge=1,
        le=10_000,
    )
    sla_warn_at: float = Field(
        0.8,
        description="Share of a queue's SLA after which an unresolved case is reported as about "
        "to breach (`garrison queues sla`, `GET /v1/queues/sla`).",
        gt=0.0,
        le=1.0,
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
    wellness_daily_budget: int = Field(
        25,
        description="Items of one severe category (a policy of severity `severe`) one reviewer "
        "may reveal per day; past it, `next case` routes that category to someone else.",
        ge=1,
    )
    wellness_break_after_minutes: int = Field(
        50, description="Suggest a break after this many minutes of reviewing without one.", ge=1
    )
    wellness_break_after_items: int = Field(
        40, description="Suggest a break after this many finished items without one.", ge=1
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
    retroactive_cap: int = Field(
        1000,
        description="A retroactive action (on a ring or a search's results) reaching more "
        "subjects than this is refused.",
        ge=1,
    )
    retroactive_approval_over: int = Field(
        25,
        description="A retroactive action reaching more subjects than this waits for a second "
        "person's approval.",
        ge=0,
    )
    search_max_scan: int = Field(
        1_000_000,
        description="Most events one search reads; past it the results say they are truncated.",
        ge=1,
    )
    trends_bucket: str = Field(
        "1h",
        description="Width of a trend bucket (`15m`, `1h`, `1d`): volumes are counted per "
        "bucket and a spike is judged one complete bucket at a time.",
    )
    trends_lookback_days: float = Field(
        7.0, description="History read for trend baselines, in days.", gt=0, le=60
    )
    trends_sensitivity: float = Field(
        1.0,
        description="Multiplies every trend threshold: below 1 alerts earlier and more often, "
        "above 1 later and less often.",
        gt=0,
    )
    trends_dedupe_hours: float = Field(
        6.0,
        description="A new spike in a segment whose alert was last seen within this many hours "
        "extends that alert instead of raising another.",
        ge=0,
    )
    trends_interval_seconds: float = Field(
        900.0,
        description="How often the worker runs trend detection (0 turns it off).",
        ge=0,
    )
    report_weekly_day: int = Field(
        0,
        description="Day of the week (0 Monday .. 6 Sunday, UTC) the worker writes the weekly "
        "operations report.",
        ge=0,
        le=6,
    )
    report_weekly_hour: int = Field(
        6, description="UTC hour the worker writes the weekly report.", ge=0, le=23
    )
    report_dir: Path | None = Field(
        None,
        description="Folder the worker writes weekly reports into; empty turns scheduled "
        "reports off.",
    )
    text_model_dir: Path | None = Field(
        None,
        description="Directory of the text model (`garrison model train text`) behind "
        "POST /v1/moderations; empty: that endpoint answers 503.",
    )
    moderation_record_events: bool = Field(
        False,
        description="Also ingest each text moderated by POST /v1/moderations as a "
        "`content.submitted` event (scores as attributes), so rules can act on it.",
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
