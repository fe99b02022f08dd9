"""Statements of reasons in the EU DSA Transparency Database's submission format.

Field names and allowed values follow the Transparency Database API documentation
(https://transparency.dsa.ec.europa.eu/page/api-documentation, "Creating a Statement") and the
statement attributes page it links to. The JSON Schema shipped beside this package
(`garrison/rulepacks/dsa_statement.schema.json`) is written from the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

JsonObject = dict[str, object]

CATEGORIES: tuple[str, ...] = (
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
    "STATEMENT_CATEGORY_VIOLENCE",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
)
DEFAULT_CATEGORY = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"

GROUND_ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
GROUND_INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"

SOURCE_ARTICLE_16 = "SOURCE_ARTICLE_16"
"""A notice under Article 16 DSA: a user report."""
SOURCE_TRUSTED_FLAGGER = "SOURCE_TRUSTED_FLAGGER"
SOURCE_OTHER_NOTIFICATION = "SOURCE_TYPE_OTHER_NOTIFICATION"
SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY"
"""Own initiative: rules, models and reviewers of the platform itself."""

AUTOMATED_FULLY = "AUTOMATED_DECISION_FULLY"
AUTOMATED_PARTIALLY = "AUTOMATED_DECISION_PARTIALLY"
AUTOMATED_NOT = "AUTOMATED_DECISION_NOT_AUTOMATED"

_RESTRICTIONS: Mapping[str, Mapping[str, object]] = {
    "remove_content": {"decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"]},
    "add_label": {"decision_visibility": ["DECISION_VISIBILITY_CONTENT_LABELLED"]},
    "rate_limit": {"decision_provision": "DECISION_PROVISION_PARTIAL_SUSPENSION"},
    "spend_cap": {"decision_provision": "DECISION_PROVISION_PARTIAL_SUSPENSION"},
    "revoke_api_key": {"decision_provision": "DECISION_PROVISION_PARTIAL_TERMINATION"},
    "suspend_account": {"decision_account": "DECISION_ACCOUNT_SUSPENDED"},
    "ban_account": {"decision_account": "DECISION_ACCOUNT_TERMINATED"},
}
"""Which restriction each action kind is, in the database's terms. Kinds not listed here (warn,
challenge, notify the account team) restrict nothing and need no statement."""

MAX_FACTS = 5000
MAX_TEXT = 2000


def restricts(action_kind: str) -> bool:
    """Whether an action of this kind is a restriction that needs a statement of reasons."""
    return action_kind in _RESTRICTIONS


@dataclass(frozen=True, slots=True)
class StatementInput:
    """What a statement says, in Garrison's words; `statement()` writes it in the database's."""

    puid: str
    action_kind: str
    category: str
    illegal: bool
    ground: str
    explanation: str
    facts: str
    source: str
    automated_detection: bool
    automated_decision: str
    content_kind: str
    content_at: datetime
    applied_at: datetime
    ends_at: datetime | None = None
    business_account: bool = False


def statement(s: StatementInput) -> JsonObject:
    """One statement of reasons as the Transparency Database API expects it (a JSON object)."""
    body: JsonObject = dict(_RESTRICTIONS.get(s.action_kind, {}))
    if not body:
        body["decision_visibility"] = ["DECISION_VISIBILITY_OTHER"]
        body["decision_visibility_other"] = s.action_kind.replace("_", " ")[:500]
    if "decision_account" in body:
        body["account_type"] = (
            "ACCOUNT_TYPE_BUSINESS" if s.business_account else "ACCOUNT_TYPE_PRIVATE"
        )
    ground = s.ground or "Terms of service"
    if s.illegal:
        body.update(
            decision_ground=GROUND_ILLEGAL,
            illegal_content_legal_ground=ground[:MAX_TEXT],
            illegal_content_explanation=s.explanation[:MAX_TEXT],
        )
    else:
        body.update(
            decision_ground=GROUND_INCOMPATIBLE,
            incompatible_content_ground=ground[:MAX_TEXT],
            incompatible_content_explanation=s.explanation[:MAX_TEXT],
        )
    body.update(
        category=s.category if s.category in CATEGORIES else DEFAULT_CATEGORY,
        content_type=_content_type(s.content_kind),
        content_date=_day(s.content_at),
        application_date=_day(s.applied_at),
        decision_facts=s.facts[:MAX_FACTS] or "See the decision's rule hits.",
        source_type=s.source,
        automated_detection="Yes" if s.automated_detection else "No",
        automated_decision=s.automated_decision,
        puid=s.puid,
    )
    if body["content_type"] == ["CONTENT_TYPE_OTHER"]:
        body["content_type_other"] = f"{s.content_kind} activity on an AI platform"
    if s.ends_at is not None:
        body[_end_field(body)] = _day(s.ends_at)
    return body


def _content_type(kind: str) -> list[str]:
    return ["CONTENT_TYPE_TEXT"] if kind == "content" else ["CONTENT_TYPE_OTHER"]


def _end_field(body: Mapping[str, object]) -> str:
    if "decision_account" in body:
        return "end_date_account_restriction"
    if "decision_provision" in body:
        return "end_date_service_restriction"
    return "end_date_visibility_restriction"


def _day(at: datetime) -> str:
    return at.strftime("%Y-%m-%d")


def safe_puid(text: str) -> str:
    """A platform unique id the database accepts: a-z, A-Z, 0-9, '-' and '_', at most 500."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)
    return cleaned[:500]
