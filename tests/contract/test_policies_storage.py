"""Taxonomies, playbooks, notices and reviewer wellness: the same behaviour on every backend."""

from __future__ import annotations

import pytest
from contract_samples import ACCOUNT, Factory, at

from garrison.adapters.shipped_policies import shipped_taxonomy
from garrison.domain.ids import ActionId, PrincipalId
from garrison.domain.notices import Automation, Notice
from garrison.domain.playbooks import Playbook, PlaybookKey
from garrison.domain.policies import PolicyId, Taxonomy, parse_policies
from garrison.domain.wellness import ReviewerSettings
from garrison.services.unit_of_work import DuplicateKey

FRAUD = PlaybookKey.parse("queue:fraud")
HATE = PlaybookKey.parse("policy:hate")
ANA = PrincipalId("usr_ana")


def taxonomy(version: int) -> Taxonomy:
    return Taxonomy(version, parse_policies(shipped_taxonomy()), at(version), "person:ana", "n")


def notice(n: int, seconds: float) -> Notice:
    return Notice(
        id=f"sor-{n}",
        action_id=ActionId(f"act_{n}"),
        action_kind="suspend_account",
        subject=ACCOUNT,
        policy_id=PolicyId("fraud.card_testing"),
        policy_version=1,
        facts="many declines",
        ground="Terms 12.1",
        illegal=True,
        category="STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        automation=Automation.PARTIALLY,
        reported=False,
        text="We suspended your account.",
        issued_at=at(seconds),
        content_at=at(0),
        ends_at=at(86400) if n % 2 else None,
    )


def test_taxonomy_versions_round_trip_and_are_immutable(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        assert uow.taxonomies.latest() is None
        uow.taxonomies.add(taxonomy(1))
        uow.taxonomies.add(taxonomy(2))
        uow.commit()
    with uow_factory() as uow:
        latest = uow.taxonomies.latest()
        assert latest == taxonomy(2)
        assert uow.taxonomies.get(1) == taxonomy(1)
        assert uow.taxonomies.get(3) is None
        assert [t.version for t in uow.taxonomies.versions(10)] == [2, 1]
        with pytest.raises(DuplicateKey):
            uow.taxonomies.add(taxonomy(2))


def test_playbooks_keep_every_version(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for key, version in ((FRAUD, 1), (FRAUD, 2), (HATE, 1)):
            uow.playbooks.add(Playbook(key, version, f"# v{version}\n", at(version), "ana"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.playbooks.latest(FRAUD) == Playbook(FRAUD, 2, "# v2\n", at(2), "ana")
        assert uow.playbooks.get(FRAUD, 1) == Playbook(FRAUD, 1, "# v1\n", at(1), "ana")
        assert [p.version for p in uow.playbooks.history(FRAUD)] == [2, 1]
        assert [(str(p.key), p.version) for p in uow.playbooks.current()] == [
            ("policy:hate", 1),
            ("queue:fraud", 2),
        ]
        with pytest.raises(DuplicateKey):
            uow.playbooks.add(Playbook(HATE, 1, "again\n", at(3), "ana"))


def test_notices_page_by_issue_time_and_one_per_action(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        for n, seconds in ((1, 10), (2, 10), (3, 30), (4, 5)):
            uow.notices.add(notice(n, seconds))
        uow.commit()
    with uow_factory() as uow:
        first = uow.notices.issued(at(10), None, None, 2)
        rest = uow.notices.issued(at(10), None, first[-1], 10)
        bounded = uow.notices.issued(at(0), at(30), None, 10)
        assert [n.id for n in first] == ["sor-1", "sor-2"]
        assert [n.id for n in rest] == ["sor-3"]
        assert [n.id for n in bounded] == ["sor-4", "sor-1", "sor-2"]
        assert uow.notices.get("sor-3") == notice(3, 30)
        assert uow.notices.for_action(ActionId("act_4")) == notice(4, 5)
        with pytest.raises(DuplicateKey):
            uow.notices.add(notice(4, 99))


def test_wellness_settings_and_exposure_counts(uow_factory: Factory) -> None:
    settings = ReviewerSettings(ANA, frozenset({"hate", "spam"}), True, at(1), at(2), 3)
    with uow_factory() as uow:
        assert uow.wellness.settings(ANA) is None
        uow.wellness.save_settings(settings)
        uow.wellness.expose(ANA, "2026-03-01", ["self_harm", "self_harm", "violence.graphic"])
        uow.wellness.expose(ANA, "2026-03-01", ["self_harm"])
        uow.wellness.expose(ANA, "2026-03-02", ["self_harm"])
        uow.commit()
    with uow_factory() as uow:
        assert uow.wellness.settings(ANA) == settings
        today = uow.wellness.exposure(ANA, "2026-03-01")
        assert dict(today.counts) == {"self_harm": 2, "violence.graphic": 1}
        assert uow.wellness.exposure(PrincipalId("usr_bo"), "2026-03-01").counts == {}
