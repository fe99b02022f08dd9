"""Rule packs and event schemas shipped with Garrison: `starter.toml` and `schemas.toml`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from garrison.domain.language import EventSchemas, parse_schemas

STARTER_PACK = "starter.toml"
SCHEMAS = "schemas.toml"


def read_pack(name: str) -> str:
    """The text of a shipped file of this package (like `starter.toml`)."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


def load_schemas(path: Path | None = None) -> EventSchemas:
    """The event schemas of a schema file, or the shipped ones when `path` is None."""
    if path is None:
        return parse_schemas(read_pack(SCHEMAS), f"garrison/rulepacks/{SCHEMAS}")
    return parse_schemas(path.read_text("utf-8"), str(path))
