"""Notices: what the platform tells an account about an action, with a statement of reasons.

A statement of reasons (DSA Article 17) names the facts relied on, the policy or legal ground,
whether automated means detected or decided it, and the redress open to the account. Each
policy may carry its own template; `DEFAULT_TEMPLATE` serves the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from string import Template

from garrison.domain.dsa import (
    AUTOMATED_FULLY,
    AUTOMATED_NOT,
    AUTOMATED_PARTIALLY,
    SOURCE_ARTICLE_16,
    SOURCE_VOLUNTARY,
    StatementInput,
)
from garrison.domain.entities import EntityRef
from garrison.domain.ids import ActionId
from garrison.domain.policies import Policy, PolicyId


class Automation(StrEnum):
    """How far automated means took the decision."""

    FULLY = "fully"
    """A rule or model decided; nobody reviewed it."""
    PARTIALLY = "partially"
    """Automated means flagged it and a person decided."""
    NOT_AUTOMATED = "not_automated"

    @property
    def dsa_value(self) -> str:
        return {
            Automation.FULLY: AUTOMATED_FULLY,
            Automation.PARTIALLY: AUTOMATED_PARTIALLY,
            Automation.NOT_AUTOMATED: AUTOMATED_NOT,
        }[self]

    @property
    def sentence(self) -> str:
        return {
            Automation.FULLY: "This decision was taken by automated means, without human review.",
            Automation.PARTIALLY: (
                "Automated systems flagged this activity; a person reviewed it and decided."
            ),
            Automation.NOT_AUTOMATED: "A person found and decided on this activity.",
        }[self]


REDRESS_OPTIONS: tuple[str, ...] = (
    "Appeal this decision through the platform within six months; a different reviewer decides.",
    "Refer the dispute to a certified out-of-court dispute settlement body (DSA Article 21).",
    "Seek redress before the competent courts.",
)

DEFAULT_TEMPLATE = """\
We applied this measure: $action, to $subject, on $date.

Why: your activity breaks our policy "$policy_title" ($policy_id, policy version $version).
Ground: $ground

Facts we relied on: $facts

$automation

What you can do:
$redress"""


@dataclass(frozen=True, slots=True)
class Notice:
    """A rendered notice for one action; `id` is the statement's platform unique id (PUID)."""

    id: str
    action_id: ActionId
    action_kind: str
    subject: EntityRef
    policy_id: PolicyId
    policy_version: int
    facts: str
    ground: str
    illegal: bool
    category: str
    automation: Automation
    reported: bool
    """Whether a user report (a DSA Article 16 notice) started it."""
    text: str
    issued_at: datetime
    content_at: datetime
    ends_at: datetime | None = None

    @property
    def automated_detection(self) -> bool:
        return self.automation is not Automation.NOT_AUTOMATED

    def statement_input(self) -> StatementInput:
        return StatementInput(
            puid=self.id,
            action_kind=self.action_kind,
            category=self.category,
            illegal=self.illegal,
            ground=self.ground,
            explanation=_explanation(self),
            facts=self.facts,
            source=SOURCE_ARTICLE_16 if self.reported else SOURCE_VOLUNTARY,
            automated_detection=self.automated_detection,
            automated_decision=self.automation.dsa_value,
            content_kind=self.subject.kind.value,
            content_at=self.content_at,
            applied_at=self.issued_at,
            ends_at=self.ends_at,
        )


def _explanation(notice: Notice) -> str:
    return f"Breaks policy {notice.policy_id} (version {notice.policy_version})."


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """The facts of one action that a notice is written from."""

    notice_id: str
    action_id: ActionId
    action_kind: str
    subject: EntityRef
    facts: str
    automation: Automation
    reported: bool
    issued_at: datetime
    content_at: datetime
    ends_at: datetime | None = None


def render_notice(draft: NoticeDraft, policy: Policy, version: int) -> Notice:
    """Fill the policy's template (or the default one) for this action."""
    ground = policy.ground or f"Usage policies: {policy.title}"
    template = Template(policy.notice or DEFAULT_TEMPLATE)
    text = template.safe_substitute(
        action=draft.action_kind.replace("_", " "),
        subject=str(draft.subject),
        date=draft.issued_at.strftime("%Y-%m-%d"),
        policy_title=policy.title,
        policy_id=policy.id,
        version=str(version),
        ground=ground,
        facts=draft.facts,
        automation=draft.automation.sentence,
        redress="\n".join(f"- {option}" for option in REDRESS_OPTIONS),
    )
    return Notice(
        id=draft.notice_id,
        action_id=draft.action_id,
        action_kind=draft.action_kind,
        subject=draft.subject,
        policy_id=policy.id,
        policy_version=version,
        facts=draft.facts,
        ground=ground,
        illegal=policy.illegal,
        category=policy.dsa_category,
        automation=draft.automation,
        reported=draft.reported,
        text=text,
        issued_at=draft.issued_at,
        content_at=draft.content_at,
        ends_at=draft.ends_at,
    )
