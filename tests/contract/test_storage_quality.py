"""QA items, calibration sessions and answers, and the label scan, on every backend."""

from __future__ import annotations

import pytest
from contract_samples import ACCOUNT, Factory, at

from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.ids import CaseId, LabelId, QueueName
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.qa import (
    CalibrationAnswer,
    CalibrationSession,
    QaItem,
    QaItemId,
    QaKind,
    SessionId,
)
from garrison.services.unit_of_work import DuplicateKey

OTHER = EntityRef(EntityKind.CONTENT, "cnt_1")


def item(n: int, kind: QaKind = QaKind.SAMPLE, key: str | None = None) -> QaItem:
    return QaItem(
        QaItemId(f"qa_{n}"),
        kind,
        key or f"evt_{n}",
        CaseId(f"case_{n}"),
        QueueName("qa"),
        ACCOUNT,
        at(n),
        LabelValue.VIOLATING if kind is QaKind.GOLDEN else None,
        "spam" if kind is QaKind.GOLDEN else None,
        "content.submitted|free",
        0.25,
        "src",
        0.5,
    )


def test_items_round_trip_and_keys_are_unique_per_kind(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        uow.quality.add_item(item(1))
        uow.quality.add_item(item(2, QaKind.GOLDEN, key="evt_1"))
        uow.quality.add_item(item(3))
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateKey):
        uow.quality.add_item(item(4, key="evt_1"))
    with uow_factory() as uow:
        assert uow.quality.items(kind=None, since=None, limit=10) == [
            item(1),
            item(2, QaKind.GOLDEN, "evt_1"),
            item(3),
        ]
        assert uow.quality.items(kind=QaKind.SAMPLE, since=at(2), limit=10) == [item(3)]
        assert uow.quality.items(kind=QaKind.SAMPLE, since=None, limit=1) == [item(1)]
        assert uow.quality.has_keys(QaKind.SAMPLE, ["evt_1", "evt_2", "evt_3"]) == {
            "evt_1",
            "evt_3",
        }
        assert uow.quality.item_for_case(CaseId("case_2")) == item(2, QaKind.GOLDEN, "evt_1")
        assert uow.quality.item_for_case(CaseId("case_9")) is None


def test_sessions_and_answers(uow_factory: Factory) -> None:
    session = CalibrationSession(
        SessionId("cal_1"), "weekly", (ACCOUNT, OTHER), ("person:a", "person:b"), at(0), "person:l"
    )
    later = CalibrationSession(
        SessionId("cal_2"), "next", (OTHER,), ("person:a", "person:b"), at(5), "x"
    )
    first = CalibrationAnswer(session.id, ACCOUNT, "person:a", LabelValue.VIOLATING, "spam", at(1))
    replaced = CalibrationAnswer(
        session.id, ACCOUNT, "person:a", LabelValue.NOT_VIOLATING, None, at(2)
    )
    other = CalibrationAnswer(session.id, OTHER, "person:b", LabelValue.NOT_VIOLATING, None, at(3))
    with uow_factory() as uow:
        uow.quality.add_session(session)
        uow.quality.add_session(later)
        uow.quality.put_answer(first)
        uow.quality.put_answer(other)
        uow.commit()
    with uow_factory() as uow:
        uow.quality.put_answer(replaced)
        uow.commit()
    with uow_factory() as uow:
        assert uow.quality.session(session.id) == session
        assert uow.quality.session(SessionId("nope")) is None
        assert uow.quality.sessions(10) == [later, session]
        assert uow.quality.answers(session.id) == [replaced, other]


def test_labels_scan_by_time(uow_factory: Factory) -> None:
    labels = [
        Label(
            LabelId(f"lbl_{n}"),
            ACCOUNT if n % 2 else OTHER,
            None,
            LabelValue.NOT_VIOLATING,
            Provenance.IMPORT,
            "vendor",
            at(n),
        )
        for n in range(4)
    ]
    with uow_factory() as uow:
        for label in reversed(labels):
            uow.labels.add(label)
        uow.commit()
    with uow_factory() as uow:
        assert uow.quality.labels(since=None, limit=10) == labels
        assert uow.quality.labels(since=at(2), limit=1) == labels[2:3]
