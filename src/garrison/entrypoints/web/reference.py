"""Generate docs/reference/api.md from the app's OpenAPI document, so it never drifts.

python -m garrison.entrypoints.web.reference           # rewrite the file
python -m garrison.entrypoints.web.reference --check   # exit 1 if the file is stale
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from garrison.adapters.storage.memory import MemoryStore
from garrison.bootstrap import bootstrap
from garrison.config import Settings
from garrison.entrypoints.web.app import create_app

REFERENCE = Path("docs/reference/api.md")
HEADER = """# REST API reference

<!-- Generated from the OpenAPI document by `make docs`; do not edit by hand. -->

The live document is served at `GET /openapi.json`. Machines authenticate with
`Authorization: Bearer <API key>`; people use the console's session cookie, and then every unsafe
request also carries the `X-CSRF-Token` header. Errors always have the shape
`{"error": {"code", "message", "field"}}`.

| method | path | what it does | permission | answers |
|---|---|---|---|---|
"""


def api_reference(spec: dict[str, Any]) -> str:
    rows = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            scopes = sorted({s for req in op.get("security", []) for v in req.values() for s in v})
            permission = ", ".join(f"`{s}`" for s in scopes) or "none"
            answers = ", ".join(sorted(op.get("responses", {})))
            summary = " ".join(str(op.get("summary", "")).split())
            rows.append(f"| {method.upper()} | `{path}` | {summary} | {permission} | {answers} |")
    return HEADER + "\n".join(rows) + "\n"


def current_reference() -> str:
    settings = Settings(database_url="memory://", secret_key="reference", dispatch_in_server=False)
    container = bootstrap(settings, store=MemoryStore())
    return api_reference(create_app(container).openapi())


def main(argv: list[str]) -> int:
    text = current_reference()
    if "--check" in argv:
        return 0 if REFERENCE.exists() and REFERENCE.read_text() == text else 1
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
