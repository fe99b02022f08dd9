"""Policies: a versioned taxonomy of what the platform forbids, with severity and a parent.

A taxonomy version is immutable; editing its canonical TOML text creates the next version.
`map_moderation_scores` turns the heads of an OpenAI-style moderation classifier into policy
scores, so a text model can report in the taxonomy's words.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NewType

from garrison.domain.dsa import CATEGORIES, DEFAULT_CATEGORY
from garrison.domain.errors import InvalidInput

PolicyId = NewType("PolicyId", str)

MODERATION_CATEGORIES: tuple[str, ...] = (
    "sexual",
    "sexual/minors",
    "hate",
    "hate/threatening",
    "harassment",
    "harassment/threatening",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "violence",
    "violence/graphic",
    "illicit",
    "illicit/violent",
)
"""The category names of OpenAI's moderation endpoint (omni-moderation)."""

MAX_POLICIES = 500


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Policy:
    id: PolicyId
    title: str
    description: str
    severity: Severity
    parent: PolicyId | None = None
    moderation: tuple[str, ...] = ()
    """Moderation classifier heads that this policy covers."""
    dsa_category: str = DEFAULT_CATEGORY
    ground: str = ""
    """The terms-of-service (or legal) provision a notice cites."""
    illegal: bool = False
    """Whether content breaking this policy is also illegal (DSA ground: illegal content)."""
    notice: str = ""
    """Notice template (`string.Template` placeholders); empty means the default one."""


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """One immutable version of the policy taxonomy."""

    version: int
    policies: tuple[Policy, ...]
    created_at: datetime
    author: str
    note: str = ""

    def get(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def require(self, policy_id: str, *, field: str = "policy") -> Policy:
        found = self.get(policy_id)
        if found is None:
            raise InvalidInput(f"no policy {policy_id!r} in version {self.version}", field=field)
        return found

    def root_of(self, policy_id: str) -> Policy | None:
        """The top-level ancestor of a policy (itself when it has no parent)."""
        policy = self.get(policy_id)
        seen: set[str] = set()
        while policy is not None and policy.parent and policy.id not in seen:
            seen.add(policy.id)
            policy = self.get(policy.parent) or policy
            if policy.id in seen:
                break
        return policy

    def children(self, policy_id: str | None) -> tuple[Policy, ...]:
        return tuple(p for p in self.policies if p.parent == policy_id)

    @property
    def text(self) -> str:
        return render_policies(self.policies)


@dataclass(frozen=True, slots=True)
class PolicyChange:
    id: PolicyId
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaxonomyDiff:
    old_version: int
    new_version: int
    added: tuple[PolicyId, ...]
    removed: tuple[PolicyId, ...]
    changed: tuple[PolicyChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


_FIELDS = ("title", "description", "severity", "parent", "moderation", "dsa_category")
_OPTIONAL = ("ground", "illegal", "notice")


def parse_policies(text: str) -> tuple[Policy, ...]:
    """Read a taxonomy's TOML text (`[[policy]]` tables); InvalidInput names the bad field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"not valid TOML: {error}", field="text") from None
    tables = raw.get("policy")
    if not isinstance(tables, list) or not tables:
        raise InvalidInput("a taxonomy needs at least one [[policy]] table", field="text")
    if len(tables) > MAX_POLICIES:
        raise InvalidInput(f"at most {MAX_POLICIES} policies", field="text")
    policies = tuple(_policy(table, i) for i, table in enumerate(tables))
    check_policies(policies)
    return policies


def _policy(table: Any, index: int) -> Policy:
    where = f"policy[{index}]"
    if not isinstance(table, dict):
        raise InvalidInput("each policy must be a table", field=where)
    unknown = sorted(set(table) - {"id", *_FIELDS, *_OPTIONAL})
    if unknown:
        raise InvalidInput(f"unknown keys {', '.join(unknown)}", field=f"{where}.{unknown[0]}")
    policy_id = _text(table, "id", where)
    if not policy_id.replace("_", "").replace(".", "").isalnum() or not policy_id.islower():
        raise InvalidInput(
            f"policy id {policy_id!r} must be lower case letters, digits, '_' or '.'",
            field=f"{where}.id",
        )
    try:
        severity = Severity(_text(table, "severity", where))
    except ValueError:
        known = ", ".join(Severity)
        raise InvalidInput(f"severity must be one of {known}", field=f"{where}.severity") from None
    moderation = table.get("moderation", [])
    if not isinstance(moderation, list) or any(m not in MODERATION_CATEGORIES for m in moderation):
        raise InvalidInput(
            f"moderation lists category names among {', '.join(MODERATION_CATEGORIES)}",
            field=f"{where}.moderation",
        )
    category = str(table.get("dsa_category", DEFAULT_CATEGORY))
    if category not in CATEGORIES:
        raise InvalidInput(f"unknown DSA category {category!r}", field=f"{where}.dsa_category")
    parent = table.get("parent") or None
    return Policy(
        id=PolicyId(policy_id),
        title=_text(table, "title", where),
        description=str(table.get("description", "")).strip(),
        severity=severity,
        parent=PolicyId(str(parent)) if parent else None,
        moderation=tuple(moderation),
        dsa_category=category,
        ground=str(table.get("ground", "")).strip(),
        illegal=bool(table.get("illegal", False)),
        notice=str(table.get("notice", "")).strip(),
    )


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{key} is required", field=f"{where}.{key}")
    return value.strip()


def check_policies(policies: Iterable[Policy]) -> None:
    """Ids are unique, parents exist and there is no cycle."""
    by_id: dict[str, Policy] = {}
    for policy in policies:
        if policy.id in by_id:
            raise InvalidInput(f"policy {policy.id!r} appears twice", field="id")
        by_id[policy.id] = policy
    for policy in by_id.values():
        seen = {policy.id}
        parent = policy.parent
        while parent is not None:
            if parent not in by_id:
                raise InvalidInput(f"{policy.id}: no parent policy {parent!r}", field="parent")
            if parent in seen:
                raise InvalidInput(f"{policy.id}: parents form a cycle", field="parent")
            seen.add(parent)
            parent = by_id[parent].parent


def render_policies(policies: Iterable[Policy]) -> str:
    """The canonical TOML text: one `[[policy]]` table per policy, fields in a fixed order."""
    blocks = []
    for p in policies:
        lines = ["[[policy]]", f"id = {_quote(p.id)}", f"title = {_quote(p.title)}"]
        lines.append(f"description = {_quote(p.description)}")
        lines.append(f"severity = {_quote(p.severity)}")
        if p.parent:
            lines.append(f"parent = {_quote(p.parent)}")
        lines.append(f"moderation = [{', '.join(_quote(m) for m in p.moderation)}]")
        lines.append(f"dsa_category = {_quote(p.dsa_category)}")
        if p.ground:
            lines.append(f"ground = {_quote(p.ground)}")
        if p.illegal:
            lines.append("illegal = true")
        if p.notice:
            lines.append(f"notice = {_quote(p.notice)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _quote(text: str) -> str:
    """A TOML basic string (TOML escapes are a superset of what this emits)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t").replace("\r", "\\r") + '"'


def diff_taxonomies(old: Taxonomy, new: Taxonomy) -> TaxonomyDiff:
    """What changed between two versions, policy by policy and field by field."""
    before = {p.id: p for p in old.policies}
    after = {p.id: p for p in new.policies}
    changed = []
    for pid in sorted(set(before) & set(after)):
        fields = tuple(
            f for f in (*_FIELDS, *_OPTIONAL) if _get(before[pid], f) != _get(after[pid], f)
        )
        if fields:
            changed.append(PolicyChange(pid, fields))
    return TaxonomyDiff(
        old.version,
        new.version,
        tuple(sorted(set(after) - set(before))),
        tuple(sorted(set(before) - set(after))),
        tuple(changed),
    )


def _get(policy: Policy, name: str) -> object:
    return getattr(policy, name)


def lineage(taxonomy: Taxonomy | None, policy_id: str) -> tuple[str, ...]:
    """The policy and its ancestors, nearest first (an opt-out of a policy covers its children)."""
    chain = [policy_id]
    current = taxonomy.get(policy_id) if taxonomy else None
    while current is not None and current.parent and current.parent not in chain:
        chain.append(current.parent)
        current = taxonomy.get(current.parent) if taxonomy else None
    return tuple(chain)


def policies_for_category(policies: Iterable[Policy], category: str) -> tuple[PolicyId, ...]:
    """The policies that cover one moderation category, most specific (deepest) first."""
    found = [p for p in policies if category in p.moderation]
    return tuple(p.id for p in sorted(found, key=lambda p: (-p.id.count("."), p.id)))


def map_moderation_scores(
    policies: Iterable[Policy], scores: Mapping[str, float]
) -> dict[str, float]:
    """Policy scores from moderation category scores: each policy takes the highest score of the
    categories it covers. Categories no policy covers are ignored; unknown names are refused."""
    unknown = sorted(set(scores) - set(MODERATION_CATEGORIES))
    if unknown:
        raise InvalidInput(f"unknown moderation category {unknown[0]!r}", field="categories")
    mapped: dict[str, float] = {}
    for policy in policies:
        heads = [scores[c] for c in policy.moderation if c in scores]
        if heads:
            mapped[policy.id] = max(heads)
    return mapped
