"""Policies, playbooks and notices as pure values: parse, render, diff, map, fill templates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from garrison.adapters.shipped_policies import shipped_playbooks, shipped_taxonomy
from garrison.domain.entities import EntityKind, EntityRef
from garrison.domain.errors import InvalidInput
from garrison.domain.ids import ActionId
from garrison.domain.notices import Automation, NoticeDraft, render_notice
from garrison.domain.playbooks import PlaybookKey, PlaybookScope, check_playbook_text, checklist
from garrison.domain.policies import (
    MODERATION_CATEGORIES,
    Taxonomy,
    diff_taxonomies,
    map_moderation_scores,
    parse_policies,
    policies_for_category,
    render_policies,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def toml(*policies: str) -> str:
    """`[[policy]]` tables from `id:title:severity` triples."""
    tables = []
    for spec in policies:
        pid, title, severity = spec.split(":")
        tables.append(f'[[policy]]\nid = "{pid}"\ntitle = "{title}"\nseverity = "{severity}"\n')
    return "".join(tables)


SHIPPED = parse_policies(shipped_taxonomy())


def taxonomy(text: str, version: int = 1) -> Taxonomy:
    return Taxonomy(version, parse_policies(text), T0, "person:ana")


def test_the_shipped_taxonomy_covers_usage_areas_fraud_and_every_moderation_category() -> None:
    ids = {p.id for p in SHIPPED}
    for wanted in (
        "sexual",
        "sexual.minors",
        "hate",
        "harassment",
        "violence",
        "self_harm",
        "illicit.weapons",
        "malware",
        "deception",
        "spam",
        "privacy",
        "elections",
        "fraud.card_testing",
        "fraud.stolen_card",
        "fraud.trial_abuse",
        "fraud.key_resale",
        "fraud.chargebacks",
        "fraud.account_takeover",
    ):
        assert wanted in ids
    covered = {c for p in SHIPPED for c in p.moderation}
    assert covered == set(MODERATION_CATEGORIES)


def test_canonical_text_round_trips() -> None:
    text = render_policies(SHIPPED)
    assert parse_policies(text) == SHIPPED
    assert render_policies(parse_policies(text)) == text


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("nothing = 1", "text"),
        ('[[policy]]\nid = "a"\nseverity = "low"', "policy[0].title"),
        ('[[policy]]\nid = "A B"\ntitle = "t"\nseverity = "low"', "policy[0].id"),
        ('[[policy]]\nid = "a"\ntitle = "t"\nseverity = "awful"', "policy[0].severity"),
        (
            '[[policy]]\nid = "a"\ntitle = "t"\nseverity = "low"\nmoderation = ["nsfw"]',
            "policy[0].moderation",
        ),
        ('[[policy]]\nid = "a"\ntitle = "t"\nseverity = "low"\nparent = "b"', "parent"),
        ('[[policy]]\nid = "a"\ntitle = "t"\nseverity = "low"\ncolour = "red"', "policy[0].colour"),
        (toml("a:t:low", "a:u:low"), "id"),
        ("[[policy]\n", "text"),
    ],
)
def test_bad_taxonomies_are_refused_with_the_field(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_policies(text)
    assert refused.value.field == field


def test_a_parent_cycle_is_refused() -> None:
    text = (
        '[[policy]]\nid = "a"\ntitle = "A"\nseverity = "low"\nparent = "b"\n'
        '[[policy]]\nid = "b"\ntitle = "B"\nseverity = "low"\nparent = "a"\n'
    )
    with pytest.raises(InvalidInput, match="cycle"):
        parse_policies(text)


def test_diff_names_added_removed_and_changed_fields() -> None:
    old = taxonomy(toml("a:A:low", "b:B:low"))
    new = taxonomy(toml("a:A!:high", "c:C:low"), 2)
    diff = diff_taxonomies(old, new)
    assert diff.added == ("c",)
    assert diff.removed == ("b",)
    assert [(c.id, c.fields) for c in diff.changed] == [("a", ("title", "severity"))]
    assert diff_taxonomies(new, new).empty


def test_moderation_scores_map_to_policies_taking_each_policys_strongest_head() -> None:
    scores = {"self-harm": 0.2, "self-harm/instructions": 0.9, "hate": 0.4, "sexual/minors": 0.01}
    mapped = map_moderation_scores(SHIPPED, scores)
    assert mapped["self_harm"] == 0.9
    assert mapped["self_harm.instructions"] == 0.9
    assert mapped["hate"] == 0.4
    assert mapped["sexual.minors"] == 0.01
    assert "fraud" not in mapped and "hate.threatening" not in mapped
    assert policies_for_category(SHIPPED, "self-harm/instructions") == (
        "self_harm.instructions",
        "self_harm",
    )
    with pytest.raises(InvalidInput) as refused:
        map_moderation_scores(SHIPPED, {"nsfw": 1.0})
    assert refused.value.field == "categories"


def test_taxonomy_walks_to_the_root() -> None:
    shipped = Taxonomy(1, SHIPPED, T0, "system")
    root = shipped.root_of("fraud.card_testing")
    assert root is not None and root.id == "fraud"
    assert {p.id for p in shipped.children("sexual")} == {"sexual.minors"}


def test_playbook_keys_checklists_and_text() -> None:
    assert PlaybookKey.parse("queue:fraud") == PlaybookKey(PlaybookScope.QUEUE, "fraud")
    with pytest.raises(InvalidInput):
        PlaybookKey.parse("team:fraud")
    steps = checklist("# T\n\n- [ ] look\n  - [x] done\n- plain\n")
    assert [(s.text, s.checked) for s in steps] == [("look", False), ("done", True)]
    assert check_playbook_text("  # T  \nline   \n\n") == "# T\nline\n"
    with pytest.raises(InvalidInput):
        check_playbook_text("   ")
    shipped = dict(shipped_playbooks())
    assert PlaybookKey.parse("queue:fraud") in shipped
    assert all(checklist(text) for text in shipped.values())


def test_a_notice_states_facts_ground_automation_and_redress() -> None:
    policy = next(p for p in SHIPPED if p.id == "fraud.card_testing")
    draft = NoticeDraft(
        notice_id="sor-act_1",
        action_id=ActionId("act_1"),
        action_kind="suspend_account",
        subject=EntityRef(EntityKind.ACCOUNT, "acct_9"),
        facts="14 declined payments with 9 cards in 10 minutes",
        automation=Automation.PARTIALLY,
        reported=False,
        issued_at=T0,
        content_at=T0,
    )
    notice = render_notice(draft, policy, 3)
    assert "suspend account, to account:acct_9, on 2026-03-01" in notice.text
    assert "(fraud.card_testing, policy version 3)" in notice.text
    assert "14 declined payments" in notice.text
    assert "a person reviewed it" in notice.text
    assert "Appeal this decision" in notice.text and "Article 21" in notice.text
    assert notice.illegal and notice.category == "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
    custom = render_notice(
        draft, policy.__class__(**{**_fields(policy), "notice": "Hi $subject: $facts"}), 3
    )
    assert custom.text == "Hi account:acct_9: 14 declined payments with 9 cards in 10 minutes"


def _fields(policy: object) -> dict[str, object]:
    return {name: getattr(policy, name) for name in policy.__slots__}  # type: ignore[attr-defined]
