"""The moderation service: OpenAI category names, flags at the model's thresholds, policies."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from garrison.domain.errors import InvalidInput
from garrison.domain.policies import MODERATION_CATEGORIES, Policy, PolicyId, Severity
from garrison.services.moderation import (
    Classification,
    ModerationService,
    ModerationUnavailable,
    moderation_name,
)


class FakeClassifier:
    name = "fake"

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        return [
            Classification({"S": 0.9, "V2": 0.2, "custom": 1.0}, {"S": True, "V2": False})
            if "bad" in text
            else Classification({"S": 0.1, "V2": 0.05}, {"S": False, "V2": False})
            for text in texts
        ]


POLICY = Policy(PolicyId("adult"), "Adult", "", Severity.HIGH, moderation=("sexual",))


def test_results_use_openai_names_and_flags() -> None:
    service = ModerationService(FakeClassifier(), [POLICY])
    bad, fine = service.moderate(["bad text", "fine text"])
    assert set(bad.categories) == set(MODERATION_CATEGORIES)
    assert bad.flagged and bad.categories["sexual"] and not bad.categories["violence/graphic"]
    assert bad.category_scores["sexual"] == 0.9 and bad.category_scores["hate"] == 0.0
    assert bad.policy_scores == {"adult": 0.9}
    assert not fine.flagged and fine.category_scores["violence/graphic"] == 0.05


def test_names() -> None:
    assert moderation_name("H2") == "hate/threatening"
    assert moderation_name("self-harm/intent") == "self-harm/intent"
    assert moderation_name("spam") is None


def test_no_model_and_bad_input() -> None:
    with pytest.raises(ModerationUnavailable):
        ModerationService(None).moderate(["x"])
    with pytest.raises(InvalidInput) as error:
        ModerationService(FakeClassifier()).moderate([])
    assert error.value.field == "input"
