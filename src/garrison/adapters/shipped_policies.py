"""The policy taxonomy, playbooks and DSA schema shipped in the package (`garrison/rulepacks`)."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any

from garrison.domain.playbooks import PlaybookKey

POLICIES_FILE = "policies.toml"
PLAYBOOKS_FILE = "playbooks.toml"
DSA_SCHEMA_FILE = "dsa_statement.schema.json"


def _read(name: str) -> str:
    return resources.files("garrison.rulepacks").joinpath(name).read_text("utf-8")


def shipped_taxonomy() -> str:
    """The default taxonomy's TOML text (seeded as version 1)."""
    return _read(POLICIES_FILE)


def shipped_playbooks() -> list[tuple[PlaybookKey, str]]:
    """The default playbooks, by key."""
    tables = tomllib.loads(_read(PLAYBOOKS_FILE)).get("playbook", [])
    return [(PlaybookKey.parse(t["key"]), str(t["text"])) for t in tables]


def dsa_statement_schema() -> dict[str, Any]:
    """The JSON Schema of one statement of reasons (see `garrison.domain.dsa`)."""
    loaded: dict[str, Any] = json.loads(_read(DSA_SCHEMA_FILE))
    return loaded
