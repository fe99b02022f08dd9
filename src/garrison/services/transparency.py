"""Notices and transparency: a notice with a statement of reasons per action, and the export of
those statements in the EU DSA Transparency Database's submission format.

A notice is issued once per action (issuing again returns the stored one); it names the policy
version in force when it was issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from garrison.domain.access import Permission, Principal
from garrison.domain.actions import Action, ActionKind
from garrison.domain.dsa import JsonObject, restricts, safe_puid, statement
from garrison.domain.errors import InvalidInput, NotFound
from garrison.domain.ids import ActionId
from garrison.domain.notices import Automation, Notice, NoticeDraft, render_notice
from garrison.services import audit
from garrison.services.ports import Clock
from garrison.services.unit_of_work import DuplicateKey, UnitOfWork, UnitOfWorkFactory

EXPORT_PAGE = 500
MAX_EXPORT = 100_000
MAX_FACTS = 2000
REPORT_POLICIES = ("content.user_report",)
"""Policies that mean a user report started the case (a DSA Article 16 notice)."""


@dataclass(frozen=True, slots=True)
class DsaExport:
    statements: tuple[JsonObject, ...]
    skipped: int
    """Notices of actions that restrict nothing (warnings, challenges) and need no statement."""


class TransparencyService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def issue(
        self,
        principal: Principal,
        action_id: ActionId,
        *,
        facts: str = "",
        policy: str | None = None,
        reported: bool = False,
    ) -> Notice:
        """Render and store the notice of an action (or return the one already issued)."""
        principal.require(Permission.REVIEW_CASES)
        if len(facts) > MAX_FACTS:
            raise InvalidInput(f"facts are at most {MAX_FACTS} characters", field="facts")
        with self._uow() as uow:
            action = uow.actions.get(action_id)
            if action is None:
                raise NotFound(f"no action {action_id}", field="action_id")
            issued = uow.notices.for_action(action_id)
            if issued is not None:
                return issued
            notice = self._render(uow, action, facts, policy, reported)
            try:
                uow.notices.add(notice)
            except DuplicateKey:
                pass  # issued concurrently: the stored one wins
            else:
                audit.record(
                    uow,
                    self._clock,
                    actor=principal.actor,
                    action="notice.issue",
                    target=f"action:{action_id}",
                    details={"notice": notice.id, "policy": notice.policy_id},
                )
                uow.commit()
                return notice
        return self.notice_for(principal, action_id)

    def _render(
        self, uow: UnitOfWork, action: Action, facts: str, policy: str | None, reported: bool
    ) -> Notice:
        if action.kind is ActionKind.ENQUEUE_REVIEW:
            raise InvalidInput("sending to review needs no notice", field="action_id")
        policy_id = policy or action.policy
        if not policy_id:
            raise InvalidInput("the action names no policy; give one", field="policy")
        taxonomy = uow.taxonomies.latest()
        if taxonomy is None:
            raise NotFound("no policy taxonomy yet", field="policy")
        found = taxonomy.require(policy_id)
        draft = NoticeDraft(
            notice_id=safe_puid(f"sor-{action.id}"),
            action_id=action.id,
            action_kind=action.kind.value,
            subject=action.subject,
            facts=facts.strip() or _facts(uow, action),
            automation=_automation(uow, action),
            reported=reported or policy_id in REPORT_POLICIES,
            issued_at=self._clock.now(),
            content_at=action.created_at,
            ends_at=action.expires_at,
        )
        return render_notice(draft, found, taxonomy.version)

    def notice(self, principal: Principal, notice_id: str) -> Notice:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            found = uow.notices.get(notice_id)
        if found is None:
            raise NotFound(f"no notice {notice_id}", field="notice_id")
        return found

    def notice_for(self, principal: Principal, action_id: ActionId) -> Notice:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            found = uow.notices.for_action(action_id)
        if found is None:
            raise NotFound(f"no notice for action {action_id}", field="action_id")
        return found

    def dsa_export(
        self, principal: Principal, since: datetime, until: datetime | None = None
    ) -> DsaExport:
        """Statements of reasons for the notices issued in [since, until), oldest first."""
        principal.require(Permission.EXPORT_TRANSPARENCY)
        if until is not None and until <= since:
            raise InvalidInput("until must be after since", field="until")
        found: list[JsonObject] = []
        skipped = 0
        with self._uow() as uow:
            last: Notice | None = None
            while len(found) + skipped < MAX_EXPORT:
                page = uow.notices.issued(since, until, last, EXPORT_PAGE)
                for notice in page:
                    if restricts(notice.action_kind):
                        found.append(statement(notice.statement_input()))
                    else:
                        skipped += 1
                if len(page) < EXPORT_PAGE:
                    break
                last = page[-1]
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="transparency.export",
                target="dsa",
                details={"since": since.isoformat(), "statements": len(found)},
            )
            uow.commit()
        return DsaExport(tuple(found), skipped)


def _automation(uow: UnitOfWork, action: Action) -> Automation:
    """A case's resolution was decided by a reviewer: partly automated when rules opened the
    case, not at all when a report did. Outside a case, a rule's action is fully automated and a
    person's is not."""
    if action.case_id:
        case = uow.cases.get(action.case_id)
        automated = case is not None and bool(case.decision_ids)
        return Automation.PARTIALLY if automated else Automation.NOT_AUTOMATED
    if action.decision_id or not action.actor.startswith("person:"):
        return Automation.FULLY
    return Automation.NOT_AUTOMATED


def _facts(uow: UnitOfWork, action: Action) -> str:
    """The facts a notice relies on: what the rules that led to the action saw."""
    decision_ids = [action.decision_id] if action.decision_id else []
    if action.case_id:
        case = uow.cases.get(action.case_id)
        decision_ids.extend(case.decision_ids if case else ())
    lines = []
    for decision in uow.decisions.many(list(dict.fromkeys(decision_ids))):
        for hit in decision.hits:
            lines.append(f"{hit.explanation or hit.rule} ({decision.decided_at:%Y-%m-%d})")
    if not lines:
        return f"A reviewer found that {action.subject} breaks the policy named below."
    return "; ".join(dict.fromkeys(lines))[:MAX_FACTS]
