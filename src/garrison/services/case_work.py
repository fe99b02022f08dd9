"""Working a case beyond claim and resolve: comments, evidence, the timeline, reopen, merge and
split. Every change is audited against the case; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from garrison.domain.access import Permission, Principal
from garrison.domain.case_merge import merge, split
from garrison.domain.case_notes import Comment, Evidence, comment, file_evidence, link_evidence
from garrison.domain.cases import Case, CaseStatus
from garrison.domain.entities import EntityRef
from garrison.domain.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from garrison.domain.events import JsonValue
from garrison.domain.ids import CaseId, DecisionId, NoteId, ReportId
from garrison.services import audit
from garrison.services.case_timeline import TimelineEntry, timeline
from garrison.services.claims import get_case, require_queue_role
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DEFAULT_EVIDENCE_BYTES = 1024 * 1024


class CaseWorkService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        *,
        evidence_max_bytes: int = DEFAULT_EVIDENCE_BYTES,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self.evidence_max_bytes = evidence_max_bytes

    def comment(self, principal: Principal, case_id: CaseId, text: str) -> Comment:
        with self._uow() as uow:
            case = self._writable(uow, principal, case_id)
            note = comment(self._note_id(), case.id, principal.actor, text, self._clock.now())
            uow.case_notes.add_comment(note)
            self._done(uow, principal, case.id, "case.comment", {"comment_id": note.id})
        return note

    def attach_file(
        self, principal: Principal, case_id: CaseId, *, name: str, media_type: str, content: bytes
    ) -> Evidence:
        with self._uow() as uow:
            case = self._writable(uow, principal, case_id)
            found = file_evidence(
                self._note_id(),
                case.id,
                name=name,
                media_type=media_type or "application/octet-stream",
                content=content,
                added_by=principal.actor,
                at=self._clock.now(),
                max_bytes=self.evidence_max_bytes,
            )
            return self._evidence(uow, principal, found)

    def attach_link(
        self, principal: Principal, case_id: CaseId, *, name: str, url: str
    ) -> Evidence:
        with self._uow() as uow:
            case = self._writable(uow, principal, case_id)
            found = link_evidence(
                self._note_id(),
                case.id,
                name=name,
                url=url,
                added_by=principal.actor,
                at=self._clock.now(),
            )
            return self._evidence(uow, principal, found)

    def evidence_file(self, principal: Principal, note_id: NoteId) -> Evidence:
        """One piece of evidence with its contents (an audited read)."""
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            found = uow.case_notes.get_evidence(note_id)
            if found is None:
                raise NotFound(f"no evidence {note_id}", field="evidence_id")
            self._done(uow, principal, found.case_id, "case.read", {"evidence_id": note_id})
        return found

    def timeline(self, principal: Principal, case_id: CaseId) -> list[TimelineEntry]:
        principal.require(Permission.READ_CONTENT)
        with self._uow() as uow:
            found = timeline(uow, get_case(uow, case_id))
            self._done(uow, principal, case_id, "case.read", {"view": "timeline"})
        return found

    def reopen(self, principal: Principal, case_id: CaseId, reason: str) -> Case:
        _reason(reason)
        with self._uow() as uow:
            case = self._writable(uow, principal, case_id)
            other = uow.cases.open_for(case.subject)
            if other is not None:
                raise Conflict(f"{case.subject} has an open case, {other.id}", field="case_id")
            reopened = case.reopen(self._clock.now())
            uow.cases.save(reopened)
            self._done(uow, principal, case.id, "case.reopen", {"reason": reason})
        return reopened

    def merge(self, principal: Principal, case_id: CaseId, into: CaseId, reason: str) -> Case:
        """Close `case_id` into `into`: its decisions and reports move over. Returns the target."""
        _reason(reason)
        now = self._clock.now()
        with self._uow() as uow:
            source = self._free(uow, principal, case_id, "case_id")
            target = self._free(uow, principal, into, "into")
            closed, grown = merge(source, target, now)
            for case in (closed, grown):
                if not uow.cases.take(case, principal.id, now):
                    raise InvalidTransition(f"case {case.id} was taken meanwhile", field="case_id")
            for report in uow.reports.for_case(source.id):
                uow.reports.save(replace(report, case_id=target.id))
            self._audit(
                uow, principal, source.id, "case.merge", {"to": target.id, "reason": reason}
            )
            self._done(
                uow, principal, target.id, "case.absorb", {"from": source.id, "reason": reason}
            )
        return grown

    def split(
        self,
        principal: Principal,
        case_id: CaseId,
        *,
        subject: EntityRef,
        decision_ids: Sequence[DecisionId] = (),
        report_ids: Sequence[ReportId] = (),
        reason: str,
    ) -> Case:
        """Move decisions and reports into a new case about `subject`. Returns the new case."""
        _reason(reason)
        if not decision_ids and not report_ids:
            raise InvalidInput("name the decisions or reports to split off", field="decision_ids")
        now = self._clock.now()
        with self._uow() as uow:
            case = self._free(uow, principal, case_id, "case_id")
            if (other := uow.cases.open_for(subject)) is not None and other.id != case.id:
                raise Conflict(f"{subject} has an open case, {other.id}: merge", field="subject")
            new_id = CaseId(self._ids.new("case"))
            kept, new = split(case, new_id, subject, decision_ids, now)
            moving = {r.id: r for r in uow.reports.for_case(case.id)}
            missing = [r for r in report_ids if r not in moving]
            if missing:
                raise InvalidInput(
                    f"report {missing[0]} is not on case {case.id}", field="report_ids"
                )
            if not uow.cases.take(kept, principal.id, now):
                raise InvalidTransition(f"case {case.id} was taken meanwhile", field="case_id")
            uow.cases.add(new)
            for report_id in report_ids:
                uow.reports.save(replace(moving[report_id], case_id=new.id))
            details: dict[str, JsonValue] = {"to": new.id, "reason": reason}
            self._audit(uow, principal, case.id, "case.split", details)
            self._done(
                uow, principal, new.id, "case.split_from", {"from": case.id, "reason": reason}
            )
        return new

    def _writable(self, uow: UnitOfWork, principal: Principal, case_id: CaseId) -> Case:
        principal.require(Permission.REVIEW_CASES)
        case = get_case(uow, case_id)
        require_queue_role(principal, uow.queues.get(case.queue))
        return case

    def _free(self, uow: UnitOfWork, principal: Principal, case_id: CaseId, field: str) -> Case:
        """The case, if nobody but the principal holds it."""
        case = self._writable(uow, principal, case_id)
        if case.status is CaseStatus.CLAIMED and not case.claimable(
            principal.id, self._clock.now()
        ):
            raise InvalidTransition(f"case {case_id} is claimed by someone else", field=field)
        return case

    def _evidence(self, uow: UnitOfWork, principal: Principal, found: Evidence) -> Evidence:
        uow.case_notes.add_evidence(found)
        details: dict[str, JsonValue] = {
            "evidence_id": found.id,
            "name": found.name,
            "sha256": found.sha256,
            "size": found.size,
        }
        self._done(uow, principal, found.case_id, "case.evidence", details)
        return replace(found, content=None)

    def _note_id(self) -> NoteId:
        return NoteId(self._ids.new("note"))

    def _audit(
        self,
        uow: UnitOfWork,
        principal: Principal,
        case_id: CaseId,
        action: str,
        details: dict[str, JsonValue],
    ) -> None:
        audit.record(
            uow,
            self._clock,
            actor=principal.actor,
            action=action,
            target=f"case:{case_id}",
            details=details,
        )

    def _done(
        self,
        uow: UnitOfWork,
        principal: Principal,
        case_id: CaseId,
        action: str,
        details: dict[str, JsonValue],
    ) -> None:
        self._audit(uow, principal, case_id, action, details)
        uow.commit()


def _reason(reason: str) -> None:
    if not reason.strip() or len(reason) > 2000:
        raise InvalidInput("say why, in at most 2000 characters", field="reason")
