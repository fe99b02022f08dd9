"""Calibration sessions: every participating reviewer labels the same items, then the agreement
report shows where they differ. Answers are blind: a participant sees the report only once they
have answered every item (people who manage quality see it at any time)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from garrison.domain.access import Permission, Principal
from garrison.domain.adjudication import category_of
from garrison.domain.agreement import Agreement, fleiss_kappa, krippendorff_alpha
from garrison.domain.entities import EntityRef
from garrison.domain.errors import InvalidInput, NotFound, PermissionDenied
from garrison.domain.labels import LabelValue
from garrison.domain.metrics import Proportion
from garrison.domain.qa import CalibrationAnswer, CalibrationSession, SessionId
from garrison.services import audit
from garrison.services.ports import Clock, IdGenerator
from garrison.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_ITEMS = 500


@dataclass(frozen=True, slots=True)
class CalibrationItem:
    subject: EntityRef
    answers: dict[str, str]
    """Reviewer -> category."""
    majority: str | None


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    session: CalibrationSession
    answered: int
    expected: int
    fleiss: Agreement
    """Over the items every participant answered."""
    alpha: Agreement
    """Over every item, missing answers allowed."""
    with_majority: dict[str, Proportion]
    """Each reviewer's agreement with the others' majority on the items they answered."""
    items: tuple[CalibrationItem, ...]


class CalibrationService:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids

    def create(
        self,
        principal: Principal,
        name: str,
        subjects: Sequence[EntityRef],
        participants: Sequence[str],
    ) -> CalibrationSession:
        principal.require(Permission.MANAGE_QUALITY)
        if not name.strip():
            raise InvalidInput("a session needs a name", field="name")
        unique = tuple(dict.fromkeys(subjects))
        if not 1 <= len(unique) <= MAX_ITEMS:
            raise InvalidInput(f"a session has 1 to {MAX_ITEMS} items", field="subjects")
        people = tuple(dict.fromkeys(p.strip() for p in participants if p.strip()))
        if len(people) < 2:
            raise InvalidInput("a session needs at least two participants", field="participants")
        session = CalibrationSession(
            SessionId(self._ids.new("cal")),
            name.strip(),
            unique,
            people,
            self._clock.now(),
            principal.actor,
        )
        with self._uow() as uow:
            uow.quality.add_session(session)
            audit.record(
                uow,
                self._clock,
                actor=principal.actor,
                action="calibration.create",
                target=f"calibration:{session.id}",
                details={"items": len(unique), "participants": list(people)},
            )
            uow.commit()
        return session

    def sessions(self, principal: Principal, limit: int = 50) -> list[CalibrationSession]:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            return uow.quality.sessions(limit)

    def answer(
        self,
        principal: Principal,
        session_id: SessionId,
        subject: EntityRef,
        value: LabelValue,
        policy: str | None,
    ) -> CalibrationAnswer:
        principal.require(Permission.REVIEW_CASES)
        if value is LabelValue.VIOLATING and not policy:
            raise InvalidInput("a violating answer must name its policy", field="policy")
        with self._uow() as uow:
            session = _session(uow, session_id)
            if principal.actor not in session.participants:
                raise PermissionDenied(f"{principal.actor} is not a participant of {session.id}")
            if subject not in session.subjects:
                raise InvalidInput(f"{subject} is not an item of {session.id}", field="subject")
            answer = CalibrationAnswer(
                session.id, subject, principal.actor, value, policy, self._clock.now()
            )
            uow.quality.put_answer(answer)
            uow.commit()
        return answer

    def report(self, principal: Principal, session_id: SessionId) -> CalibrationReport:
        principal.require(Permission.READ_CASES)
        with self._uow() as uow:
            session = _session(uow, session_id)
            answers = uow.quality.answers(session.id)
        if not principal.can(Permission.MANAGE_QUALITY):
            mine = sum(1 for a in answers if a.reviewer == principal.actor)
            if mine < len(session.subjects):
                raise PermissionDenied("answer every item of the session before seeing the report")
        return _report(session, answers)


def _session(uow: UnitOfWork, session_id: SessionId) -> CalibrationSession:
    session = uow.quality.session(session_id)
    if session is None:
        raise NotFound(f"no calibration session {session_id}", field="session_id")
    return session


def _report(session: CalibrationSession, answers: list[CalibrationAnswer]) -> CalibrationReport:
    by_subject: dict[EntityRef, dict[str, str]] = defaultdict(dict)
    for a in answers:
        if a.reviewer in session.participants:
            by_subject[a.subject][a.reviewer] = category_of(a.value, a.policy)
    items = tuple(
        CalibrationItem(s, by_subject[s], _majority(list(by_subject[s].values())))
        for s in session.subjects
    )
    everyone = len(session.participants)
    complete = [Counter(i.answers.values()) for i in items if len(i.answers) == everyone]
    return CalibrationReport(
        session,
        sum(len(i.answers) for i in items),
        everyone * len(session.subjects),
        fleiss_kappa(complete),
        krippendorff_alpha(Counter(i.answers.values()) for i in items),
        _with_majority(session.participants, items),
        items,
    )


def _majority(categories: list[str]) -> str | None:
    ranked = Counter(categories).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _with_majority(
    people: Sequence[str], items: Sequence[CalibrationItem]
) -> dict[str, Proportion]:
    out: dict[str, Proportion] = {}
    for person in people:
        agree = n = 0
        for item in items:
            if person not in item.answers:
                continue
            others = _majority([c for who, c in item.answers.items() if who != person])
            if others is None:
                continue
            n += 1
            agree += item.answers[person] == others
        out[person] = Proportion.of(agree, n)
    return out
