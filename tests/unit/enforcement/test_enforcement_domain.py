"""Pure rules of the ledger: durations, compensations, reversal, approval needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.domain.actions import (
    Action,
    ActionKind,
    ActionStatus,
    needs_second_approver,
)
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput, InvalidTransition
from garrison.domain.ids import ActionId

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def act(kind: ActionKind, subject: EntityKind = EntityKind.ACCOUNT, **params: str) -> Action:
    return Action(ActionId("a1"), kind, EntityRef(subject, "x"), params, ActionStatus.PLANNED, T0)


@pytest.mark.parametrize(
    ("kind", "params", "lasts"),
    [
        (ActionKind.RATE_LIMIT, {}, timedelta(hours=24)),
        (ActionKind.SPEND_CAP, {}, timedelta(days=7)),
        (ActionKind.SUSPEND_ACCOUNT, {}, timedelta(days=7)),
        (ActionKind.SUSPEND_ACCOUNT, {"duration": "permanent"}, None),
        (ActionKind.BAN_ACCOUNT, {}, None),
        (ActionKind.BAN_ACCOUNT, {"duration": "30d"}, timedelta(days=30)),
    ],
)
def test_durations(kind: ActionKind, params: dict[str, str], lasts: timedelta | None) -> None:
    done = act(kind, **params).executed(T0)
    assert done.expires_at == (T0 + lasts if lasts else None)


def test_every_kind_but_reviews_and_notices_has_a_compensation() -> None:
    without = {k for k in ActionKind if k.compensation is None and not k.is_reversal}
    assert without == {ActionKind.ENQUEUE_REVIEW, ActionKind.NOTIFY_ACCOUNT_TEAM}


def test_a_reversal_points_at_its_original_and_only_once() -> None:
    done = act(ActionKind.ADD_LABEL, label="trusted").executed(T0)
    undo = done.reversal(ActionId("a2"), actor="person:bob", at=T0, reason="wrong")
    assert (undo.kind, undo.reverses, undo.params["label"]) == (
        ActionKind.REMOVE_LABEL,
        "a1",
        "trusted",
    )
    with pytest.raises(InvalidTransition):
        done.being_reverted(undo.id).reversal(ActionId("a3"), actor="x", at=T0, reason="again")
    with pytest.raises(InvalidInput):
        act(ActionKind.NOTIFY_ACCOUNT_TEAM).executed(T0).reversal(
            ActionId("a4"), actor="x", at=T0, reason="no"
        )


def test_high_impact_actions_need_a_second_approver() -> None:
    assert needs_second_approver(act(ActionKind.BAN_ACCOUNT))
    assert needs_second_approver(act(ActionKind.REVOKE_API_KEY, EntityKind.ORG))
    assert not needs_second_approver(act(ActionKind.REVOKE_API_KEY, EntityKind.API_KEY))
    assert not needs_second_approver(act(ActionKind.SUSPEND_ACCOUNT))
