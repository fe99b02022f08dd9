"""The fields of one `[[rule]]` table, each checked and placed; the condition is compiled elsewhere.

Fields are read one by one and every bad field is reported, so one pass over a file shows them
all; a rule with a bad field is left out of the file's rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from garrison.domain.actions import ActionTemplate
from garrison.domain.errors import InvalidInput
from garrison.domain.language.errors import RuleError
from garrison.domain.language.tomlsource import Section
from garrison.domain.rules import Rule, Stage
from garrison.domain.verdicts import Verdict

KEYS = (
    "name",
    "description",
    "owner",
    "policy",
    "stage",
    "canary_percent",
    "verdict",
    "score",
    "max_actions_per_day",
    "tags",
    "actions",
    "when",
    "example",
)
"""Every key a rule may have, in the canonical order `format_rule_file` writes them."""
REQUIRED = ("name", "policy", "when")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")

T = TypeVar("T")


def read_rule(table: Mapping[str, Any], section: Section, errors: list[RuleError]) -> Rule | None:
    """The rule of `table`, or None after adding its field errors to `errors`."""
    found: list[RuleError] = []
    for key in table:
        if key not in KEYS:
            reason = f"unknown key {key!r} (known: {', '.join(KEYS)})"
            found.append(section.error(reason, key, at_key=True))
    missing = [key for key in REQUIRED if key not in table]
    for key in missing:
        found.append(section.error(f"the rule has no {key!r}"))

    def field(read: Callable[[Mapping[str, Any], Section], T], default: T) -> T:
        try:
            return read(table, section)
        except RuleError as error:
            found.append(error)
            return default

    stage = field(_stage, Stage.LIVE)
    rule = Rule(
        name=field(_name, ""),
        when=field(lambda t, s: _text(t, "when", s, allow_empty=True), ""),
        policy=field(lambda t, s: _text(t, "policy", s), ""),
        description=field(lambda t, s: _text(t, "description", s, allow_empty=True), ""),
        owner=field(lambda t, s: _text(t, "owner", s, allow_empty=True), ""),
        verdict=field(_verdict, None),
        score=field(_score, 0.0),
        actions=field(_actions, ()),
        tags=field(_tags, ()),
        stage=stage,
        canary_percent=field(lambda t, s: _canary_percent(t, s, stage), 0),
        max_actions_per_day=field(_max_actions, None),
    )
    if found or missing:
        errors.extend(found)
        return None
    return rule


def _name(table: Mapping[str, Any], section: Section) -> str:
    name = _text(table, "name", section)
    if not NAME.fullmatch(name):
        raise section.error("a rule name is letters, digits, '_', '.' and '-'", "name")
    return name


def _text(
    table: Mapping[str, Any], key: str, section: Section, *, allow_empty: bool = False
) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise section.error(f"{key!r} must be a string", key)
    if not allow_empty and not value.strip() and key in table:
        raise section.error(f"{key!r} must not be empty", key)
    return value


def _verdict(table: Mapping[str, Any], section: Section) -> Verdict | None:
    value = table.get("verdict")
    if value is None:
        return None
    try:
        return Verdict(value)
    except ValueError:
        known = ", ".join(v.value for v in Verdict)
        raise section.error(f"unknown verdict {value!r} (known: {known})", "verdict") from None


def _stage(table: Mapping[str, Any], section: Section) -> Stage:
    value = table.get("stage", Stage.LIVE.value)
    try:
        return Stage(value)
    except ValueError:
        known = ", ".join(s.value for s in Stage)
        raise section.error(f"unknown stage {value!r} (known: {known})", "stage") from None


def _whole(table: Mapping[str, Any], key: str) -> int | None:
    value = table.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _canary_percent(table: Mapping[str, Any], section: Section, stage: Stage) -> int:
    if "canary_percent" not in table:
        if stage is Stage.CANARY:
            raise section.error("a canary rule needs 'canary_percent' (1 to 100)", "stage")
        return 0
    value = _whole(table, "canary_percent")
    if value is None or not 0 <= value <= 100:
        raise section.error(
            "'canary_percent' must be a whole number from 0 to 100", "canary_percent"
        )
    if stage is Stage.CANARY and value == 0:
        raise section.error("a canary rule needs 'canary_percent' above 0", "canary_percent")
    if stage is not Stage.CANARY and value:
        reason = f"'canary_percent' only applies to canary rules (this one is {stage})"
        raise section.error(reason, "canary_percent")
    return value


def _max_actions(table: Mapping[str, Any], section: Section) -> int | None:
    if "max_actions_per_day" not in table:
        return None
    value = _whole(table, "max_actions_per_day")
    if value is None or value < 1:
        reason = "'max_actions_per_day' must be a whole number above 0"
        raise section.error(reason, "max_actions_per_day")
    return value


def _score(table: Mapping[str, Any], section: Section) -> float:
    value = table.get("score", 0.0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise section.error("'score' must be a finite number", "score")
    return float(value)


def _tags(table: Mapping[str, Any], section: Section) -> tuple[str, ...]:
    value = table.get("tags", [])
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise section.error("'tags' must be a list of strings", "tags")
    return tuple(value)


def _actions(table: Mapping[str, Any], section: Section) -> tuple[ActionTemplate, ...]:
    value = table.get("actions", [])
    if not isinstance(value, list):
        raise section.error("'actions' must be a list", "actions")
    templates = []
    for index, item in enumerate(value):
        if not isinstance(item, (str, dict)):
            raise section.error("an action is a kind or a table {kind = ...}", "actions")
        try:
            templates.append(ActionTemplate.parse(item, field_name=f"actions[{index}]"))
        except InvalidInput as exc:
            kind = item if isinstance(item, str) else str(item.get("kind", ""))
            field = exc.field or "actions"
            if kind:
                raise section.error_at(exc.message, kind, "actions", field) from None
            raise section.error(exc.message, "actions") from None
    return tuple(templates)
