"""Bulk actions on cases (resolve, reassign, escalate many): preview first, then execute.

The preview answers which cases would change and which would not (and why), and a token; the
execute call must bring the token back, so it runs exactly what was previewed, and never more
than `max_cases` cases. Bulk work needs the senior permission (`review_escalations`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum

from garrison.domain.access import Permission, Principal
from garrison.domain.cases import Case, CaseStatus, Outcome
from garrison.domain.errors import GarrisonError, InvalidInput
from garrison.domain.ids import CaseId, QueueName
from garrison.services import audit
from garrison.services.claims import get_case, require_queue_role
from garrison.services.ports import Clock
from garrison.services.review import ReviewService
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DEFAULT_MAX_CASES = 100


class BulkKind(StrEnum):
    RESOLVE = "resolve"
    REASSIGN = "reassign"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class BulkRequest:
    kind: BulkKind
    case_ids: tuple[CaseId, ...]
    outcome: Outcome | None = None
    policy: str | None = None
    queue: QueueName | None = None
    reason: str = ""

    @property
    def token(self) -> str:
        """Fingerprint of the request: what the preview showed is what executes."""
        body = {
            "kind": self.kind.value,
            "case_ids": sorted(self.case_ids),
            "outcome": self.outcome.value if self.outcome else None,
            "policy": self.policy,
            "queue": self.queue,
            "reason": self.reason,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class BulkPreview:
    token: str
    eligible: tuple[Case, ...]
    refused: tuple[tuple[CaseId, str], ...]


@dataclass(slots=True)
class BulkResult:
    done: list[CaseId] = field(default_factory=list)
    failed: list[tuple[CaseId, str]] = field(default_factory=list)


class BulkService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        review: ReviewService,
        *,
        max_cases: int = DEFAULT_MAX_CASES,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._review = review
        self.max_cases = max_cases

    def preview(self, principal: Principal, request: BulkRequest) -> BulkPreview:
        """Which cases would change, and which would not and why. Writes nothing."""
        self._check(principal, request)
        eligible: list[Case] = []
        refused: list[tuple[CaseId, str]] = []
        with self._uow() as uow:
            for case_id in dict.fromkeys(request.case_ids):
                why = self._why_not(uow, principal, request, case_id)
                if why is None:
                    eligible.append(get_case(uow, case_id))
                else:
                    refused.append((case_id, why))
        return BulkPreview(request.token, tuple(eligible), tuple(refused))

    def execute(self, principal: Principal, request: BulkRequest, token: str) -> BulkResult:
        """Apply the previewed request to each eligible case, one unit of work per case."""
        if token != request.token:
            raise InvalidInput("the request differs from the preview; preview again", field="token")
        preview = self.preview(principal, request)
        result = BulkResult(failed=list(preview.refused))
        for case in preview.eligible:
            try:
                self._apply(principal, request, case)
            except GarrisonError as error:
                result.failed.append((case.id, error.message))
            else:
                result.done.append(case.id)
        return result

    def _check(self, principal: Principal, request: BulkRequest) -> None:
        principal.require(Permission.REVIEW_ESCALATIONS)
        if not request.case_ids:
            raise InvalidInput("name at least one case", field="case_ids")
        if len(set(request.case_ids)) > self.max_cases:
            raise InvalidInput(f"at most {self.max_cases} cases at once", field="case_ids")
        if request.kind is BulkKind.RESOLVE and request.outcome is None:
            raise InvalidInput("a bulk resolve needs an outcome", field="outcome")
        if request.outcome is Outcome.VIOLATING and not request.policy:
            raise InvalidInput("a violating outcome must name the policy", field="policy")
        if request.kind is BulkKind.RESOLVE and request.outcome is Outcome.ESCALATE:
            raise InvalidInput("use the escalate bulk action", field="outcome")
        if request.kind is BulkKind.REASSIGN and not request.queue:
            raise InvalidInput("a bulk reassign needs a queue", field="queue")
        if request.kind is BulkKind.ESCALATE and not request.reason.strip():
            raise InvalidInput("a bulk escalation needs a reason", field="reason")

    def _why_not(
        self, uow: UnitOfWork, principal: Principal, request: BulkRequest, case_id: CaseId
    ) -> str | None:
        case = uow.cases.get(case_id)
        if case is None:
            return "no such case"
        if case.status is CaseStatus.RESOLVED:
            return "already resolved"
        if not case.claimable(principal.id, self._clock.now()):
            return f"claimed by {case.assignee}"
        queue = uow.queues.get(case.queue)
        if queue is not None and not principal.can(queue.required):
            return f"needs {queue.required} in {case.queue}"
        if request.kind is BulkKind.REASSIGN:
            if request.queue is None or uow.queues.get(request.queue) is None:
                return f"no queue named {request.queue}"
            if request.queue == case.queue:
                return f"already in {case.queue}"
        if request.kind is BulkKind.ESCALATE and case.tier.above is None:
            return "at the top tier already"
        return None

    def _apply(self, principal: Principal, request: BulkRequest, case: Case) -> None:
        if request.kind is BulkKind.REASSIGN:
            self._reassign(principal, case.id, request.queue or case.queue)
            return
        self._review.claim(principal, case.id)
        if request.kind is BulkKind.ESCALATE:
            self._review.escalate(principal, case.id, reason=request.reason)
            return
        self._review.resolve(
            principal,
            case.id,
            outcome=request.outcome or Outcome.NOT_VIOLATING,
            policy=request.policy,
            actions=[],
            note=request.reason,
        )

    def _reassign(self, principal: Principal, case_id: CaseId, queue: QueueName) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            case = get_case(uow, case_id)
            require_queue_role(principal, uow.queues.get(queue))
            moved = case.move(queue, now)
            if not uow.cases.take(moved, principal.id, now):
                raise InvalidInput(f"case {case_id} was claimed meanwhile", field="case_ids")
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="case.reassign",
                target=f"case:{case_id}",
                details={"from": case.queue, "to": queue, "bulk": True},
            )
            uow.commit()
