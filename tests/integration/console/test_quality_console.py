"""The quality page: precision bars per rule, model and policy, recall, overturns, agreement."""

from __future__ import annotations

from datetime import timedelta

from console_world import TestClient, make_user, sign_in

from garrison.bootstrap import Container
from garrison.domain.access import Role
from garrison.domain.decisions import Decision
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.events import Event
from garrison.domain.ids import DecisionId, EventId, LabelId
from garrison.domain.labels import Label, LabelValue, Provenance
from garrison.domain.rules import RuleHit
from garrison.domain.verdicts import Verdict
from garrison.services.unit_of_work import StoredEvent


def _flagged(container: Container, n: int, value: LabelValue) -> None:
    now = container.clock.now()
    event = Event(
        EventId(f"evt_q{n}"),
        "content.submitted",
        now - timedelta(hours=1),
        {EntityKind.ACCOUNT: f"acct_q{n}"},
        {"tier": "free"},
    )
    hit = RuleHit("spam_burst", "abuse.spam", Verdict.BLOCK, 1.0, "", {"score(spam_v1)": 0.97})
    decision = Decision(
        DecisionId(f"dec_q{n}"), event.id, Verdict.BLOCK, 1.0, (hit,), "1", "p", now
    )
    label = Label(
        LabelId(f"lbl_q{n}"),
        EntityRef(EntityKind.ACCOUNT, f"acct_q{n}"),
        "abuse.spam" if value is LabelValue.VIOLATING else None,
        value,
        Provenance.REVIEW,
        "person:rev",
        now,
    )
    with container.uow() as uow:
        uow.events.add(StoredEvent(event, f"fpq{n}", decision.id, event.occurred_at))
        uow.decisions.add(decision)
        uow.labels.add(label)
        uow.commit()


def test_quality_page_shows_interval_bars_for_rules_models_and_policies(
    client: TestClient, container: Container
) -> None:
    for n in range(4):
        _flagged(container, n, LabelValue.VIOLATING if n < 3 else LabelValue.NOT_VIOLATING)
    make_user(container, "viewer@example.test", Role.VIEWER)
    sign_in(client, "viewer@example.test")
    page = client.get("/quality")
    assert page.status_code == 200
    assert 'href="/quality" aria-current="page"' in page.text
    for table in ("quality-rules", "quality-models", "quality-policies"):
        assert f'id="{table}"' in page.text
    assert 'data-name="spam_burst"' in page.text and 'data-name="spam_v1"' in page.text
    assert "75.0%" in page.text and "n=4" in page.text
    assert 'class="ci-range"' in page.text
    assert client.get("/quality?period=7d").status_code == 200


def test_quality_page_needs_a_sign_in(client: TestClient) -> None:
    assert client.get("/quality").status_code == 303
