"""Publishing taxonomy and playbook versions: immutable, audited, diffable, permission-checked."""

from __future__ import annotations

import pytest
from policy_world import build, person

from garrison.adapters.shipped_policies import shipped_taxonomy
from garrison.domain.access import Role
from garrison.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from garrison.domain.ids import QueueName
from garrison.domain.playbooks import PlaybookKey

ADMIN = person(Role.ADMIN, "root")
REVIEWER = person(Role.REVIEWER)
EDITED = shipped_taxonomy().replace('title = "Spam"', 'title = "Spam and bulk messaging"')


def test_first_start_seeds_version_one() -> None:
    world = build()
    first = world.policies.taxonomy(REVIEWER)
    assert first.version == 1 and first.author == "system:garrison"
    assert first.get("fraud.card_testing") is not None


def test_publishing_makes_a_new_version_and_keeps_the_old_one() -> None:
    world = build()
    made = world.policies.publish(ADMIN, EDITED, "rename spam", base=1)
    assert made.version == 2 and made.note == "rename spam" and made.author == "person:root"
    assert world.policies.taxonomy(REVIEWER, 1).require("spam").title == "Spam"
    assert world.policies.taxonomy(REVIEWER).require("spam").title == "Spam and bulk messaging"
    changes = world.policies.diff(REVIEWER, 1, 2)
    assert [(c.id, c.fields) for c in changes.diff.changed] == [("spam", ("title",))]
    assert '-title = "Spam"' in changes.lines
    assert [t.version for t in world.policies.versions(REVIEWER)] == [2, 1]
    with world.store.uow() as uow:
        assert uow.audit.recent(limit=1)[0].action == "policies.publish"


def test_publishing_refuses_no_change_a_stale_base_and_reviewers() -> None:
    world = build()
    with pytest.raises(InvalidInput, match="nothing changed"):
        world.policies.publish(ADMIN, shipped_taxonomy())
    world.policies.publish(ADMIN, EDITED)
    with pytest.raises(Conflict):
        world.policies.publish(ADMIN, EDITED.replace("bulk", "mass"), base=1)
    with pytest.raises(PermissionDenied):
        world.policies.publish(REVIEWER, EDITED.replace("bulk", "mass"))
    with pytest.raises(NotFound):
        world.policies.taxonomy(REVIEWER, 9)
    assert world.policies.taxonomy(REVIEWER).version == 2


def test_playbooks_are_versioned_diffable_and_found_for_a_case() -> None:
    world = build()
    key = PlaybookKey.parse("queue:fraud")
    senior = person(Role.SENIOR_REVIEWER, "sam")
    saved = world.policies.save_playbook(senior, key, "# Fraud\n\n- [ ] new first step\n")
    assert saved.version == 2 and saved.author == "person:sam"
    assert [p.version for p in world.policies.history(REVIEWER, key)] == [2, 1]
    diff = world.policies.playbook_diff(REVIEWER, key, 1, 2)
    assert "+- [ ] new first step" in diff
    shown = world.policies.for_case(REVIEWER, QueueName("fraud"), ["fraud.stolen_card"])
    assert [str(p.key) for p in shown] == ["queue:fraud"]
    shown = world.policies.for_case(REVIEWER, QueueName("content"), ["self_harm.instructions"])
    assert [str(p.key) for p in shown] == ["queue:content", "policy:self_harm"]
    with pytest.raises(InvalidInput) as refused:
        world.policies.save_playbook(ADMIN, PlaybookKey.parse("queue:nowhere"), "# x\n")
    assert refused.value.field == "playbook"
    with pytest.raises(PermissionDenied):
        world.policies.save_playbook(REVIEWER, key, "# mine\n")
    with pytest.raises(InvalidInput, match="nothing changed"):
        world.policies.save_playbook(senior, key, "# Fraud\n\n- [ ] new first step")


def test_moderation_scores_map_under_a_taxonomy_version() -> None:
    world = build()
    mapped = world.policies.map_moderation(REVIEWER, {"violence/graphic": 0.7})
    assert mapped == {"violence.graphic": 0.7}
