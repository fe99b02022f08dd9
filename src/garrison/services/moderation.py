"""Moderation in OpenAI's shape: a text classifier's categories, renamed to OpenAI's moderation
categories and flagged at the model's per-category thresholds, plus the policy scores that the
taxonomy derives from them (`domain.policies.map_moderation_scores`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from garrison.domain.errors import GarrisonError, InvalidInput
from garrison.domain.policies import MODERATION_CATEGORIES, Policy, map_moderation_scores

MAX_INPUTS = 64
MAX_CHARS = 32_000

ALIASES: Mapping[str, str] = {
    "S": "sexual",
    "S3": "sexual/minors",
    "H": "hate",
    "H2": "hate/threatening",
    "HR": "harassment",
    "SH": "self-harm",
    "V": "violence",
    "V2": "violence/graphic",
}
"""Short category codes of OpenAI's moderation data set (Markov et al., 2022)."""


class ModerationUnavailable(GarrisonError):
    """No text model is configured (or it cannot be loaded); HTTP 503."""

    code = "model_unavailable"


@dataclass(frozen=True)
class Classification:
    """A classifier's verdict on one text, in its own category names."""

    scores: Mapping[str, float]
    flagged: Mapping[str, bool]


class TextClassifier(Protocol):
    """The port: texts in, one classification per text."""

    name: str

    def classify(self, texts: Sequence[str]) -> list[Classification]: ...


@dataclass(frozen=True)
class ModerationResult:
    flagged: bool
    categories: dict[str, bool]
    category_scores: dict[str, float]
    policy_scores: dict[str, float] = field(default_factory=dict)


def moderation_name(category: str) -> str | None:
    """OpenAI's name for a model category (itself, or its data-set code), or None."""
    if category in MODERATION_CATEGORIES:
        return category
    return ALIASES.get(category)


def check_inputs(inputs: Sequence[str]) -> None:
    if not inputs:
        raise InvalidInput("input must hold at least one text", field="input")
    if len(inputs) > MAX_INPUTS:
        raise InvalidInput(f"at most {MAX_INPUTS} texts per request", field="input")
    if any(len(text) > MAX_CHARS for text in inputs):
        raise InvalidInput(f"a text is longer than {MAX_CHARS} characters", field="input")


class ModerationService:
    """Moderate texts with the configured classifier; without one every call is refused."""

    def __init__(self, classifier: TextClassifier | None, policies: Sequence[Policy] = ()) -> None:
        self._classifier = classifier
        self._policies = tuple(policies)

    @property
    def model(self) -> str:
        if self._classifier is None:
            raise ModerationUnavailable(
                "no text model is configured: train one with `garrison model train text` "
                "and set GARRISON_TEXT_MODEL_DIR",
                field="model",
            )
        return self._classifier.name

    def moderate(self, inputs: Sequence[str]) -> list[ModerationResult]:
        check_inputs(inputs)
        name = self.model
        assert self._classifier is not None, name
        return [self._result(c) for c in self._classifier.classify(inputs)]

    def _result(self, classification: Classification) -> ModerationResult:
        scores = dict.fromkeys(MODERATION_CATEGORIES, 0.0)
        flags = dict.fromkeys(MODERATION_CATEGORIES, False)
        for category, score in classification.scores.items():
            name = moderation_name(category)
            if name is not None:
                scores[name] = max(scores[name], float(score))
                flags[name] = flags[name] or bool(classification.flagged.get(category))
        policy_scores = map_moderation_scores(self._policies, scores)
        return ModerationResult(any(flags.values()), flags, scores, dict(policy_scores))
