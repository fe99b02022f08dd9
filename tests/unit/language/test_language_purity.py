"""The language package stays pure: stdlib and the domain only; no eval, exec or compile."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import garrison.domain.language

PACKAGE = Path(garrison.domain.language.__file__).parent
SOURCES = sorted(PACKAGE.glob("*.py"))


def test_imports_only_stdlib_and_the_domain() -> None:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                allowed = top in sys.stdlib_module_names or name.startswith("garrison.domain")
                assert allowed, f"{path.name} imports {name}"


def test_never_runs_code_from_text() -> None:
    forbidden = {"eval", "exec", "compile", "__import__"}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in forbidden, f"{path.name} calls {node.func.id}"
