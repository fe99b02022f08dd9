"""Velocity specs are dictionary keys read for every rule on every event: equal specs are one
key, whatever object carries them, and a copy or a pickle is the same key again."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace

from garrison.domain.entities import EntityKind
from garrison.domain.language import compile_release
from garrison.domain.rules import Rule
from garrison.domain.signals import Aggregate, FieldRef, VelocitySpec

ACCOUNT = FieldRef.entity(EntityKind.ACCOUNT)


def test_equal_specs_are_one_key() -> None:
    one = VelocitySpec(ACCOUNT, 3600, "payment.attempt")
    same = VelocitySpec(FieldRef.entity(EntityKind.ACCOUNT), 3600, "payment.attempt")
    assert one == same and hash(one) == hash(same) and {one: 1}[same] == 1
    different = [
        replace(one, window_seconds=60),
        replace(one, event_type=None),
        replace(one, aggregate=Aggregate.DISTINCT, of=FieldRef("attr", "card")),
        replace(one, key=FieldRef("attr", "account")),
    ]
    assert all(other != one for other in different)
    assert len({one, *different}) == 5
    assert one != ("entity", "account") and different[0] < one


def test_copies_and_pickles_are_the_same_key() -> None:
    spec = VelocitySpec(ACCOUNT, 600, None, Aggregate.SUM, FieldRef("attr", "amount"))
    for twin in (copy.copy(spec), copy.deepcopy(spec), pickle.loads(pickle.dumps(spec))):
        assert twin == spec and hash(twin) == hash(spec) and repr(twin) == repr(spec)


def test_rules_of_a_release_share_one_object_per_spec() -> None:
    rules = [
        Rule("a", 'count("account", "1h") > 1', "p"),
        Rule("b", 'count("account", "1h") > 2 and count("ip", "1h") > 1', "p"),
    ]
    release = compile_release("v", rules)
    (shared,) = list(release.rules[0].velocity)
    assert any(s is shared for s in release.rules[1].velocity)
